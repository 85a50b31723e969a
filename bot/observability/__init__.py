"""Logs and metrics an operator reads: structured, and never a token or an article's text."""
