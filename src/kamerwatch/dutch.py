"""Dutch names of days and months, shared by the website and the sample texts."""

from __future__ import annotations

DAGEN = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
MAANDEN = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def getal(n: int) -> str:
    """A whole number the Dutch way: 207504 → "207.504"."""
    return f"{n:,}".replace(",", ".")
