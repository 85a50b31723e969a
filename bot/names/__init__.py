"""Suspect-name check: a gazetteer of public figures, its index, the checker and the tools that refresh it."""
