"""Where the Alembic migrations are, for the CLI and the health check."""

from pathlib import Path

from alembic.config import Config

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def alembic_config() -> Config:
    # A source checkout keeps alembic.ini beside app/; an installed package (the container)
    # finds it in the working directory.
    root = PROJECT_ROOT if (PROJECT_ROOT / "alembic.ini").exists() else Path.cwd()
    config = Config(str(root / "alembic.ini"))
    config.set_main_option("script_location", str(root / "migrations"))
    return config
