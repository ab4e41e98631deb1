"""Media products and broadcasts: the bulk of the data set.

Broadcasts are skewed per commune (a log-normal airing rate, and one commune in ten airs
rarely), come in time order day after day as loudspeaker software would push them, and
carry a unique ``(source, external_id)`` per commune system. Some re-air a known media
product of their province (its title and topics copied, as the service does).
"""

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from typing import Any

from app.core.local_time import LOCAL_TZ
from app.media_products.models import MediaProduct
from bench.load import Loader, search_row_text, search_text_of, tags
from bench.material import BROADCAST_TITLES, MEDIA_TITLES, PARTNER_PRESS, SUMMARIES
from bench.world import ProvinceWorld, World

YEAR = 2026
DAYS = [date(YEAR, 1, 1) + timedelta(days=n) for n in range(365)]
ON_TOPIC = (
    "nq57",
    "nq71",
    "science_technology",
    "innovation",
    "digital_transformation",
    "ai",
    "digital_literacy",
    "ctr29",
    "qd1139",
)
OTHER_TOPICS = (
    "local_effort",
    "implementation_results",
    "good_practice",
    "countering_disinformation",
    "international_cooperation",
)
BROADCAST_COLUMNS = (
    "id",
    "agency_code",
    "channel_id",
    "media_product_id",
    "title",
    "origin",
    "started_at",
    "duration_seconds",
    "language",
    "loudspeaker_clusters",
    "topics",
    "retracted_at",
    "source",
    "external_id",
    "search_text",
    "version",
    "created_at",
    "updated_at",
)
MEDIA_COLUMNS = (
    "id",
    "agency_code",
    "kind",
    "title",
    "summary",
    "url",
    "published_at",
    "topics",
    "audiences",
    "language",
    "partner_press",
    "state_commissioned",
    "views",
    "listeners",
    "copies",
    "retracted_at",
    "source",
    "external_id",
    "search_text",
    "version",
    "created_at",
    "updated_at",
    "channel_kinds",  # last: the kinds of the channels linked below
)
AUDIENCES = (
    "leaders",
    "civil_servants",
    "public_employees",
    "businesses",
    "citizens",
    "youth_students",
    "ethnic_minorities",
)
WEB_KINDS = (
    "news",
    "article",
    "photo_story",
    "reportage",
    "video",
    "infographic",
    "podcast",
    "social_post",
    "e_publication",
)
KINDS_BY_PRODUCER = {
    "press": (
        "news",
        "news",
        "article",
        "article",
        "video",
        "reportage",
        "photo_story",
        "tv_segment",
        "radio_segment",
        "podcast",
        "infographic",
        "print_publication",
        "e_publication",
    ),
    "office": (
        "news",
        "news",
        "article",
        "infographic",
        "banner",
        "leaflet",
        "e_publication",
        "handbook",
        "social_post",
        "print_publication",
        "poster",
    ),
    "unit": (
        "news",
        "social_post",
        "social_post",
        "banner",
        "slogan",
        "pano",
        "leaflet",
        "radio_segment",
        "led_board",
    ),
}
CHANNEL_FOR_KIND = {
    "tv_segment": ("tv_programme",),
    "radio_segment": ("radio_programme",),
    "social_post": ("social_media",),
    "video": ("social_media", "portal"),
    "podcast": ("portal", "social_media"),
}
PRINT_KINDS = frozenset(
    {
        "print_publication",
        "banner",
        "slogan",
        "pano",
        "poster",
        "leaflet",
        "brochure",
        "handbook",
        "led_board",
    }
)
REFERENCE_POOL = 3000  # products per province that broadcasts may re-air


