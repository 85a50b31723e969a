"""Slack adapter: a Bolt app over the platform-neutral core, served over HTTP or Socket Mode."""
