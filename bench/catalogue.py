"""The nation's catalogue: agencies, groups, plans and channels of the 34 provinces.

Cao Bằng comes from the seed (`nq57 seed`: its agencies, the seed groups and plan
``kh-209-2026``). Every other province gets the same structure: a people's committee,
party body, Fatherland Front and mass organisations, departments, press, a portal, its
communes and wards with a digital team under each, every agency carrying its province,
and a plan ``kh-nq57-<province>-2026`` that names its province and uses the seed's groups
(see bench/plans.py). Channels are made for every province, Cao Bằng included.
"""

import random
from datetime import date
from typing import Any

from app.agencies.models import Agency
from app.channels.models import Channel
from app.core.vocab import LABELS_VI, ChannelKind
from app.seed.loader import read_agencies_csv
from bench.load import Loader, search_row_text, slug
from bench.material import (
    DEPARTMENTS,
    FAMILY,
    GIVEN,
    MASS_ORGS,
    MIDDLE,
    PROVINCES,
    SEED_PROVINCE,
    SYLLABLES,
    Province,
)
from bench.plans import load_plans
from bench.world import LOADED_AT, SEED_PLAN, ProvinceWorld, World

REFORM_DAY = date(2025, 7, 1)
CHANNEL_LABELS = LABELS_VI[ChannelKind]


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _agency(code: str, name: str, kind: str, parent: str | None, **extra: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "code": code,
        "name": name,
        "short_name": None,
        "kind": kind,
        "parent_code": parent,
        "province_code": None,
        "admin_code": None,
        "valid_from": None,
        "valid_to": None,
        "contact_name": None,
        "contact_title": None,
        "contact_email": None,
        "contact_phone": None,
        **extra,
    }
    return {
        **values,
        "search_text": search_row_text(Agency, values),
        "version": 1,
        "created_at": LOADED_AT,
        "updated_at": LOADED_AT,
    }


def _seed_province() -> ProvinceWorld:
    rows = read_agencies_csv()
    province = next(p for p in PROVINCES if p.slug == SEED_PROVINCE)
    world = ProvinceWorld(province, SEED_PLAN, "ubnd-tinh", "ban-tgdv-tu", "cong-ttdt-tinh")
    for row in rows:
        kind, code = row["kind"], row["code"]
        world.place[code] = row["name"].removeprefix("UBND ")
        world.kinds[code] = kind
        if kind in ("commune", "ward"):
            world.units.append(code)
            world.teams.append(f"to-cns-{code}")
            world.kinds[f"to-cns-{code}"] = "community_digital_team"
        elif kind == "department":
            world.departments.append(code)
        elif kind == "press":
            world.press.append(code)
        elif kind == "front_or_mass_org":
            world.mass.append(code)
    return world


def _place_names(rng: random.Random, count: int) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        name = f"{rng.choice(SYLLABLES)} {rng.choice(SYLLABLES)}"
        key = slug(name)
        if key not in seen and name.split()[0] != name.split()[1]:
            seen.add(key)
            names.append(name)
    return names


def _province(
    rng: random.Random, province: Province, admin_base: int
) -> tuple[ProvinceWorld, list[dict[str, Any]]]:
    p = province.slug
    unit_word = "thành phố" if province.city else "tỉnh"
    where = f"{unit_word} {province.name}"
    world = ProvinceWorld(province, f"kh-nq57-{p}-2026", f"ubnd-{p}", f"ban-tgdv-{p}", "")
    world.portal = f"cong-ttdt-{p}"
    rows = [
        _agency(world.ubnd, f"Ủy ban nhân dân {where}", "provincial_committee", None),
        _agency(
            world.party,
            f"Ban Tuyên giáo và Dân vận {unit_word.capitalize()} ủy",
            "party_body",
            None,
        ),
    ]
    for stem, name in MASS_ORGS:
        world.mass.append(f"{stem}-{p}")
        rows.append(_agency(f"{stem}-{p}", f"{name} {where}", "front_or_mass_org", None))

    def contact(code: str, title: str) -> dict[str, Any]:
        return {
            "contact_name": _person(rng),
            "contact_title": title,
            "contact_email": f"{code}@{p}.gov.vn",
            "contact_phone": f"0{rng.randint(200, 299)} {rng.randint(3000000, 3999999)}",
        }

    for stem, name in DEPARTMENTS:
        code = f"{stem}-{p}"
        world.departments.append(code)
        rows.append(
            _agency(
                code, f"{name} {where}", "department", world.ubnd, **contact(code, "Chuyên viên")
            )
        )
    world.press = [f"bao-ptth-{p}", f"tap-chi-{p}"]
    rows.append(
        _agency(
            world.press[0], f"Báo và Phát thanh, Truyền hình {province.name}", "press", world.ubnd
        )
    )
    rows.append(_agency(world.press[1], f"Tạp chí Văn hóa {province.name}", "press", None))
    rows.append(_agency(world.portal, f"Cổng Thông tin điện tử {where}", "portal", f"vp-ubnd-{p}"))
    for index, name in enumerate(_place_names(rng, province.units)):
        kind = "ward" if rng.random() < province.ward_share else "commune"
        word = "phường" if kind == "ward" else "xã"
        code = f"{'phuong' if kind == 'ward' else 'xa'}-{slug(name)}-{p}"
        team = f"to-cns-{code}"
        world.units.append(code)
        world.teams.append(team)
        world.place[code] = f"{word} {name}"
        rows.append(
            _agency(
                code,
                f"UBND {word} {name}",
                kind,
                world.ubnd,
                admin_code=f"{admin_base + index:05d}",
                valid_from=REFORM_DAY,
                **contact(code, f"Phó Chủ tịch UBND {word}"),
            )
        )
        rows.append(
            _agency(
                team,
                f"Tổ công nghệ số cộng đồng {word} {name}",
                "community_digital_team",
                code,
                valid_from=REFORM_DAY,
            )
        )
    for row in rows:
        world.place.setdefault(row["code"], where)
        world.kinds[row["code"]] = row["kind"]
        row["province_code"] = p
    return world, rows


