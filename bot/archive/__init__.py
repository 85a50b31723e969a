"""The fact-check archive: published fact-checks and the desk's own verdicts, imported and indexed."""
