"""factdesk core: domain models, extractors, triage service, desk commands and card rendering.

Imports no chat SDK; adapters depend on this package, never the other way round.
"""