def _channels(loader: Loader, rng: random.Random, worlds: list[ProvinceWorld]) -> None:
    """Outlets: every commune and ward has a loudspeaker station; portals, dedicated
    portal sections, press columns, programmes and social pages as agencies of each kind
    run them. Some dedicated outlets launch during the year, a few close."""
    next_id = loader.next_id("channel")
    rows = []
    for world in worlds:
        p = world.province.slug
        plan: list[tuple[str, str, bool, float]] = []
        for code in [*world.departments, world.portal]:
            plan += [
                (code, "portal", False, 1.0),
                (code, "portal_section", True, 0.7),
                (code, "social_media", False, 0.6),
            ]
        for code in world.press:
            plan += [
                (code, "portal", False, 1.0),
                (code, "press_column", True, 0.9),
                (code, "tv_programme", True, 0.6),
                (code, "radio_programme", True, 0.6),
                (code, "social_media", False, 1.0),
            ]
        for code in world.units:
            plan += [
                (code, "loudspeaker_station", False, 1.0),
                (code, "portal", False, 0.6),
                (code, "portal_section", True, 0.35),
                (code, "social_media", False, 0.7),
            ]
        for code in [*world.mass, world.party]:
            plan += [(code, "portal", False, 0.8), (code, "social_media", False, 0.8)]
        for code, kind, dedicated, share in plan:
            if rng.random() >= share:
                continue
            launched = date(2026, rng.randint(1, 9), rng.randint(1, 28)) if dedicated else None
            closed = (
                date(2026, 11, rng.randint(1, 28)) if dedicated and rng.random() < 0.03 else None
            )
            values = {
                "id": next_id,
                "agency_code": code,
                "kind": kind,
                "name": f"{CHANNEL_LABELS[kind]} - {world.place.get(code, code)}",
                "url": f"https://{code}.{p}.gov.vn/{kind.replace('_', '-')}",
                "dedicated": dedicated,
                "launched_on": launched,
                "closed_on": closed,
                "source": None,
                "external_id": None,
            }
            rows.append(
                {
                    **values,
                    "search_text": search_row_text(Channel, values),
                    "version": 1,
                    "created_at": LOADED_AT,
                    "updated_at": LOADED_AT,
                }
            )
            world.channels.setdefault(code, {}).setdefault(kind, []).append(next_id)
            next_id += 1
    loader.copy_dicts("channel", rows)
    loader.fix_sequence("channel")


def build(loader: Loader, rng: random.Random) -> World:
    """Add the other 33 provinces' agencies and plans, and everyone's channels."""
    seed_world = _seed_province()
    worlds, agency_rows, admin_base = [], [], 20000
    for province in PROVINCES:
        if province.slug == SEED_PROVINCE:
            worlds.append(seed_world)
            continue
        world, rows = _province(rng, province, admin_base)
        admin_base += province.units
        worlds.append(world)
        agency_rows += rows
    next_id = loader.next_id("agency")
    for offset, row in enumerate(agency_rows):
        row["id"] = next_id + offset
    loader.copy_dicts("agency", [{"id": r.pop("id"), **r} for r in agency_rows])
    loader.fix_sequence("agency")

    load_plans(loader, [w for w in worlds if w.province.slug != SEED_PROVINCE])

    kinds: dict[str, str] = dict(loader.conn.execute("SELECT code, kind FROM agency").fetchall())
    _channels(loader, rng, worlds)
    return World(worlds, kinds)
