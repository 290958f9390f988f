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


def kommagetal(x: float) -> str:
    """A measure the Dutch way, one decimal: 1234.56 → "1.234,6"."""
    whole, _, fraction = f"{x:,.1f}".partition(".")
    return whole.replace(",", ".") + "," + fraction


def aantal(n: int | None, enkelvoud: str, meervoud: str) -> str:
    """ "1 dag", "2 dagen", "0 dagen": the one place that picks a Dutch plural."""
    count = n or 0
    return f"{getal(count)} {enkelvoud if count == 1 else meervoud}"
