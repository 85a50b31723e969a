"""Rendering core results into platform-neutral replies."""
