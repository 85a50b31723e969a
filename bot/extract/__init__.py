"""Extractors: turn article text into claims, attributions and name issues."""
