"""Monitor kinds, intervals and the typed records of the alerts layer (pure)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from kamerwatch.kinds import KINDS as PAGE_KINDS
from kamerwatch.kinds import alert_url
from kamerwatch.store.alert_matches import MatchRow

INTERVALS: dict[str, timedelta] = {
    "direct": timedelta(0),
    "5m": timedelta(minutes=5),
    "1h": timedelta(hours=1),
    "1d": timedelta(days=1),
    "1w": timedelta(weeks=1),
}
DEFAULT_INTERVAL = "direct"

KINDS: dict[str, str] = {
    "zoek": "zoekopdracht (dezelfde taal als de zoekpagina)",
    "zaak": "zaaknummer, bv. 2026Z01234",
    "persoon": "persoonsnummer (Persoon.nummer), bv. 7000",
    "commissie": "commissie-id of afkorting, bv. FIN",
    "activiteit": "activiteitnummer, bv. 2026A01234",
    "kamerstukdossier": "dossiernummer, bv. 36600 of 36600-VII",
    "toezeggingen": (
        "alle, fractie:AFKORTING, commissie:AFKORTING, ministerie:NAAM of nummer:NUMMER "
        "(één toezegging)"
    ),
    "vraag": "documentnummer van schriftelijke vragen, bv. 2026D01234",
    "organisatie": "organisatie op open.overheid.nl (Woo-publicaties), bv. ministerie van Financiën",
    "agenda": (
        "zaaknummer of dossiernummer: op de agenda, herinnering voor het debat, verplaatst of"
        " geannuleerd, bv. 2026Z01234 of 36600-VII"
    ),
}
TOEZEGGING_SCOPES = ("alle", "fractie", "commissie", "ministerie", "nummer")
QUESTION_TERM = timedelta(weeks=3)

_EMAIL = re.compile(r"^[A-Za-z0-9_+.=-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


class MonitorError(ValueError):
    """A monitor that cannot be made (unknown kind, malformed value); message in Dutch."""


@dataclass(frozen=True, slots=True)
class Monitor:
    id: int
    email: str
    kind: str
    value: str
    interval: str
    created_at: str
    last_run_at: str | None
    hits: int

    @property
    def description(self) -> str:
        return describe(self.kind, self.value)


@dataclass(frozen=True, slots=True)
class Hit:
    """One item found for a monitor, ready for a digest."""

    item_key: str
    kind: str
    nummer: str
    onderwerp: str
    snippet: str
    why: str
    url: str

    @classmethod
    def from_row(cls, row: MatchRow, base_url: str) -> Hit:
        return cls(
            row.item_key,
            row.kind,
            row.nummer,
            row.onderwerp,
            row.snippet,
            row.why,
            item_url(base_url, row.kind, row.nummer),
        )


def item_url(base_url: str, kind: str, nummer: str) -> str:
    """The page of an item (``termijn`` = the question's document), quoted."""
    return alert_url(base_url, kind, nummer)


def normalise_email(email: str) -> str:
    email = email.strip().lower()
    if len(email) > 254 or not _EMAIL.match(email):
        raise MonitorError(f"ongeldig e-mailadres: {email!r}")
    return email


def normalise(kind: str, value: str) -> str:
    """The canonical value of a monitor, or :class:`MonitorError` with a Dutch reason."""
    kind = kind.strip().lower()
    value = value.strip()
    if kind not in KINDS:
        raise MonitorError(f"onbekende soort monitor {kind!r}; kies uit: {', '.join(KINDS)}")
    if not value:
        raise MonitorError(f"lege waarde; verwacht: {KINDS[kind]}")
    check = _CHECKS.get(kind)
    if check is not None:
        value = check(value)
    return value


def _identifier(monitor: str) -> Callable[[str], str]:
    """The check of a monitor on one page: the value (upper case) must be an identifier of
    the kind whose 🔔 makes this monitor (the registry's pattern)."""
    kind = PAGE_KINDS.by_monitor(monitor)
    assert kind is not None, monitor

    def check(value: str) -> str:
        value = value.upper()
        if not kind.matches(value):
            raise MonitorError(
                f"ongeldige waarde {value!r} voor {monitor}; verwacht: {KINDS[monitor]}"
            )
        return value

    return check


def _toezeggingen(value: str) -> str:
    scope, _, rest = value.partition(":")
    scope = scope.strip().lower()
    if scope == "alle" and not rest:
        return "alle"
    if scope not in TOEZEGGING_SCOPES[1:] or not rest.strip():
        raise MonitorError(
            f"ongeldige waarde {value!r} voor toezeggingen; verwacht: {KINDS['toezeggingen']}"
        )
    return f"{scope}:{rest.strip()}"


def _organisatie(value: str) -> str:
    if len(value) > 200:
        raise MonitorError("organisatienaam is te lang (max. 200 tekens)")
    return " ".join(value.split())


def _zoek(value: str) -> str:
    if len(value) > 500:
        raise MonitorError("zoekopdracht is te lang (max. 500 tekens)")
    return value


def _agenda(value: str) -> str:
    value = value.strip().upper()
    zaak = PAGE_KINDS.by_monitor("zaak")
    dossier = PAGE_KINDS.by_monitor("kamerstukdossier")
    assert zaak is not None and dossier is not None
    if not (zaak.matches(value) or dossier.matches(value)):
        raise MonitorError(f"ongeldige waarde {value!r} voor agenda; verwacht: {KINDS['agenda']}")
    return value


_CHECKS = {
    "agenda": _agenda,
    "zaak": _identifier("zaak"),
    "activiteit": _identifier("activiteit"),
    "vraag": _identifier("vraag"),
    "persoon": _identifier("persoon"),
    "kamerstukdossier": _identifier("kamerstukdossier"),
    "toezeggingen": _toezeggingen,
    "zoek": _zoek,
    "organisatie": _organisatie,
}


def check_interval(interval: str) -> str:
    if interval not in INTERVALS:
        raise MonitorError(f"onbekend interval {interval!r}; kies uit: {', '.join(INTERVALS)}")
    return interval


def describe(kind: str, value: str) -> str:
    if kind == "zoek":
        return f"zoekopdracht ‘{value}’"
    if kind == "toezeggingen":
        scope, _, rest = value.partition(":")
        if scope == "nummer":
            return f"toezegging {rest}"
        return "alle toezeggingen" if scope == "alle" else f"toezeggingen ({scope} {rest})"
    if kind == "vraag":
        return f"beantwoording van {value}"
    if kind == "organisatie":
        return f"Woo-publicaties van {value}"
    if kind == "agenda":
        return f"agenda van {'zaak' if 'Z' in value else 'kamerstukdossier'} {value}"
    return f"{kind} {value}"
