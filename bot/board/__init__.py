"""The web board's core: signed, short-lived access links and the read-only views they open."""
