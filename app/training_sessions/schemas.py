from datetime import date, datetime
from typing import Annotated

from fastapi import Query
from pydantic import BaseModel, Field, field_validator
from pydantic_core import PydanticCustomError

from app.core.field_rules import FieldOrder
from app.core.filters import IsoDate, SearchQuery
from app.core.schemas import InputModel, Page, PushedInput, PushSource, ReadModel, with_examples
from app.core.text import fold
from app.core.vocab import Audience, Topic, TrainingKind, TrainingMode

MAX_PARTICIPANTS = 10**6
MAX_ATTENDANCE_ROWS = 2000
MAX_ROSTER_ROWS = 20000

AgencyCode = Annotated[str, Field(min_length=1, max_length=80, examples=["xa-bao-lam"])]


class AttendanceRow(InputModel):
    """How many people of one agency and audience attended, and how many of them passed."""

    ordered_fields = (FieldOrder("passed", "participants", "passed must not exceed participants"),)

    agency_code: AgencyCode
    audience: Audience
    participants: int = Field(ge=0, le=MAX_PARTICIPANTS)
    passed: int = Field(
        default=0, ge=0, le=MAX_PARTICIPANTS, description="Of the participants, passed the test."
    )


class RosterEntry(InputModel):
    """A named participant: name, agency and role, nothing more (no other personal data)."""

    full_name: str = Field(min_length=1, max_length=200)
    agency_code: AgencyCode
    role: str | None = Field(default=None, max_length=200, description="Chức vụ / vai trò.")
    audience: Audience | None = None
    passed: bool = False

    @field_validator("full_name")
    @classmethod
    def _has_letters(cls, value: str) -> str:
        if not fold(value):
            raise PydanticCustomError("no_letters", "full_name must contain letters")
        return value


Attendance = Annotated[
    list[AttendanceRow],
    Field(
        max_length=MAX_ATTENDANCE_ROWS,
        description="One row per (agency_code, audience); a repeated pair is refused.",
    ),
]
Roster = Annotated[
    list[RosterEntry],
    Field(
        max_length=MAX_ROSTER_ROWS,
        description="Named participants, optional. A person is identified by the folded name "
        "and the agency (`Nông Văn Minh` of `xa-bao-lam` is one person in every session), so "
        "one person trained twice counts once.",
    ),
]
Title = Annotated[str, Field(min_length=1, max_length=1000)]
Location = Annotated[str | None, Field(default=None, max_length=300)]
Topics = Annotated[list[Topic], Field(max_length=20)]
Audiences = Annotated[list[Audience], Field(max_length=20)]

_EXAMPLE = {
    "agency_code": "so-vhttdl",
    "kind": "training",
    "title": "Tập huấn kỹ năng truyền thông trên nền tảng số cho Tổ công nghệ số cộng đồng",
    "started_on": "2026-04-15",
    "ended_on": "2026-04-16",
    "mode": "hybrid",
    "location": "Hội trường Sở Văn hóa, Thể thao và Du lịch, phường Thục Phán",
    "topics": ["nq57", "digital_transformation", "digital_literacy"],
    "audiences": ["digital_team_members", "grassroots_info_staff"],
    "attendance": [
        {
            "agency_code": "to-cns-xa-bao-lam",
            "audience": "digital_team_members",
            "participants": 12,
            "passed": 11,
        },
        {
            "agency_code": "xa-ly-bon",
            "audience": "grassroots_info_staff",
            "participants": 2,
            "passed": 2,
        },
    ],
    "roster": [
        {
            "full_name": "Nông Văn Minh",
            "agency_code": "to-cns-xa-bao-lam",
            "role": "Tổ trưởng",
            "audience": "digital_team_members",
            "passed": True,
        }
    ],
    "source": "qlvb-so-vhttdl",
    "external_id": "TH-2026-014",
}


class TrainingSessionCreate(PushedInput):
    ordered_fields = (
        FieldOrder("started_on", "ended_on", "ended_on must not be before started_on"),
    )

    agency_code: AgencyCode = Field(description="The organiser (đơn vị tổ chức).")
    kind: TrainingKind
    title: Title
    started_on: date
    ended_on: date = Field(description="Last day; the same as started_on for a one-day session.")
    mode: TrainingMode
    location: Location = None
    topics: Topics = Field(default_factory=list)
    audiences: Audiences = Field(default_factory=list)
    attendance: Attendance = Field(default_factory=list)
    roster: Roster = Field(default_factory=list)
    source: PushSource = None
    external_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="Its own id for the session; give it together with `source`, or neither.",
    )

    model_config = with_examples(_EXAMPLE)


class TrainingSessionUpdate(InputModel):
    """Every field optional. `attendance` and `roster`, when given, replace the lists whole."""

    contract_not_null = (
        "agency_code",
        "kind",
        "title",
        "started_on",
        "ended_on",
        "mode",
        "topics",
        "audiences",
        "attendance",
        "roster",
    )

    agency_code: AgencyCode | None = None
    kind: TrainingKind | None = None
    title: Title | None = None
    started_on: date | None = None
    ended_on: date | None = None
    mode: TrainingMode | None = None
    location: Location = None
    topics: Topics | None = None
    audiences: Audiences | None = None
    attendance: Attendance | None = None
    roster: Roster | None = None

    model_config = with_examples(
        {
            "attendance": [
                {
                    "agency_code": "to-cns-xa-bao-lam",
                    "audience": "digital_team_members",
                    "participants": 12,
                    "passed": 12,
                }
            ]
        }
    )


class AttendanceRead(ReadModel):
    agency_code: str
    audience: Audience
    participants: int
    passed: int


class RosterEntryRead(ReadModel):
    full_name: str
    agency_code: str
    role: str | None
    audience: Audience | None
    passed: bool
    person_key: str = Field(
        description="Folded name + `|` + agency code: the identity a person is counted by."
    )


class TrainingSessionSummary(ReadModel):
    """A session as lists show it: the roster is counted, not listed."""

    id: int
    agency_code: str
    kind: TrainingKind
    title: str
    started_on: date
    ended_on: date
    mode: TrainingMode
    location: str | None
    topics: list[Topic]
    audiences: list[Audience]
    attendance: list[AttendanceRead]
    roster_size: int = Field(description="Named participants in the roster.")
    source: str | None
    external_id: str | None
    created_at: datetime
    updated_at: datetime


class TrainingSessionRead(TrainingSessionSummary):
    """One session with its whole roster."""

    roster: list[RosterEntryRead]


TrainingSessionPage = Page[TrainingSessionSummary]


class TrainingSessionFilters(BaseModel):
    """The query parameters of the training session list."""

    agency: Annotated[
        str | None, Query(max_length=80, description="The organiser's agency code.")
    ] = None
    attendee_agency: Annotated[
        str | None,
        Query(
            max_length=80,
            description="Sessions with attendance or roster rows of this agency, whoever "
            "organised them.",
        ),
    ] = None
    kind: Annotated[
        list[TrainingKind] | None,
        Query(description="One or more kinds, e.g. `kind=training&kind=refresher`.", max_length=10),
    ] = None
    topic: Annotated[Topic | None, Query(description="Sessions with this topic.")] = None
    audience: Annotated[Audience | None, Query(description="Sessions meant for this audience.")] = (
        None
    )
    start: Annotated[
        IsoDate | None, Query(alias="from", description="Started on or after this day.")
    ] = None
    end: Annotated[
        IsoDate | None, Query(alias="to", description="Started on or before this day.")
    ] = None
    q: SearchQuery = None
