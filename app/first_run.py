"""What a first run needs to be told: which database, whether it is ready, where the docs
are, whether anyone can administer the service.

Used by the ``nq57`` command (app/cli.py) before it touches the database and by
``nq57 serve`` before uvicorn starts; the app itself never imports it.
"""

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from app.core.config import Settings

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger("app.first_run")

ADMIN_KEY_HINT = (
    "set NQ57_ADMIN_API_KEY (e.g. `NQ57_ADMIN_API_KEY=<a long random secret> make run`) "
    "or make a key with `nq57 keys create --agency so-vhttdl --scope admin`"
)


class DatabaseNotReady(Exception):
    """The database cannot serve this command; the message is one line for people."""


def display_url(url: str) -> str:
    """The URL with any password hidden (``***``)."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "<NQ57_DATABASE_URL, not a valid SQLAlchemy URL>"


def sqlite_file(url: str) -> Path | None:
    """The file a ``sqlite:`` URL names (relative to the working directory, as SQLite
    opens it); None for other databases, in-memory ones and ``file:`` URIs."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return None
    return Path(database)


def _first_line(exc: BaseException) -> str:
    cause = getattr(exc, "orig", None) or exc
    lines = [line.strip() for line in str(cause).splitlines() if line.strip()]
    return lines[0] if lines else type(cause).__name__


def inspection_engine(url: str, settings: Settings) -> sa.Engine:
    """A plain engine, no pool, no pragmas: looking must not change the database (the
    service's engine turns WAL on, for one). Dispose of it after use."""
    connect_args: dict[str, object] = {}
    if make_url(url).get_backend_name() == "postgresql":
        connect_args["connect_timeout"] = settings.db_connect_timeout_seconds
    return sa.create_engine(url, poolclass=NullPool, connect_args=connect_args)


def check_database(
    url: str,
    settings: Settings,
    alembic: "Config | None",
    *,
    other_url: str | None = None,
) -> None:
    """Raise DatabaseNotReady unless the database exists and answers and, when
    ``alembic`` is given, is at the migrations' head. A SQLite file that does not
    exist is reported, never created. ``other_url``: a database the person may have
    meant (named in the message)."""
    shown = display_url(url)
    upgrade = "run `nq57 db upgrade` (and `nq57 seed`) first"
    elsewhere = (
        f"set NQ57_DATABASE_URL={display_url(other_url)}" if other_url else "set NQ57_DATABASE_URL"
    )
    try:
        path = sqlite_file(url)
    except sa.exc.ArgumentError as exc:
        raise DatabaseNotReady("NQ57_DATABASE_URL is not a valid SQLAlchemy URL") from exc
    if path is not None and not path.exists():
        raise DatabaseNotReady(
            f"database {shown} does not exist (no file {path.resolve()}); {upgrade}, or {elsewhere}"
        )
    try:
        engine = inspection_engine(url, settings)
    except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError) as exc:
        raise DatabaseNotReady(f"cannot use database {shown}: {_first_line(exc)}") from exc
    try:
        with engine.connect() as conn:
            tables = set(sa.inspect(conn).get_table_names()) - {"alembic_version"}
            if alembic is None:
                return
            from alembic.runtime.migration import MigrationContext

            current = tuple(MigrationContext.configure(conn).get_current_heads())
    except sa.exc.DBAPIError as exc:
        raise DatabaseNotReady(
            f"cannot reach database {shown}: {_first_line(exc)}; "
            f"check NQ57_DATABASE_URL and that the database is up"
        ) from exc
    finally:
        engine.dispose()
    if not current:
        if not tables:
            raise DatabaseNotReady(f"database {shown} has no tables; {upgrade}, or {elsewhere}")
        raise DatabaseNotReady(
            f"database {shown} has tables but no migration revision (no alembic_version): "
            f"not an nq57 database? {elsewhere}"
        )
    _check_revisions(shown, current, alembic)


def _check_revisions(shown: str, current: Sequence[str], alembic: "Config") -> None:
    from alembic.script import ScriptDirectory
    from alembic.util.exc import CommandError

    script = ScriptDirectory.from_config(alembic)
    heads = tuple(script.get_heads())
    if set(current) == set(heads):
        return
    at, head = ", ".join(sorted(current)), ", ".join(sorted(heads))
    for revision in current:
        try:
            script.get_revision(revision)
        except CommandError:
            raise DatabaseNotReady(
                f"database {shown} is at revision {revision}, which this code's migrations do "
                f"not know (head is {head}): it was migrated by a newer nq57"
            ) from None
    raise DatabaseNotReady(
        f"database {shown} is not at the latest migration (at {at}, head is {head}): "
        f"run `nq57 db upgrade`"
    )


def has_admin_key(bind: sa.Engine | sa.Connection, settings: Settings) -> bool:
    """NQ57_ADMIN_API_KEY is set, or the database holds an active admin-scope key."""
    configured = settings.admin_api_key
    if configured is not None and configured.get_secret_value().strip():
        return True
    from sqlmodel import Session, col, select

    from app.auth.models import ApiKey
    from app.core.filters import has_tag
    from app.core.types import utcnow
    from app.core.vocab import Scope

    now = utcnow()
    with Session(bind) as session:
        expiries = session.exec(
            select(ApiKey.expires_at).where(
                col(ApiKey.revoked_at).is_(None), has_tag(col(ApiKey.scopes), Scope.admin.value)
            )
        ).all()
    return any(expires is None or expires > now for expires in expiries)


def has_agencies(bind: sa.Engine | sa.Connection) -> bool:
    from sqlmodel import Session

    with Session(bind) as session:
        return session.execute(sa.text("SELECT 1 FROM agency LIMIT 1")).first() is not None


def docs_url(host: str, port: int) -> str:
    """Where a browser on this machine finds Swagger UI (a wildcard address is shown as
    loopback, since a browser cannot go to 0.0.0.0)."""
    shown = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


def startup_report(
    bind: sa.Engine | sa.Connection, settings: Settings, *, host: str, port: int
) -> None:
    """Log where the docs are and warn about what a fresh install still lacks: an admin
    key, the agencies. Two quick queries; call it before the server starts."""
    base = docs_url(host, port)
    log.info(
        "Swagger UI at %s/docs, ReDoc at /redoc (database %s)",
        base,
        display_url(settings.database_url),
    )
    if not has_agencies(bind):
        log.warning("the database has no agencies: run `nq57 seed` to load Plan 209 and them")
    if not has_admin_key(bind, settings):
        reads = (
            "only anonymous reads of the catalogue work"
            if settings.public_read
            else "no request can be authorised (NQ57_PUBLIC_READ is false)"
        )
        log.warning("no admin key: %s; %s", reads, ADMIN_KEY_HINT)