def topic_combos(rng: random.Random, on_topic_share: float) -> list[str]:
    """A pool of plausible TagList values: mostly on-topic, often about local efforts."""
    combos = []
    for _ in range(400):
        chosen: set[str] = set()
        if rng.random() < on_topic_share:
            chosen.update(rng.sample(ON_TOPIC, rng.choice((1, 1, 2, 3))))
            if rng.random() < 0.4:
                chosen.add("local_effort")
            if rng.random() < 0.3:
                chosen.add("implementation_results")
        elif rng.random() < 0.5:
            chosen.add(rng.choice(OTHER_TOPICS))
        combos.append(tags(chosen))
    return combos


def _instants(rng: random.Random, first_hour: int, last_hour: int) -> list[timedelta]:
    return [
        timedelta(
            hours=rng.randint(first_hour, last_hour),
            minutes=rng.randint(0, 59),
            seconds=rng.randint(0, 59),
        )
        for _ in range(2000)
    ]


def _local_midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=LOCAL_TZ).astimezone(UTC)


def media_products(
    loader: Loader, rng: random.Random, world: World, count: int
) -> dict[int, list[tuple[int, str, str]]]:
    """``count`` products over the year; returns, per province, products broadcasts may
    re-air: (id, title, topics)."""
    producers: list[tuple[int, str, str]] = []  # (province index, code, producer kind)
    weights: list[float] = []
    for index, pw in enumerate(world.provinces):
        size = len(pw.units)
        for code in pw.press:
            producers.append((index, code, "press"))
            weights.append(0.175 * size)
        for code in [pw.portal, *pw.departments]:
            producers.append((index, code, "office"))
            weights.append(0.30 * size / (1 + len(pw.departments)))
        for code in [*pw.mass, pw.party]:
            producers.append((index, code, "office"))
            weights.append(0.05 * size / (1 + len(pw.mass)))
        for code in pw.units:
            producers.append((index, code, "unit"))
            weights.append(0.30)
    cum = list(accumulate(weights))
    combos = topic_combos(rng, 0.85)
    offsets = _instants(rng, 6, 21)
    midnights = [_local_midnight(d) for d in DAYS]
    next_id = loader.next_id("media_product")
    pools: dict[int, list[tuple[int, str, str]]] = {i: [] for i in range(len(world.provinces))}
    links: list[tuple[int, int]] = []
    random_, choice = rng.random, rng.choice

    def rows() -> Iterator[tuple[Any, ...]]:
        for offset, pick in enumerate(rng.choices(range(len(producers)), cum_weights=cum, k=count)):
            product_id = next_id + offset
            province, code, producer = producers[pick]
            pw = world.provinces[province]
            kind = choice(KINDS_BY_PRODUCER[producer])
            title = choice(MEDIA_TITLES).format(place=pw.place.get(code, pw.province.name))
            summary = choice(SUMMARIES)
            partner = choice(PARTNER_PRESS) if producer == "press" and random_() < 0.12 else None
            topics = choice(combos)
            published = midnights[int(random_() * 365)] + choice(offsets)
            printed = kind in PRINT_KINDS
            values = {"title": title, "summary": summary, "partner_press": partner}
            row = (
                product_id,
                code,
                kind,
                title,
                summary,
                None if printed else f"https://{code}.gov.vn/tin/{product_id}",
                published,
                topics,
                tags(rng.sample(AUDIENCES, choice((1, 2)))),
                "vi",
                partner,
                kind in ("print_publication", "e_publication") and random_() < 0.6,
                None if printed else int(random_() * 20000),
                int(random_() * 5000) if kind in ("radio_segment", "podcast") else None,
                int(200 + random_() * 5000) if printed else None,
                published + timedelta(days=2) if random_() < 0.003 else None,
                f"cms-{code}",
                str(product_id),
                search_row_text(MediaProduct, values),
                1,
                published,
                published,
            )
            yield (*row, tags(_link(pw, code, kind, product_id)))
            if (
                producer != "unit"
                and kind not in PRINT_KINDS
                and len(pools[province]) < REFERENCE_POOL
            ):
                pools[province].append((product_id, title, topics))

    def _link(pw: ProvinceWorld, code: str, kind: str, product_id: int) -> list[str]:
        """Link the product to a channel of its agency; the kinds of those linked."""
        if kind in PRINT_KINDS:
            return []
        wanted = CHANNEL_FOR_KIND.get(kind, ("portal", "portal_section", "social_media"))
        for channel_kind in wanted:
            ids = pw.channel(code, channel_kind)
            if ids:
                links.append((product_id, ids[0]))
                if channel_kind != "social_media" and random_() < 0.3:
                    social = pw.channel(code, "social_media")
                    if social:
                        links.append((product_id, social[0]))
                        return [channel_kind, "social_media"]
                return [channel_kind]
        return []

    loader.copy("media_product", MEDIA_COLUMNS, rows())
    loader.fix_sequence("media_product")
    loader.copy("media_product_channel", ("media_product_id", "channel_id"), links)
    return pools


