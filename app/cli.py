"""The ``nq57`` command: serve, database migrations, seed, API keys, contract, feeds."""

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from alembic import command
from sqlmodel import Session

from app.core.config import get_settings
from app.core.migrations import PROJECT_ROOT, alembic_config
from app.core.vocab import Scope

cli = typer.Typer(help="nq57-tracker: tracking Plan 209/KH-UBND.", no_args_is_help=True)
db_cli = typer.Typer(help="Database migrations (Alembic).", no_args_is_help=True)
keys_cli = typer.Typer(help="API keys.", no_args_is_help=True)
feeds_cli = typer.Typer(help="Channels' RSS/Atom feeds.", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
cli.add_typer(keys_cli, name="keys")
cli.add_typer(feeds_cli, name="feeds")


def _fail(message: str) -> NoReturn:
    """One line on stderr, exit code 1: what went wrong and what to do."""
    typer.echo(f"nq57: {message}", err=True)
    raise typer.Exit(1)


def _project_database(url: str) -> str | None:
    """The project's own SQLite file when the URL is relative and the working directory is
    not the project's (``sqlite:///./nq57.db`` run from elsewhere), for the error message."""
    from sqlalchemy.exc import ArgumentError

    from app.first_run import sqlite_file

    try:
        path = sqlite_file(url)
    except ArgumentError:
        return None
    if path is None or path.is_absolute():
        return None
    candidate = (PROJECT_ROOT / path).resolve()
    if candidate == path.resolve() or not candidate.exists():
        return None
    return f"sqlite:///{candidate}"


def _database(*, migrated: bool = True, announce: bool = True) -> None:
    """Name the database on stderr (``announce``) and make sure it exists and answers and,
    when ``migrated``, is at the migrations' head; otherwise exit with one line. Never
    creates a SQLite file."""
    from app.first_run import DatabaseNotReady, check_database, display_url

    settings = get_settings()
    url = settings.database_url
    try:
        check_database(
            url,
            settings,
            alembic_config() if migrated else None,
            other_url=_project_database(url),
        )
    except DatabaseNotReady as exc:
        _fail(str(exc))  # the line names the database
    if announce:
        typer.echo(f"nq57: database {display_url(url)}", err=True)


@contextmanager
def _command_session() -> Iterator[Session]:
    """A session for one command, on a database that is ready (``_database``). A command
    is a boundary: what its services flushed is committed when the block ends without
    an error, and rolled back otherwise."""
    from app.core.db import get_engine

    _database()
    with Session(get_engine(), expire_on_commit=False) as session:
        yield session
        session.commit()


@db_cli.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Migrate the database up to REVISION (default: head); at head, also count the
    stored records of any indicator filter not tallied yet (app/status/tallies.py).
    A SQLite database's file is created when missing."""
    from app.first_run import display_url

    typer.echo(f"nq57: database {display_url(get_settings().database_url)}", err=True)
    command.upgrade(alembic_config(), revision)
    if revision == "head":
        from app.core.db import get_engine, without_statement_timeout
        from app.status import tallies

        with Session(get_engine()) as session:
            without_statement_timeout(session)  # a new filter's count reads whole tables
            added = tallies.sync_filters(session)
            session.commit()
        if added:
            typer.echo(f"tallied {added} new indicator filter(s)")


# "-1" is a revision, not an option.
@db_cli.command("downgrade", context_settings={"ignore_unknown_options": True})
def db_downgrade(revision: Annotated[str, typer.Argument(help="e.g. -1 or base")]) -> None:
    """Migrate the database down to REVISION."""
    _database(migrated=False)
    command.downgrade(alembic_config(), revision)


@db_cli.command("current")
def db_current() -> None:
    """Show the database's revision."""
    _database(migrated=False)
    command.current(alembic_config(), verbose=False)


@db_cli.command("check")
def db_check() -> None:
    """Fail when the models and the migrations differ."""
    _database(migrated=False)
    command.check(alembic_config())


@cli.command()
def seed() -> None:
    """Load Plan 209, its agency groups and the province's agencies (idempotent)."""
    from app.seed.loader import seed as run_seed

    with _command_session() as session:
        report = run_seed(session)
    typer.echo(f"seed: {report}")


@cli.command()
def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    reload: bool = False,
) -> None:
    """Serve the API with uvicorn (Swagger UI at /docs). Refuses to start unless the
    database is at the migrations' head; warns when no admin key exists."""
    import uvicorn

    from app.core.logging import configure_logging
    from app.first_run import inspection_engine, startup_report

    settings = get_settings()
    _database(announce=False)  # the startup line below names it
    configure_logging(settings.log_level, json_lines=settings.log_json)
    engine = inspection_engine(settings.database_url, settings)
    try:
        startup_report(engine, settings, host=host, port=port)
    finally:
        engine.dispose()
    # Fewer malloc arenas in the workers (they inherit the environment): less memory kept
    # after the large allocations of a batch push, at no measurable cost in speed.
    os.environ.setdefault("MALLOC_ARENA_MAX", "2")
    # The app writes its own JSON access line per request (app.core.logging).
    uvicorn.run(
        "app.main:app",
        host=host,
        port=port,
        workers=workers,
        reload=reload,
        proxy_headers=True,
        access_log=False,
        server_header=False,
        log_config=None,
    )


