"""How PostgreSQL stores the tallies, as the migrations leave them: the count is in no
index and pages keep room, so that adding to a tally updates it in its page (HOT)."""

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from tests.conftest import TEST_DATABASE_URL

pytestmark = pytest.mark.skipif(
    not TEST_DATABASE_URL.startswith("postgresql"), reason="PostgreSQL storage parameters"
)


def test_tally_pages_keep_room_for_updates_in_place(session: Session) -> None:
    options = session.execute(
        sa.text("SELECT reloptions FROM pg_class WHERE relname = 'record_tally'")
    ).scalar_one()
    assert options == ["fillfactor=70"]


def test_no_index_of_the_tallies_holds_the_count(session: Session) -> None:
    definitions = session.execute(
        sa.text("SELECT indexdef FROM pg_indexes WHERE tablename = 'record_tally'")
    ).scalars()
    columns_of = {d.split(" USING ")[0]: d.split(" USING btree ")[1] for d in definitions}
    assert columns_of == {
        "CREATE UNIQUE INDEX pk_record_tally ON public.record_tally": (
            "(filter_id, agency_code, bucket)"
        ),
        "CREATE INDEX ix_record_tally_agency_bucket ON public.record_tally": (
            "(agency_code, bucket, filter_id)"
        ),
    }
