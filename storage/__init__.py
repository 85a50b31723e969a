"""Persistence for factdesk: SQLAlchemy 2.0 models, Alembic migrations and small query modules.

Imports neither `bot` nor `adapters`; the dependency arrow points here and nowhere further.
"""
