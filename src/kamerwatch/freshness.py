"""How healthy each stage is, judged from its newest run (pure): failed, interrupted, dead
(still "bezig" while nobody holds the stage's lock: the process was killed) or stale (its
last successful run ended too long ago). Used by ``kamerwatch status``, ``/status`` and
``/healthz``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

DEAD = "afgebroken"
DEAD_MESSAGE = "het proces bestaat niet meer (gedood of gecrasht); de volgende run gaat verder"
# runs that are no periodic stage: never stale
NOT_PERIODIC = frozenset({"reparse"})


@dataclass(frozen=True, slots=True)
class StageState:
    stage: str
    status: str  # ok | fout | afgebroken | onderbroken | bezig
    started_at: str
    finished_at: str | None
    entries: int
    message: str | None
    last_ok: str | None  # end of the newest successful run
    age_seconds: float | None  # since last_ok
    stale: bool
    problem: str | None  # one Dutch line, or None when all is well

    @property
    def ok(self) -> bool:
        return self.problem is None


def _parse(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def judge(
    rows: Iterable[tuple[object, ...]],
    running: set[str],
    now: datetime,
    max_age: timedelta,
    lock_of: dict[str, str] | None = None,
) -> list[StageState]:
    """``rows`` as :func:`kamerwatch.store.mirror.stage_runs` gives them; ``running`` the
    stages whose lock is held now (:func:`kamerwatch.store.locks.held_locks`)."""
    lock_of = lock_of or {}
    out = []
    for stage, started, finished, status, entries, message, last_ok in rows:
        stage, status = str(stage), str(status)
        message = None if message is None else str(message)
        finished_s = None if finished is None else str(finished)
        if status == "bezig" and lock_of.get(stage, stage) not in running:
            status, finished_s, message = DEAD, None, DEAD_MESSAGE
        ended = _parse(None if last_ok is None else str(last_ok))
        age = (now - ended).total_seconds() if ended else None
        stale = stage not in NOT_PERIODIC and (age is None or age > max_age.total_seconds())
        problem = None
        if status not in ("ok", "bezig"):
            problem = f"{stage}: laatste run {status}" + (f" ({message})" if message else "")
        elif stale and status != "bezig":
            problem = (
                f"{stage}: nog nooit gelukt"
                if age is None
                else f"{stage}: laatste geslaagde run {_duration(age)} geleden "
                f"(meer dan {_duration(max_age.total_seconds())})"
            )
        elif stale and age is not None:  # running now, but the last success is too old
            problem = f"{stage}: loopt nog, laatste geslaagde run {_duration(age)} geleden"
        out.append(
            StageState(
                stage,
                status,
                str(started),
                finished_s,
                int(entries or 0),  # type: ignore[call-overload]
                message,
                None if last_ok is None else str(last_ok),
                age,
                stale,
                problem,
            )
        )
    return out


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    if seconds < 172800:
        return f"{seconds / 3600:.0f} uur"
    return f"{seconds / 86400:.0f} dagen"


def public_message(status: str, message: str | None) -> str | None:
    """What the public /status page may say about a run: counts (``3 mislukt``) and the
    fixed texts of this module; never a raw exception text or an internal URL (those are
    in the log and in ``kamerwatch status``)."""
    if message is None:
        return None
    if message == DEAD_MESSAGE or _only_counts(message):
        return message
    if status in ("ok", "bezig"):
        return None
    return "mislukt; de beheerder ziet de reden in het log en in `kamerwatch status`"


def _only_counts(message: str) -> bool:
    """``3 mislukt, 2 overgeslagen``: numbers and lowercase words only."""
    parts = [p.strip() for p in message.split(",")]
    for part in parts:
        words = part.split()
        if len(words) < 2 or not words[0].replace(".", "").isdigit():
            return False
        if not all(w.isalpha() and w.islower() for w in words[1:]):
            return False
    return True
