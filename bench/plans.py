"""Each generated province's plan, copied from the seed plan.

The plan names its province, and its measures and tasks point at the seed's groups as
they are: a group's member kinds select within its plan's province (the mechanism the
seed uses), so no province needs copies of the groups.
"""

import json
from datetime import date
from typing import Any

from app.indicators.models import Indicator
from app.plans.models import Plan, Task
from app.seed.loader import DATA
from bench.load import Loader, search_row_text, tags
from bench.material import SEED_AGENCY_STEMS, Province
from bench.world import LOADED_AT, SEED_PLAN, ProvinceWorld


def seed_document() -> dict[str, Any]:
    return dict(json.loads((DATA / f"{SEED_PLAN}.json").read_text("utf-8")))


def _localise(text: str | None, province: Province) -> str | None:
    return None if text is None else text.replace("Cao Bằng", province.name)


def _party(spec: dict[str, str], p: str) -> dict[str, str | None]:
    if "group_code" in spec:
        return {"agency_code": None, "group_code": spec["group_code"]}
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
            "province_code": p,
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
                "measure": ind["measure"],
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
