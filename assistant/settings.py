"""The one Settings class: every knob a district can turn, read from the environment at the edge.

Lower layers (ingest/, tools/) never read the environment; assistant/ builds a Settings and passes
plain values down. Tests build ``Settings(data_dir=tmp_path, ...)`` directly.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs
from pydantic import AliasChoices, BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from ingest.errors import DistrictAssistantError
from tools.dates import FiscalCalendar

APP_NAME = "district-assistant"


class ReplacementPolicy(BaseModel):
    """How long a device category is kept and what replacing one unit costs."""

    cycle_years: int = Field(gt=0, description="Years from purchase until replacement is due.")
    unit_cost: Decimal = Field(ge=0, description="Replacement cost of one unit, in dollars.")


# The defaults of sources.md ("Rules of the domain"); switch and access point costs are ours.
DEFAULT_POLICIES: dict[str, ReplacementPolicy] = {
    "Chromebook": ReplacementPolicy(cycle_years=4, unit_cost=Decimal("300")),
    "Laptop": ReplacementPolicy(cycle_years=5, unit_cost=Decimal("1100")),
    "Desktop": ReplacementPolicy(cycle_years=6, unit_cost=Decimal("950")),
    "Tablet": ReplacementPolicy(cycle_years=4, unit_cost=Decimal("400")),
    "Interactive Display": ReplacementPolicy(cycle_years=8, unit_cost=Decimal("3500")),
    "Projector": ReplacementPolicy(cycle_years=7, unit_cost=Decimal("900")),
    "Network Switch": ReplacementPolicy(cycle_years=5, unit_cost=Decimal("2500")),
    "Access Point": ReplacementPolicy(cycle_years=5, unit_cost=Decimal("700")),
}

# Which system's value wins when two asset systems disagree on a device field.
DEFAULT_FIELD_PRECEDENCE: dict[str, list[str]] = {
    "location": ["snipe_it", "incident_iq", "jamf", "google_admin"],
    "owner": ["snipe_it", "incident_iq", "jamf", "google_admin"],
    "status": ["google_admin", "snipe_it", "incident_iq", "jamf"],
    "aue_date": ["google_admin"],
}

# A common state chart of accounts; a district sets its own.
DEFAULT_FUND_CODES: dict[str, str] = {
    "100": "General Fund",
    "199": "E-Rate",
    "211": "Title I",
    "255": "Title II-A",
    "263": "Title IV-A",
    "282": "ESSER",
    "410": "Bond",
}

# The weekly digest's sections, in the order they are posted (assistant/digest.py builds each).
DIGEST_SECTIONS: tuple[str, ...] = (
    "renewals",
    "missed_deadlines",
    "replacements",
    "commitments",
    "tickets",
    "aging_tickets",
    "departures",
    "approvals",
    "data_quality",
)

PROVIDER_KEYS = ("llm_api_key", "openai_api_key", "anthropic_api_key")  # every one is masked
SUPPORTED_DATABASES = ("sqlite", "postgresql")
MIN_TOKEN_LENGTH = 16  # a named API token shorter than this can be guessed
_PLACEHOLDERS = {"changethis", "change-me", "xoxb-your-token", "your-token-here", "secret"}


class SettingsError(DistrictAssistantError):
    """The settings (environment variables or options) hold a value that cannot be used."""


def _alias(name: str) -> AliasChoices:
    """Accept the contract's bare variable name (SLACK_BOT_TOKEN) and the field name."""
    return AliasChoices(name, name.lower())


