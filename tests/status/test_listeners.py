"""The write listeners: installed by ``register_listeners()`` only, and only once."""

import subprocess
import sys

import sqlalchemy as sa
from sqlalchemy.orm import Session as OrmSession

from app.core import search_index, write_hooks
from app.listeners import register_listeners
from app.status.tallies import maintenance


def test_registering_again_changes_nothing() -> None:
    register_listeners()  # conftest registered them already
    register_listeners()
    assert sa.event.contains(OrmSession, "before_flush", search_index.refresh_before_flush)
    for event, listener in maintenance.FLUSH_LISTENERS:
        assert sa.event.contains(OrmSession, event, listener)
    assert len(write_hooks._rows_written) == 1
    assert len(write_hooks._catalogue_changed) == 1


def test_nothing_registers_itself_at_import_time() -> None:
    code = (
        "import sqlalchemy as sa\n"
        "from sqlalchemy.orm import Session\n"
        "import app.models, app.api, app.status.tallies\n"
        "from app.core import search_index, write_hooks\n"
        "from app.status.tallies import maintenance\n"
        "pairs = [('before_flush', search_index.refresh_before_flush),"
        " *maintenance.FLUSH_LISTENERS]\n"
        "assert not any(sa.event.contains(Session, e, f) for e, f in pairs)\n"
        "assert not write_hooks._rows_written and not write_hooks._catalogue_changed\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
