"""The read-only web board, server-rendered (see routes.py)."""
