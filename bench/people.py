"""Training sessions with attendance (and, for one in ten, a roster of named people),
and the figures every agency reports.

Rosters draw from each agency's pool of people, so one person trained twice counts once
where the status engine counts distinct people. Figures do not grow with the scale:
every agency reports them whatever the number of records.
"""

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from app.training_sessions.models import TrainingSession
from bench.load import Loader, folded, search_row_text, tags
from bench.material import FAMILY, GIVEN, MIDDLE, TRAINING_TITLES
from bench.world import LOADED_AT, ProvinceWorld, World

SESSION_COLUMNS = (
    "id",
    "agency_code",
    "kind",
    "title",
    "started_on",
    "ended_on",
    "mode",
    "location",
    "topics",
    "audiences",
    "source",
    "external_id",
    "search_text",
    "version",
    "created_at",
    "updated_at",
)
ATTENDANCE_COLUMNS = ("id", "session_id", "agency_code", "audience", "participants", "passed")
PARTICIPANT_COLUMNS = (
    "id",
    "session_id",
    "agency_code",
    "full_name",
    "role",
    "audience",
    "passed",
    "person_key",
)
FIGURE_COLUMNS = (
    "id",
    "metric",
    "agency_code",
    "period",
    "period_start",
    "period_end",
    "value",
    "note",
    "source",
    "external_id",
    "version",
    "created_at",
    "updated_at",
)
# (title template index, kind, mode, audiences, topics, attendee audience, who attends)
PROGRAMMES = (
    (
        0,
        "training",
        "in_person",
        ("digital_team_members",),
        ("digital_literacy", "nq57"),
        "digital_team_members",
        "teams",
    ),
    (
        1,
        "refresher",
        "hybrid",
        ("grassroots_info_staff", "comms_staff"),
        ("digital_transformation", "nq57"),
        "grassroots_info_staff",
        "units",
    ),
    (
        1,
        "training",
        "online",
        ("comms_staff", "external_info_staff"),
        ("digital_transformation",),
        "comms_staff",
        "departments",
    ),
    (
        2,
        "briefing",
        "in_person",
        ("civil_servants", "leaders"),
        ("nq57", "nq71", "ctr29"),
        "civil_servants",
        "self",
    ),
    (
        3,
        "seminar",
        "hybrid",
        ("leaders", "civil_servants"),
        ("ai", "innovation"),
        "leaders",
        "departments",
    ),
    (
        4,
        "online_contest",
        "online",
        ("citizens", "youth_students"),
        ("digital_literacy",),
        "citizens",
        "self",
    ),
    (
        5,
        "training",
        "online",
        ("portal_operators", "comms_staff"),
        ("digital_transformation",),
        "portal_operators",
        "departments",
    ),
)
QUARTERS = (
    ("2026-Q1", date(2026, 1, 1), date(2026, 3, 31)),
    ("2026-Q2", date(2026, 4, 1), date(2026, 6, 30)),
    ("2026-Q3", date(2026, 7, 1), date(2026, 9, 30)),
    ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
)
YEAR = ("2026", date(2026, 1, 1), date(2026, 12, 31))


def _pool(rng: random.Random, pools: dict[str, list[str]], code: str) -> list[str]:
    if code not in pools:
        pools[code] = sorted(
            {f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}" for _ in range(30)}
        )
    return pools[code]


def _attendees(rng: random.Random, pw: ProvinceWorld, organiser: str, who: str) -> list[str]:
    if who == "self":
        return [organiser]
    if who == "teams":
        if organiser in pw.units:
            return [pw.teams[pw.units.index(organiser)]]
        return rng.sample(pw.teams, min(len(pw.teams), rng.randint(3, 8)))
    if who == "units":
        return [organiser] if organiser in pw.units else rng.sample(pw.units, min(len(pw.units), 5))
    return rng.sample(pw.departments, min(len(pw.departments), rng.randint(2, 6)))


