"""Settings read from the environment (prefix ``NQ57_``) through pydantic-settings."""

from functools import lru_cache

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NQ57_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default="sqlite:///./nq57.db",
        description="SQLAlchemy URL; any postgresql+psycopg:// URL works the same.",
    )
    admin_api_key: SecretStr | None = Field(
        default=None,
        description="A bootstrap admin key (Bearer) so that a fresh install is usable.",
    )
    public_read: bool = Field(
        default=True,
        description="Anonymous clients may read the catalogue and indicator status.",
    )
    max_body_bytes: int = Field(default=16 * 1024 * 1024, ge=1024)
    db_pool_size: int = Field(default=5, ge=1)
    db_statement_timeout_ms: int = Field(
        default=30_000,
        ge=100,
        description="PostgreSQL's statement_timeout for the service's connections: the "
        "server cancels a statement running longer (503).",
    )
    db_connect_timeout_seconds: int = Field(
        default=5,
        ge=2,
        le=600,
        description="How long opening a PostgreSQL connection may take (libpq's "
        "connect_timeout; at least 2 s). Within a request it is cut to the time left.",
    )
    request_timeout_seconds: float = Field(
        default=30.0,
        gt=0,
        le=3600,
        description="The longest a request waits on the database in all: for a pooled "
        "connection, for a new one, and for every answer. Past it the request answers 503 "
        "with Retry-After, even when the database has frozen and answers nothing.",
    )
    rate_limit_per_minute: int = Field(
        default=600,
        ge=0,
        le=1_000_000,
        description="Requests a key may make per minute (per worker process); 0 turns it off.",
    )
    log_level: str = Field(
        default="INFO",
        pattern=r"^(?i:debug|info|warning|error|critical)$",
        description="Root log level; INFO writes one access line per request.",
    )
    log_json: bool = Field(default=True, description="JSON lines (false: plain text).")
    rate_limit_admin: bool = Field(
        default=False, description="Whether admin keys are rate-limited too."
    )
    auth_failures_per_minute: int = Field(
        default=20,
        ge=0,
        le=1_000_000,
        description="Failed authentications (a malformed, unknown or wrong API key) allowed "
        "per client address and per key prefix: a burst of this many, then this many per "
        "minute (per worker process). Past it, every authentication from that address or for "
        "that prefix, a correct key included, is answered 429 with Retry-After before the key "
        "is looked up. 0 turns it off.",
    )
    import_max_bytes: int = Field(
        default=10 * 1024 * 1024,
        ge=1024,
        description="The largest spreadsheet POST /api/v1/imports takes (413 above it). "
        "NQ57_MAX_BODY_BYTES still bounds the whole request.",
    )
    import_max_rows: int = Field(
        default=10_000,
        ge=1,
        le=1_000_000,
        description="The most data rows one spreadsheet may hold (413 above it: split it).",
    )
    import_max_unzipped_bytes: int = Field(
        default=100 * 1024 * 1024,
        ge=1024 * 1024,
        description="The most an .xlsx (a zip archive) may expand to, checked before the "
        "workbook is opened: a zip bomb is refused (413) without being inflated.",
    )
    import_max_zip_ratio: float = Field(
        default=100.0,
        ge=10.0,
        description="The most an .xlsx may expand by (uncompressed / compressed size) once "
        "past 1 MiB uncompressed; real workbooks stay well under it, zip bombs far above.",
    )
    feeds_allow_private_hosts: bool = Field(
        default=False,
        description="Let `nq57 feeds sync` read feeds whose host resolves to a non-public "
        "address (loopback, private, link-local, reserved...). Off, such a feed is refused "
        "before any request, so a channel's feed_url cannot reach internal services (SSRF); "
        "turn it on only when the province's own portals live on a private network.",
    )


@lru_cache
def get_settings() -> Settings:
    return Settings()
