"""``kamerwatch sample``: a coherent synthetic parliament as real SyncFeed pages + files.

:func:`generate` writes ``OUTDIR/feed/page-*.xml``, ``OUTDIR/resources/<guid>`` and
``OUTDIR/expected.json`` (entity counts per category) — the directory layout that
``kamerwatch feedserver`` serves. Dates are relative to ``today``: 26 weeks of history per
unit of ``scale`` and four weeks of planned activities ahead. The same seed and day give
the same bytes. Memory does not grow with the scale: pages and files are streamed to disk
and only pending consequences (answers due, votes to come) are kept.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from .feed import FeedWriter
from .ids import Ids
from .static import emit_world
from .timeline import AnswerPace, Timeline, budget_dossier, new_dossier
from .world import build_world
from .zaken import Ctx, Dossier

WEEKS_PER_SCALE = 26
WEEKS_AHEAD = 4


@dataclass(frozen=True)
class Content:
    """The content layer: subject lines, document files, photos and verslag XML."""

    subject: Callable[..., tuple[str, list[str]]]
    make_file: Callable[..., tuple[str, bytes]]
    photo: Callable[[int, str], bytes]
    verslag: Callable[..., bytes]


def default_content() -> Content:
    from .content import CONTENT

    return CONTENT


def generate(
    outdir: str | Path,
    *,
    scale: int = 1,
    seed: int = 1,
    today: date | None = None,
    content: Content | None = None,
    on_day: Callable[[date, date, date], None] | None = None,
    weeks: int | None = None,
) -> dict[str, Any]:
    """Write the sample parliament to ``outdir``; returns the summary (also in expected.json).

    ``on_day(day, first, last)`` is called after each simulated day (for progress bars);
    ``weeks`` overrides the length of the history (small samples for tests)."""
    if scale < 1:
        raise ValueError("scale moet minstens 1 zijn")
    content = content or default_content()
    today = today or date.today()
    rng = random.Random(f"kamerwatch-sample/{seed}")
    ids = Ids(seed)
    span_days = (weeks if weeks is not None else WEEKS_PER_SCALE * scale) * 7
    first = today - timedelta(days=span_days)
    first -= timedelta(days=first.weekday())  # a Monday
    last = today + timedelta(days=WEEKS_AHEAD * 7)
    now = datetime.combine(today, time(6, 0), tzinfo=UTC).timestamp()
    start_clock = datetime.combine(first - timedelta(days=7), time(6, 0), tzinfo=UTC).timestamp()
    w = FeedWriter(Path(outdir), rng, start_clock, now)
    world = build_world(rng, ids, today, span_days)
    emit_world(w, world, ids, rng, content.photo)
    ctx = Ctx(w, world, ids, rng, content.make_file, today)
    budgets: dict[str | None, Dossier] = {}
    dossiers: dict[str, list[Dossier]] = {}
    for cie in world.active_commissies:
        if cie.ministerie not in budgets:  # one budget chapter per ministry
            budgets[cie.ministerie] = budget_dossier(ctx, cie, today.year)
        dossiers[cie.afkorting] = [
            *(new_dossier(ctx, cie, theme[:1].upper() + theme[1:]) for theme in cie.themes[:2]),
            budgets[cie.ministerie],
        ]
    tl = Timeline(ctx, content.subject, content.verslag, dossiers, pace=AnswerPace(seed))
    tl.run(first, last, None if on_day is None else (lambda d: on_day(d, first, last)))
    return w.close(
        {
            "seed": seed,
            "scale": scale,
            "today": today.isoformat(),
            "first_day": first.isoformat(),
            "last_day": last.isoformat(),
            "sitting_members": len(world.sitting),
            "persons": len(world.persons),
        }
    )