def training_sessions(loader: Loader, rng: random.Random, world: World, count: int) -> None:
    organisers: list[tuple[ProvinceWorld, str]] = []
    for pw in world.provinces:
        organisers += [(pw, code) for code in pw.units]
        organisers += [(pw, code) for code in pw.departments[:4] * 6 + pw.mass + pw.press]
    session_id = loader.next_id("training_session")
    attendance_id = loader.next_id("training_attendance")
    participant_id = loader.next_id("training_participant")
    attendance: list[tuple[Any, ...]] = []
    participants: list[tuple[Any, ...]] = []
    people: dict[str, list[str]] = {}

    def rows() -> Iterator[tuple[Any, ...]]:
        nonlocal attendance_id, participant_id
        for offset in range(count):
            sid = session_id + offset
            pw, organiser = rng.choice(organisers)
            template, kind, mode, audiences, topics, audience, who = rng.choice(PROGRAMMES)
            place = pw.place.get(organiser, pw.province.name)
            title = TRAINING_TITLES[template].format(place=place)
            started = date(2026, 1, 1) + timedelta(days=rng.randint(0, 364))
            ended = started + timedelta(days=rng.choice((0, 0, 0, 1, 2)))
            location = None if mode == "online" else f"Hội trường {place}"
            values = {"title": title, "location": location}
            stamp = datetime(ended.year, ended.month, ended.day, 10, tzinfo=UTC) + timedelta(days=2)
            yield (
                sid,
                organiser,
                kind,
                title,
                started,
                ended,
                mode,
                location,
                tags(topics),
                tags(audiences),
                f"lms-{pw.province.slug}",
                str(sid),
                search_row_text(TrainingSession, values),
                1,
                stamp,
                stamp,
            )
            with_roster = rng.random() < 0.1
            for agency in _attendees(rng, pw, organiser, who):
                present = rng.randint(5, 40) if who != "self" else rng.randint(20, 300)
                passed = int(present * rng.uniform(0.5, 1.0))
                attendance.append((attendance_id, sid, agency, audience, present, passed))
                attendance_id += 1
                if not with_roster:
                    continue
                pool = _pool(rng, people, agency)
                for name in rng.sample(pool, min(len(pool), present)):
                    participants.append(
                        (
                            participant_id,
                            sid,
                            agency,
                            name,
                            "Thành viên",
                            audience,
                            rng.random() < 0.75,
                            f"{folded(name)[:200]}|{agency}",
                        )
                    )
                    participant_id += 1

    loader.copy("training_session", SESSION_COLUMNS, rows())
    loader.copy("training_attendance", ATTENDANCE_COLUMNS, attendance)
    loader.copy("training_participant", PARTICIPANT_COLUMNS, participants)
    for table in ("training_session", "training_attendance", "training_participant"):
        loader.fix_sequence(table)


def figures(loader: Loader, rng: random.Random, world: World) -> None:
    """Year totals and quarterly progress for every agency the plan's ratios look at;
    one agency in ten has not reported its progress."""
    next_id = loader.next_id("figure")
    rows: list[tuple[Any, ...]] = []

    def add(metric: str, code: str, period: tuple[str, date, date], value: float) -> None:
        nonlocal next_id
        label, start, end = period
        stamp = datetime(end.year, end.month, end.day, tzinfo=UTC) + timedelta(days=5)
        stamp = max(stamp, LOADED_AT)
        rows.append(
            (
                next_id,
                metric,
                code,
                label,
                start,
                end,
                float(value),
                None,
                None,
                None,
                1,
                stamp,
                stamp,
            )
        )
        next_id += 1

    for pw in world.provinces:
        for code in pw.departments + pw.mass + pw.units:
            total = rng.randint(40, 150) if code in pw.departments else rng.randint(15, 45)
            add("staff_total", code, YEAR, total)
            if code not in pw.mass:
                add("comms_staff_total", code, YEAR, rng.randint(2, 8))
            if rng.random() < 0.9:
                reached = rng.uniform(0.5, 1.0)
                for q, quarter in enumerate(QUARTERS, start=1):
                    add("staff_briefed", code, quarter, int(total * reached * q / 4))
        for unit, team in zip(pw.units, pw.teams, strict=True):
            population = rng.randint(3000, 40000)
            add("population", unit, YEAR, population)
            add("digital_team_members", team, YEAR, rng.randint(5, 25))
            reach = rng.uniform(0.5, 0.98)
            for q, quarter in enumerate(QUARTERS, start=1):
                add("population_reached", unit, quarter, int(population * reach * (0.7 + 0.1 * q)))
    loader.copy("figure", FIGURE_COLUMNS, rows)
    loader.fix_sequence("figure")
