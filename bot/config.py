"""All configuration, from environment variables prefixed ``FACTDESK_`` (and an optional ``factdesk.toml``).

This module is the one place settings are declared; README's configuration table mirrors it.
Platform credentials keep their platforms' own names (``SLACK_*``, ``DISCORD_TOKEN``, ``OPENAI_*``).
"""

from __future__ import annotations

import getpass
import re
from datetime import timedelta
from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict, TomlConfigSettingsSource


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry in some containers
        return "operator"


_LEAD_UNITS = {"": "hours", "m": "minutes", "h": "hours", "d": "days"}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FACTDESK_", extra="ignore", toml_file="factdesk.toml")

    # storage
    database_url: str = Field(
        "sqlite:///./factdesk.db", description="SQLAlchemy URL; PostgreSQL in production."
    )
    auto_migrate: bool = Field(False, description="Run Alembic migrations at start.")
    job_timeout: float = Field(
        60.0,
        description="Seconds without a heartbeat before another worker retries a triage job (kill -9, crash).",
    )

    # extraction
    extractor: str = Field(
        "auto", description="auto | offline | llm (auto: LLM when FACTDESK_LLM_MODEL is set)."
    )
    llm_model: str | None = Field(None, description="Model name for the OpenAI-compatible endpoint.")
    llm_timeout: float = Field(
        60.0,
        gt=0,
        description="Seconds one article's model calls may take in all, retries included; then offline.",
    )
    llm_concurrency: int = Field(8, ge=1, description="Chunks of one article sent at once.")
    llm_chunk_tokens: int = Field(
        900, ge=50, description="Token budget per chunk of article text (answers are capped per chunk)."
    )
    names_file: Path | None = Field(
        None, description="Newsroom names list: one canonical name per line, optional '|role'."
    )
    max_input_chars: int = Field(400_000, description="Longest article text accepted (characters).")

    # links
    allow_private_urls: bool = Field(False, description="Tests only: allow loopback/private link targets.")
    fetch_max_bytes: int = Field(
        5_000_000, description="Largest page downloaded, counted after decompression."
    )
    fetch_timeout: float = Field(
        10.0, description="Seconds for the whole download of a link: connects, headers, body, redirects."
    )
    min_article_words: int = Field(
        80, description="Fewer words than this from a link means paywall or consent wall."
    )

    # desk
    editors: str = Field(
        "", description="Comma-separated editor ids, e.g. 'slack:U123,discord:456,cli:alice'."
    )
    cli_user: str = Field(default_factory=_os_user, description="Who the CLI acts as (an editor).")
    allow_self_assign: bool = Field(True, description="Members may `claim` a claim for themselves.")
    verdicts_file: Path | None = Field(None, description="JSON verdict vocabulary replacing the default.")
    organisation: str = Field("factdesk newsroom", description="ClaimReview author name.")
    organisation_url: str | None = Field(None, description="ClaimReview author URL.")
    card_claims: int = Field(
        5, ge=1, description="Claims a card leads with; the rest behind 'show all' or `show`."
    )
    timezone: str = Field(
        "UTC",
        description="The desk's IANA time zone: due times typed where the platform gives no zone "
        "(Discord, the CLI), and the digest's day.",
    )

    # reminders (sent by the workers: `serve` or `worker`)
    remind_before: str = Field(
        "2h",
        pattern=r"^\s*\d+\s*[mhd]?\s*$",
        description="How long before a claim is due its assignee is nudged in the claim's thread, e.g. "
        "'2h', '30m', '1d'; '0' turns nudges off.",
    )
    digest_channels: str = Field(
        "",
        description="Where the daily digest (overdue, unassigned, due today) is posted, one channel per "
        "workspace: 'slack:T0123/C0456,discord:111/222' (Slack team/channel ids, Discord server/channel ids).",
    )
    digest_time: str = Field(
        "09:00",
        pattern=r"^([01]\d|2[0-3]):[0-5]\d$",
        description="Local time of day (FACTDESK_TIMEZONE) the digest is posted, HH:MM.",
    )
    remind_interval: float = Field(
        60.0, gt=0, description="Seconds between the workers' looks for reminders that are due."
    )

    # chat
    host: str = Field("127.0.0.1", description="Bind address for HTTP endpoints.")
    port: int = Field(3000, description="Bind port for HTTP endpoints.")
    status_token: str | None = Field(
        None,
        description="Bearer token that shows /readyz details (database, queue) to a caller off loopback.",
    )
    board_secret: str | None = Field(
        None,
        description="Key that signs web-board links (32+ characters), e.g. from "
        "`python3 -c 'import secrets; print(secrets.token_urlsafe(32))'`.",
    )
    board_url: str | None = Field(
        None,
        description="Public base URL of the web board, e.g. https://desk.example.org (default: host:port).",
    )
    paste_min_words: int = Field(
        120, description="A message without a link triggers triage above this many words."
    )
    paste_rules: str = Field(
        "",
        description="Per-channel paste rule, e.g. 'C0123:links,C0456:300,C0789:off' (links only, word threshold, ignore).",
    )
    slack_api_url: str | None = Field(
        None, description="Override Slack's Web API base URL (tests, gateways)."
    )
    slack_editor_usergroup: str | None = Field(
        None, description="Slack user group id whose members are editors."
    )
    discord_editor_role: str | None = Field(
        None, description="Discord role name or id whose members are editors."
    )
    discord_channels: str = Field("", description="Comma-separated Discord channel ids watched for pastes.")

    # environment-named credentials (read here so `doctor` can check their shape)
    slack_bot_token: str | None = Field(
        None, validation_alias=AliasChoices("SLACK_BOT_TOKEN"), description="Slack bot token (xoxb-…)."
    )
    slack_signing_secret: str | None = Field(
        None,
        validation_alias=AliasChoices("SLACK_SIGNING_SECRET"),
        description="Slack signing secret (HTTP mode).",
    )
    slack_app_token: str | None = Field(
        None,
        validation_alias=AliasChoices("SLACK_APP_TOKEN"),
        description="Slack app-level token (xapp-…): Socket Mode.",
    )
    discord_token: str | None = Field(
        None, validation_alias=AliasChoices("DISCORD_TOKEN"), description="Discord bot token."
    )
    discord_guild_id: int | None = Field(
        None,
        validation_alias=AliasChoices("DISCORD_GUILD_ID"),
        description="Sync slash commands to this guild only.",
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, name: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"'{name}' is not an IANA time zone such as Europe/Berlin") from None
        return name

    @field_validator("digest_channels")
    @classmethod
    def _digest_entries(cls, value: str) -> str:
        for entry in filter(None, (e.strip() for e in value.split(","))):
            if not re.fullmatch(r"(slack|discord):[^/\s]+/[^/\s]+", entry, re.IGNORECASE):
                raise ValueError(f"'{entry}' is not platform:workspace/channel, e.g. slack:T0123/C0456")
        return value

    @classmethod
    def settings_customise_sources(
        cls, settings_cls, init_settings, env_settings, dotenv_settings, file_secret_settings
    ):
        return (
            init_settings,
            env_settings,
            dotenv_settings,
            TomlConfigSettingsSource(settings_cls),
            file_secret_settings,
        )

    @property
    def llm_configured(self) -> bool:
        return bool(self.llm_model)

    def paste_rule(self, channel: str | None) -> str | None:
        """The channel's own rule from `paste_rules` ('links', 'off' or a word count), if it has one."""
        for entry in self.paste_rules.split(","):
            name, _, rule = entry.strip().partition(":")
            if channel and name == channel and rule:
                return rule.strip().lower()
        return None

    def remind_lead(self) -> timedelta:
        """FACTDESK_REMIND_BEFORE as a duration (a bare number is hours)."""
        amount, unit = re.match(r"\s*(\d+)\s*([mhd]?)", self.remind_before).groups()  # type: ignore[union-attr]
        return timedelta(**{_LEAD_UNITS[unit]: int(amount)})

    def digest_places(self) -> list[tuple[str, str, str]]:
        """(platform, workspace, channel) of every configured digest channel."""
        places = []
        for entry in filter(None, (e.strip() for e in self.digest_channels.split(","))):
            platform, _, rest = entry.partition(":")
            workspace, _, channel = rest.partition("/")
            places.append((platform.lower(), workspace, channel))
        return places

    def editor_ids(self) -> set[str]:
        return {e.strip() for e in self.editors.split(",") if e.strip()}


def _variable(field: str) -> str:
    alias = Settings.model_fields[field].validation_alias if field in Settings.model_fields else None
    return alias.choices[0] if isinstance(alias, AliasChoices) else f"FACTDESK_{field.upper()}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings; a malformed variable is one sentence naming it, never a traceback."""
    from bot.errors import ConfigurationError

    try:
        return Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "configuration"
        raise ConfigurationError(f"{_variable(field)} is not valid: {first['msg']}.") from None