class Settings(BaseSettings):
    """district-assistant's settings; environment variables use the DISTRICT_ASSISTANT_ prefix."""

    model_config = SettingsConfigDict(
        env_prefix="DISTRICT_ASSISTANT_",
        env_nested_delimiter="__",
        validate_by_name=True,
        extra="ignore",
        hide_input_in_errors=True,  # a bad value may be a token or a URL with a password
    )

    data_dir: Path = Field(
        default_factory=lambda: Path(platformdirs.user_data_dir(APP_NAME)),
        description="Folder that holds the embedded SQLite database and the Chroma store.",
    )
    database_url: str | None = Field(
        default=None,
        repr=False,  # it may hold a password; repr(settings) must never show it
        description="SQLAlchemy URL of the database; default: sqlite:///<data_dir>/district.db.",
    )
    timezone: str = Field(
        default="America/Chicago", description="The district's time zone (IANA name)."
    )
    fiscal_year_start: str = Field(
        default="07-01", description="First day of the fiscal year as MM-DD (July 1 by default)."
    )
    replacement_policies: dict[str, ReplacementPolicy] = Field(
        default_factory=lambda: dict(DEFAULT_POLICIES),
        description="Replacement cycle (years) and unit cost per device category.",
    )
    labour_rate_per_hour: Decimal = Field(
        default=Decimal("45"), ge=0, description="Technician labour cost per hour, in dollars."
    )
    field_precedence: dict[str, list[str]] = Field(
        default_factory=lambda: {k: list(v) for k, v in DEFAULT_FIELD_PRECEDENCE.items()},
        description="For each device field, the asset systems in the order their value wins.",
    )
    fund_codes: dict[str, str] = Field(
        default_factory=lambda: dict(DEFAULT_FUND_CODES),
        description="Fund names by the first segment of a finance account code (fund-function-object).",
    )
    vendor_aliases: dict[str, str] = Field(
        default_factory=dict,
        description="Extra vendor names, each mapped to the vendor it means (adds to the shipped table).",
    )
    ingest_lock_timeout_seconds: float = Field(
        default=600.0,
        ge=0,
        description="Seconds an ingest waits for another one on the same database before giving up.",
    )
    llm_provider: str | None = Field(
        default=None,
        description="LLM provider (openai, anthropic, ollama, openai-compatible); none = offline.",
    )
    llm_model: str | None = Field(default=None, description="Model name for the LLM provider.")
    llm_base_url: str | None = Field(
        default=None, description="Base URL of an OpenAI-compatible server (vLLM, llama.cpp)."
    )
    llm_api_key: SecretStr | None = Field(default=None, description="API key for the provider.")
    openai_api_key: SecretStr | None = Field(
        default=None,
        validation_alias=_alias("OPENAI_API_KEY"),
        description="OpenAI's key, as its own tools name it; used when llm_api_key is unset.",
    )
    anthropic_api_key: SecretStr | None = Field(
        default=None,
        validation_alias=_alias("ANTHROPIC_API_KEY"),
        description="Anthropic's key, as its own tools name it; used when llm_api_key is unset.",
    )
    llm_timeout_seconds: float = Field(
        default=30.0, gt=0, description="Seconds before an LLM call falls back to the planner."
    )
    api_token: SecretStr | None = Field(
        default=None,
        validation_alias=_alias("DISTRICT_ASSISTANT_API_TOKEN"),
        description="Bearer token the REST API requires when set.",
    )
    api_tokens: dict[str, SecretStr] = Field(
        default_factory=dict,
        description="More REST API bearer tokens by caller name (JSON object); the finance "
        "allowlist sees each caller as the user api:<name> (DISTRICT_ASSISTANT_API_TOKEN is api).",
    )
    api_trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Addresses of reverse proxies whose X-Forwarded-For names the caller "
        "(comma-separated); none = the header is ignored.",
    )
    slack_bot_token: SecretStr | None = Field(
        default=None, validation_alias=_alias("SLACK_BOT_TOKEN"), description="Slack bot token."
    )
    slack_signing_secret: SecretStr | None = Field(
        default=None,
        validation_alias=_alias("SLACK_SIGNING_SECRET"),
        description="Verifies that requests to /slack/events come from Slack.",
    )
    slack_app_token: SecretStr | None = Field(
        default=None,
        validation_alias=_alias("SLACK_APP_TOKEN"),
        description="App-level token for Socket Mode.",
    )
    slack_api_url: str | None = Field(
        default=None,
        validation_alias=_alias("SLACK_API_URL"),
        description="Overrides the Slack Web API base URL (tests use a local stand-in).",
    )
    digest_channel: str | None = Field(
        default=None,
        validation_alias=_alias("DIGEST_CHANNEL"),
        description="Channel the weekly digest is posted to.",
    )
    digest_cron: str = Field(
        default="mon 07:00",
        validation_alias=_alias("DIGEST_CRON"),
        description="When the weekly digest is posted, in the district's time zone.",
    )
    digest_sections: list[str] = Field(
        default=list(DIGEST_SECTIONS),
        description="Sections of the weekly digest, in order (JSON list; any of the defaults).",
    )

    @field_validator("digest_sections")
    @classmethod
    def _check_digest_sections(cls, value: list[str]) -> list[str]:
        unknown = [name for name in value if name not in DIGEST_SECTIONS]
        if unknown:
            known = ", ".join(DIGEST_SECTIONS)
            raise ValueError(f"Unsupported digest section(s): {', '.join(unknown)}; use {known}")
        return value

    audit_retention_days: int = Field(
        default=365,
        ge=0,
        description="Days the audit log keeps who asked what; 0 keeps it forever.",
    )
    finance_allowed_channels: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Slack channel IDs that may get contract and budget answers (comma-separated); "
        "none = no restriction.",
    )
    finance_allowed_users: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Slack user IDs that may get contract and budget answers anywhere "
        "(comma-separated); none = no restriction.",
    )
    max_question_chars: int = Field(
        default=2000,
        gt=0,
        description="Longest question answered, in characters; a longer one is refused with a message.",
    )
    api_max_body_bytes: int = Field(
        default=1_048_576,
        gt=0,
        description="Largest request body the HTTP server reads (bytes); a larger one is a 413.",
    )
    database_busy_timeout_seconds: float = Field(
        default=15.0,
        gt=0,
        description="Seconds a question waits for a locked SQLite database before saying it is busy.",
    )

    @field_validator(
        "finance_allowed_channels", "finance_allowed_users", "api_trusted_proxies", mode="before"
    )
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            if value.lstrip().startswith("["):
                return json.loads(value)
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    chroma_host: str | None = Field(
        default=None,
        validation_alias=_alias("CHROMA_HOST"),
        description="Chroma server host; unset = embedded store in the data dir.",
    )
    chroma_port: int = Field(
        default=8000, validation_alias=_alias("CHROMA_PORT"), description="Chroma server port."
    )

    @field_validator("fiscal_year_start")
    @classmethod
    def _check_fiscal_start(cls, value: str) -> str:
        try:
            dt.date(2001, *(int(part) for part in value.split("-")))
        except (TypeError, ValueError) as exc:
            raise ValueError(f"fiscal_year_start must be MM-DD, got {value!r}") from exc
        return value

    @field_validator("timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str | None) -> str | None:
        if value is None:
            return value
        try:
            url = make_url(value) if "://" in value else None
        except (ArgumentError, ValueError):
            url = None
        if url is None:  # the value is not echoed: it may hold a password
            raise ValueError(
                "database_url must be a SQLAlchemy URL such as postgresql+psycopg://user@host/db"
            )
        if url.get_backend_name() not in SUPPORTED_DATABASES:
            raise ValueError(
                f"unsupported database {url.get_backend_name()!r}; use sqlite:///PATH or "
                "postgresql://USER@HOST/DB"
            )
        return value

    @model_validator(mode="after")
    def _refuse_placeholder_secrets(self) -> Settings:
        for name in ("api_token", "slack_bot_token", "slack_signing_secret", *PROVIDER_KEYS):
            secret = getattr(self, name)
            if secret is not None and secret.get_secret_value().lower() in _PLACEHOLDERS:
                raise ValueError(f"{name} is still a placeholder; set the real value")
        for name, secret in self.api_tokens.items():
            if len(secret.get_secret_value()) < MIN_TOKEN_LENGTH:
                raise ValueError(
                    f"api_tokens[{name}] is shorter than {MIN_TOKEN_LENGTH} characters"
                )
        return self

    def provider_key(self, provider: str) -> SecretStr | None:
        """The key for an LLM provider: ``llm_api_key``, else the provider's own variable."""
        own = {"openai": self.openai_api_key, "anthropic": self.anthropic_api_key}
        return self.llm_api_key or own.get(provider)

    @property
    def api_callers(self) -> dict[str, SecretStr]:
        """Every REST API token by caller name: ``api`` for ``api_token``, then ``api_tokens``."""
        main = {"api": self.api_token} if self.api_token is not None else {}
        return {**main, **{f"api:{name}": token for name, token in self.api_tokens.items()}}

    @property
    def resolved_database_url(self) -> str:
        """The database URL in force: the setting, or SQLite inside the data dir."""
        return self.database_url or f"sqlite:///{self.data_dir / 'district.db'}"

    @property
    def fiscal_calendar(self) -> FiscalCalendar:
        """The fiscal calendar the tools and the planner use."""
        month, day = (int(part) for part in self.fiscal_year_start.split("-"))
        return FiscalCalendar(start_month=month, start_day=day)

    def today(self) -> dt.date:
        """Today's date in the district's time zone."""
        return dt.datetime.now(ZoneInfo(self.timezone)).date()


@lru_cache
def get_settings() -> Settings:
    """The settings of this process, read once from the environment (CLI and server only)."""
    return Settings()
