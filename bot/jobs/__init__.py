"""Triage as durable jobs: recorded in the database before the chat platform is acknowledged, run by a
bounded in-process pool (SQLite) or by worker processes sharing PostgreSQL through pgqueuer."""
