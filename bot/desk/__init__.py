"""The editors' desk: one command grammar and workflow for every platform."""