def broadcasts(
    loader: Loader,
    rng: random.Random,
    world: World,
    count: int,
    pools: dict[int, list[tuple[int, str, str]]],
) -> None:
    units = [(i, code) for i, pw in enumerate(world.provinces) for code in pw.units]
    weights = [rng.lognormvariate(0.0, 1.0) * (0.03 if rng.random() < 0.1 else 1.0) for _ in units]
    cum = list(accumulate(weights))
    per_unit = []
    for province, code in units:
        pw = world.provinces[province]
        station = pw.channel(code, "loudspeaker_station")
        languages = ("vi",) * 6 + pw.province.languages
        per_unit.append(
            (
                code,
                station[0] if station else None,
                f"loa-{code}",
                languages,
                rng.choice((None, 4, 8, 12, 16, 24, 32)),
                pools.get(province) or [],
            )
        )
    counters = [0] * len(units)
    day_weights = [0.7 if d.weekday() == 6 else 1.05 for d in DAYS]
    scale = count / sum(day_weights)
    per_day = [int(w * scale) for w in day_weights]
    for i in range(count - sum(per_day)):
        per_day[i % 365] += 1
    titles = {o: [(t, search_text_of(t)) for t in ts] for o, ts in BROADCAST_TITLES.items()}
    combos = {
        "central": topic_combos(rng, 0.75),
        "provincial": topic_combos(rng, 0.8),
        "local": topic_combos(rng, 0.55),
    }
    slots = [timedelta(hours=h, minutes=m) for h in (5, 6, 11, 16, 17, 18) for m in range(60)]
    delays = [timedelta(minutes=m) for m in range(1, 240)]
    durations = list(range(300, 1801, 60))
    next_id = loader.next_id("broadcast")
    random_, choice = rng.random, rng.choice

    def rows() -> Iterator[tuple[Any, ...]]:
        row_id = next_id
        for day, n in zip(DAYS, per_day, strict=True):
            midnight = _local_midnight(day)
            picks = sorted(
                (int(random_() * len(slots)), u)
                for u in rng.choices(range(len(units)), cum_weights=cum, k=n)
            )
            for slot, u in picks:
                code, station, source, languages, clusters, pool = per_unit[u]
                counters[u] += 1
                r = random_()
                origin = "central" if r < 0.3 else "provincial" if r < 0.65 else "local"
                product = None
                if origin == "provincial" and pool and random_() < 0.5:
                    product, title, topics = choice(pool)
                    text = search_text_of(title)
                else:
                    title, text = choice(titles[origin])
                    topics = choice(combos[origin])
                started = midnight + slots[slot]
                created = started + choice(delays)
                yield (
                    row_id,
                    code,
                    station,
                    product,
                    title,
                    origin,
                    started,
                    choice(durations),
                    choice(languages),
                    clusters,
                    topics,
                    started + timedelta(days=1) if random_() < 0.002 else None,
                    source,
                    str(counters[u]),
                    text,
                    1,
                    created,
                    created,
                )
                row_id += 1

    loader.copy("broadcast", BROADCAST_COLUMNS, rows())
    loader.fix_sequence("broadcast")
