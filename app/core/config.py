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
    db_statement_timeout_ms: int = Field(default=30_000, ge=100)
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


@lru_cache
def get_settings() -> Settings:
    return Settings()
