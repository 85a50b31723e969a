"""The ways in: CLI, Slack and Discord, each a thin translation over the platform-neutral core."""