@cli.command()
def openapi(
    output: Annotated[Path, typer.Option(help="Where to write the contract.")] = Path(
        "openapi/openapi.json"
    ),
) -> None:
    """Write the OpenAPI contract generated from the app (sorted keys, stable)."""
    from app.core.openapi import render_contract
    from app.main import create_app

    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(render_contract(create_app()), encoding="utf-8")
    typer.echo(f"wrote {output}")


@keys_cli.command("create")
def keys_create(
    agency: Annotated[str, typer.Option(help="Agency code the key is bound to.")],
    scope: Annotated[list[Scope], typer.Option(help="read, write or admin; repeatable.")],
    name: Annotated[str, typer.Option(help="What the key is for.")] = "cli",
    expires: Annotated[
        datetime | None, typer.Option(help="Expiry instant (UTC when no offset).")
    ] = None,
) -> None:
    """Create a key; its secret is printed once and never stored."""
    from app.auth.service import create_api_key
    from app.core.errors import InvalidInput
    from app.core.principal import SYSTEM

    if expires is not None and expires.tzinfo is None:
        expires = expires.replace(tzinfo=UTC)
    with _command_session() as session:
        try:
            key, secret = create_api_key(
                session,
                agency_code=agency,
                scopes=scope,
                name=name,
                expires_at=expires,
                actor=SYSTEM,
            )
        except InvalidInput as exc:
            _fail(f"{exc.detail} `nq57 seed` loads the province's agencies (Sở VHTTDL: so-vhttdl).")
    typer.echo(json.dumps({"prefix": key.prefix, "agency": agency, "key": secret}))


@keys_cli.command("list")
def keys_list(agency: str | None = None) -> None:
    """List keys (never their secrets)."""
    from app.auth.service import list_api_keys

    with _command_session() as session:
        for key in list_api_keys(session, agency_code=agency):
            state = "revoked" if key.revoked_at else "active"
            typer.echo(f"{key.prefix}\t{key.agency_code}\t{','.join(key.scopes)}\t{state}")


@keys_cli.command("revoke")
def keys_revoke(prefix: str) -> None:
    """Revoke a key by its prefix."""
    from app.auth.service import revoke_api_key
    from app.core.errors import AppError
    from app.core.principal import SYSTEM

    with _command_session() as session:
        try:
            revoke_api_key(session, prefix=prefix, actor=SYSTEM)
        except AppError as exc:
            _fail(exc.detail)
    typer.echo(f"revoked {prefix}")


@feeds_cli.command("sync")
def feeds_sync(
    channel: Annotated[
        list[int] | None, typer.Option(help="Only this channel id; repeatable.")
    ] = None,
    timeout: Annotated[
        float, typer.Option(help="Seconds allowed for each feed (each step and in all).")
    ] = 20.0,
    max_bytes: Annotated[int, typer.Option(help="Largest feed read, in bytes.")] = 5 * 1024**2,
) -> None:
    """Read each active channel's feed into media products (safe to repeat)."""
    from app.feeds.fetch import FetchLimits
    from app.feeds.sync import sync_feeds

    limits = FetchLimits(timeout_seconds=timeout, max_bytes=max_bytes)
    with _command_session() as session:
        outcomes = sync_feeds(session, limits=limits, channel_ids=channel)
    for outcome in outcomes:
        typer.echo(f"channel {outcome.channel_id} ({outcome.name}): {outcome.result}")
    failed = sum(not o.ok for o in outcomes)
    typer.echo(f"feeds: {len(outcomes)} synced, {failed} failed", err=True)


def main() -> None:
    from pydantic import ValidationError
    from sqlalchemy.exc import ArgumentError, DBAPIError

    from app.listeners import register_listeners

    register_listeners()

    try:
        get_settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"NQ57_{'_'.join(str(part) for part in error['loc']).upper()}: {error['msg']}"
            for error in exc.errors()
        )
        typer.echo(f"nq57: invalid setting: {problems}", err=True)
        sys.exit(1)
    try:
        cli()
    except (DBAPIError, ArgumentError) as exc:
        # Past the checks above, e.g. the database went away mid-command or `db upgrade`
        # met a URL it cannot use: one line, not SQLAlchemy's traceback.
        from app.first_run import display_url

        cause = getattr(exc, "orig", None) or exc
        first = (str(cause).strip().splitlines() or [""])[0]
        url = display_url(get_settings().database_url)
        typer.echo(f"nq57: database {url}: {type(cause).__name__}: {first}", err=True)
        sys.exit(1)
    except Exception as exc:
        from alembic.util.exc import CommandError

        if isinstance(exc, CommandError):  # alembic's own, e.g. an unknown revision
            typer.echo(f"nq57: {exc}", err=True)
            sys.exit(1)
        raise


if __name__ == "__main__":
    main()
