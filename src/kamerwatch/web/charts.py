"""Pictures for people who would rather look than read: server-rendered SVG, no JavaScript.

Pure functions, data → markup. Every chart is accessible in the same way:

- the ``<svg>`` has ``role="img"``, a ``<title>`` and a ``<desc>`` (a sentence that says
  what the picture shows, in words), and both as its ``aria-label``;
- every part (a party's seats, a bar, an event) carries its own ``<title>`` (a tooltip);
- the same figures are in an HTML table right behind the picture (:func:`figure` folds it in
  a ``<details>`` so the page stays short), so nothing is only a picture;
- all text is escaped here; callers pass plain strings.

Sizes are in ``viewBox`` units and the SVG scales to its box (``width="100%"``), so a chart
never widens a phone's page. Colours keep a contrast of at least 3:1 against white
(WCAG 1.4.11) and never carry meaning alone: the legend, the titles and the table say it in
words too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

from kamerwatch.dutch import aantal

# colours: voor green, tegen red, the rest grey (each >= 3:1 on white)
COLOURS = {"Voor": "#1a7f37", "Tegen": "#b3261e"}
OTHER = "#6e6e6e"
BAR = "#1f5fa8"
SEATS = 150  # the Tweede Kamer


def _num(value: int | float) -> str:
    """Dutch number: 1.234 (thousands with a dot)."""
    return f"{int(value):,}".replace(",", ".")


def _svg(width: int, height: int, title: str, desc: str, body: str, cls: str) -> Markup:
    # the accessible name is the title and the description in words (aria-label: no ids,
    # so the same page renders byte for byte alike and ids never clash)
    label = f"{title}. {desc}"
    return Markup(
        f'<svg class="chart {cls}" role="img" aria-label="{escape(label)}" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>"
        f"{body}</svg>"
    )


def table(caption: str, head: Sequence[str], rows: Sequence[Sequence[object]]) -> Markup:
    """The figures behind a chart as an HTML table (first column a row header)."""
    parts = [f"<table><caption>{escape(caption)}</caption><thead><tr>"]
    parts += [f'<th scope="col">{escape(h)}</th>' for h in head]
    parts.append("</tr></thead><tbody>")
    for row in rows:
        first, *rest = row
        parts.append(f'<tr><th scope="row">{escape(str(first))}</th>')
        parts += [f"<td>{escape(str(c))}</td>" for c in rest]
        parts.append("</tr>")
    parts.append("</tbody></table>")
    return Markup("".join(parts))


def figure(svg: Markup, behind: Markup, summary: str = "De cijfers als tabel") -> Markup:
    """A chart with its table folded behind it."""
    return Markup(
        f'<figure class="grafiek">{svg}<details><summary>{escape(summary)}</summary>'
        f'<div class="overflow-auto">{behind}</div></details></figure>'
    )


# ---------------------------------------------------------------- seat bar


@dataclass(frozen=True, slots=True)
class Seats:
    """One party's (or member's) vote: who, how many seats, which way."""

    fractie: str
    zetels: int
    soort: str  # Voor / Tegen / Niet deelgenomen / …


_ORDER = {"Voor": 0, "Tegen": 2}


def seat_bar(parts: Sequence[Seats], *, label: str, total: int = SEATS) -> Markup:
    """A compact horizontal bar of ``total`` seats: the parties that voted for from the left
    (green), against from the right (red), the rest (not taking part, absent) grey in the
    middle. Each party is its own segment with its name and seats as tooltip."""
    ordered = sorted(
        (p for p in parts if p.zetels > 0),
        key=lambda p: (_ORDER.get(p.soort, 1), p.soort, -p.zetels, p.fractie),
    )
    cast = sum(p.zetels for p in ordered)
    scale = max(total, cast) or 1
    width, height = 300, 14
    voor = sum(p.zetels for p in ordered if p.soort == "Voor")
    tegen = sum(p.zetels for p in ordered if p.soort == "Tegen")
    body = [f'<rect x="0" y="0" width="{width}" height="{height}" fill="#eeeeee"/>']
    # voor from the left, tegen from the right so that majority is visible at the middle
    x = 0.0
    right = [p for p in ordered if p.soort == "Tegen"]
    left = [p for p in ordered if p.soort != "Tegen"]
    for p in left:
        w = width * p.zetels / scale
        body.append(_segment(x, w, height, p))
        x += w
    x = float(width)
    for p in right:
        w = width * p.zetels / scale
        x -= w
        body.append(_segment(x, w, height, p))
    middle = width / 2
    body.append(
        f'<line x1="{middle}" y1="0" x2="{middle}" y2="{height}" stroke="#000" '
        'stroke-width="1" stroke-dasharray="2 2"/>'
    )
    others = cast - voor - tegen
    desc = f"{_num(voor)} voor, {_num(tegen)} tegen"
    if others:
        desc += f", {_num(others)} anders of niet deelgenomen"
    desc += f" (van {_num(scale)}). " + _by_kind(ordered)
    return _svg(width, height, f"Stemverdeling: {label}", desc, "".join(body), "zetelbalk")


def _segment(x: float, w: float, height: int, p: Seats) -> str:
    colour = COLOURS.get(p.soort, OTHER)
    return (
        f'<rect x="{x:.2f}" y="0" width="{w:.2f}" height="{height}" fill="{colour}" '
        f'stroke="#fff" stroke-width="0.5"><title>{escape(p.fractie)}: '
        f"{escape(p.soort.lower())} ({_num(p.zetels)})</title></rect>"
    )


def _by_kind(parts: Sequence[Seats]) -> str:
    kinds: dict[str, list[str]] = {}
    for p in parts:
        kinds.setdefault(p.soort, []).append(f"{p.fractie} ({_num(p.zetels)})")
    return " ".join(
        f"{soort}: {', '.join(names)}."
        for soort, names in sorted(kinds.items(), key=lambda kv: (_ORDER.get(kv[0], 1), kv[0]))
    )


def seat_table(parts: Sequence[Seats], *, label: str) -> Markup:
    ordered = sorted(parts, key=lambda p: (_ORDER.get(p.soort, 1), p.soort, -p.zetels, p.fractie))
    return table(
        f"Stemverdeling: {label}",
        ("Fractie", "Stem", "Zetels"),
        [(p.fractie, p.soort, _num(p.zetels)) for p in ordered],
    )


# ---------------------------------------------------------------- horizontal bar chart


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: int
    href: str | None = None  # the bar's label links here


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    unit: Callable[[int], str] = _num,
    limit: int = 20,
) -> Markup:
    """Horizontal bars, largest first (ties by label), at most ``limit``; the value written
    at the end of each bar in ``unit`` (say, a duration)."""
    shown = sorted((b for b in bars if b.value > 0), key=lambda b: (-b.value, b.label))[:limit]
    row, label_w, bar_w, value_w = 22, 170, 230, 90
    width = label_w + bar_w + value_w
    height = max(1, len(shown)) * row
    top = max((b.value for b in shown), default=0) or 1
    body: list[str] = []
    for i, b in enumerate(shown):
        y = i * row
        w = max(1.0, bar_w * b.value / top)
        name = escape(_clip(b.label, 26))
        text = (
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" font-size="12">{name}</text>'
        )
        if b.href:
            text = f'<a href="{escape(b.href)}">{text}</a>'
        body.append(
            f"<g><title>{escape(b.label)}: {escape(unit(b.value))}</title>{text}"
            f'<rect x="{label_w}" y="{y + 4}" width="{w:.2f}" height="{row - 8}" fill="{BAR}"/>'
            f'<text x="{label_w + w + 4:.2f}" y="{y + 15}" font-size="12">'
            f"{escape(unit(b.value))}</text></g>"
        )
    desc = "; ".join(f"{b.label}: {unit(b.value)}" for b in shown) or "geen gegevens"
    return _svg(width, height, title, desc, "".join(body), "staafdiagram")


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


# ---------------------------------------------------------------- timeline


@dataclass(frozen=True, slots=True)
class Event:
    datum: str  # ISO date (YYYY-MM-DD…)
    label: str
    soort: str  # "document" / "aangenomen" / "verworpen" / "stemming" / …
    href: str | None = None


_EVENT_COLOURS = {"aangenomen": COLOURS["Voor"], "verworpen": COLOURS["Tegen"]}


def timeline(events: Sequence[Event], *, title: str) -> Markup:
    """Events on a time axis from the first to the last date: documents as blue dots, votes
    as diamonds (green adopted, red rejected, grey otherwise); first and last date written
    under the axis; each event a link with its title as tooltip."""
    dated = sorted((e for e in events if _day(e.datum)), key=lambda e: (e.datum, e.label))
    width, height, pad = 600, 56, 12
    if not dated:
        return _svg(width, 20, title, "geen gebeurtenissen met een datum", "", "tijdlijn")
    days = [_day(e.datum) for e in dated]
    first, last = min(days), max(days)
    span = max(1, last - first)
    axis_y = 24
    body = [
        f'<line x1="{pad}" y1="{axis_y}" x2="{width - pad}" y2="{axis_y}" stroke="#555" '
        'stroke-width="1"/>',
        f'<text x="{pad}" y="{height - 6}" font-size="11">{escape(dated[0].datum[:10])}</text>',
        f'<text x="{width - pad}" y="{height - 6}" font-size="11" text-anchor="end">'
        f"{escape(dated[-1].datum[:10])}</text>",
    ]
    for e, d in zip(dated, days, strict=True):
        x = pad + (width - 2 * pad) * (d - first) / span
        tip = f"<title>{escape(e.datum[:10])}: {escape(e.label)}</title>"
        if e.soort == "document":
            mark = f'<circle cx="{x:.2f}" cy="{axis_y}" r="5" fill="{BAR}" fill-opacity="0.7">{tip}</circle>'
        else:
            colour = _EVENT_COLOURS.get(e.soort, OTHER)
            mark = (
                f'<path d="M{x:.2f} {axis_y - 9} l7 9 l-7 9 l-7 -9 z" fill="{colour}">{tip}</path>'
            )
        body.append(f'<a href="{escape(e.href)}">{mark}</a>' if e.href else mark)
    n_docs = sum(1 for e in dated if e.soort == "document")
    desc = (
        f"{aantal(n_docs, 'document', 'documenten')} en "
        f"{aantal(len(dated) - n_docs, 'besluit', 'besluiten')} van "
        f"{dated[0].datum[:10]} tot {dated[-1].datum[:10]}."
    )
    return _svg(width, height, title, desc, "".join(body), "tijdlijn")


def timeline_table(events: Sequence[Event], *, title: str) -> Markup:
    dated = sorted(events, key=lambda e: (e.datum, e.label))
    return table(
        title, ("Datum", "Soort", "Wat"), [(e.datum[:10], e.soort, e.label) for e in dated]
    )


def _day(iso: str) -> int:
    """The ordinal of an ISO date's day; 0 for a missing or malformed date."""
    try:
        return date.fromisoformat(iso[:10]).toordinal()
    except ValueError:
        return 0
