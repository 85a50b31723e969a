"""Discord adapter: discord.py 2.x over the platform-neutral core (slash commands, card buttons, pastes)."""
