"""Each generated province's agency groups and plan, copied from the seed plan.

Groups list their members explicitly (the seed groups use member kinds, which would take
in every province's agencies); measures point at the province's groups, and a record
share with no group counts the province's own agencies (``co-quan-don-vi-<province>``).
"""

import json
from datetime import date
from typing import Any

from app.indicators.models import Indicator
from app.plans.models import Plan, Task
from app.seed.loader import DATA
from bench.load import Loader, search_row_text, tags
from bench.material import SEED_AGENCY_STEMS, Province
from bench.world import ALL_GROUP, LOADED_AT, SEED_PLAN, ProvinceWorld


def seed_document() -> dict[str, Any]:
    return dict(json.loads((DATA / f"{SEED_PLAN}.json").read_text("utf-8")))


def province_groups(
    world: ProvinceWorld, specs: list[dict[str, Any]]
) -> dict[str, tuple[str, list[str]]]:
    """The seed's groups for this province: ``<code>-<province>``, listing explicitly the
    province's agencies of the group's kinds (and the counterparts of explicit members)."""
    p = world.province.slug
    groups = {}
    for spec in specs:
        kinds = set(spec.get("member_kinds") or ())
        members = [code for code in world.codes if world.kinds[code] in kinds]
        members += [f"{SEED_AGENCY_STEMS.get(m, m)}-{p}" for m in spec.get("members") or ()]
        groups[f"{spec['code']}-{p}"] = (f"{spec['name']} ({world.province.name})", members)
    groups[f"{ALL_GROUP}-{p}"] = (f"Các cơ quan, đơn vị ({world.province.name})", world.codes)
    return groups


def _rewrite_measure(measure: dict[str, Any], p: str) -> dict[str, Any]:
    copied = json.loads(json.dumps(measure))
    if copied.get("group"):
        copied["group"] = f"{copied['group']}-{p}"
    if "groups" in copied:
        copied["groups"] = [f"{g}-{p}" for g in copied["groups"]]
    if copied["kind"] == "record_share" and not copied.get("group"):
        copied["group"] = f"{ALL_GROUP}-{p}"  # the province's own records, not the nation's
    return copied


def _localise(text: str | None, province: Province) -> str | None:
    return None if text is None else text.replace("Cao Bằng", province.name)


def _party(spec: dict[str, str], p: str) -> dict[str, str | None]:
    if "group_code" in spec:
        return {"agency_code": None, "group_code": f"{spec['group_code']}-{p}"}
    code = spec["agency_code"]
    stem = SEED_AGENCY_STEMS.get(code, code)
    return {"agency_code": f"{stem}-{p}", "group_code": None}


def load_plans(loader: Loader, worlds: list[ProvinceWorld]) -> None:
    document = seed_document()
    spec = document["plan"]
    plan_id, task_id = loader.next_id("plan"), loader.next_id("task")
    party_id, indicator_id = loader.next_id("task_party"), loader.next_id("indicator")
    plans, tasks, parties, indicators = [], [], [], []
    stamp = {"version": 1, "created_at": LOADED_AT, "updated_at": LOADED_AT}
    for number, world in enumerate(worlds, start=100):
        province, p = world.province, world.province.slug
        values = {
            **spec,
            "id": plan_id,
            "code": world.plan_code,
            "document_number": f"{number}/KH-UBND",
            "title": _localise(spec["title"], province),
            "issued_on": date.fromisoformat(spec["issued_on"]),
            "issuer_code": world.ubnd,
            "coordinator_code": f"so-vhttdl-{p}",
            "start_on": date.fromisoformat(spec["start_on"]),
            "end_on": date.fromisoformat(spec["end_on"]),
            "on_topic_topics": tags(spec["on_topic_topics"]),
        }
        plans.append({**values, "search_text": search_row_text(Plan, values), **stamp})
        for task_spec in document["tasks"]:
            row = {
                k: _localise(v, province) if isinstance(v, str) else v
                for k, v in task_spec.items()
                if k not in ("leads", "coordinators")
            }
            row.update(id=task_id, plan_id=plan_id)
            tasks.append({**row, "search_text": search_row_text(Task, row), **stamp})
            for role, key in (("lead", "leads"), ("coordinating", "coordinators")):
                for position, party in enumerate(task_spec[key]):
                    parties.append(
                        {
                            "id": party_id,
                            "task_id": task_id,
                            "role": role,
                            **_party(party, p),
                            "position": position,
                        }
                    )
                    party_id += 1
            task_id += 1
        for ind in document["indicators"]:
            row = {
                **ind,
                "id": indicator_id,
                "plan_id": plan_id,
                "title": _localise(ind["title"], province),
                "measure": _rewrite_measure(ind["measure"], p),
            }
            indicators.append({**row, "search_text": search_row_text(Indicator, row), **stamp})
            indicator_id += 1
        plan_id += 1
    for table, rows in (
        ("plan", plans),
        ("task", tasks),
        ("task_party", parties),
        ("indicator", indicators),
    ):
        loader.copy_dicts(table, rows)
        loader.fix_sequence(table)
