"""Pictures for people who would rather look than read: server-rendered SVG, no JavaScript.

Pure functions, data → markup. Every chart is accessible in the same way:

- the ``<svg>`` has ``role="img"`` (``"group"`` when its parts are links), a ``<title>``
  and a ``<desc>`` (a sentence that says what the picture shows, in words), and both as its
  ``aria-label``;
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
from functools import lru_cache

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
    # so the same page renders byte for byte alike and ids never clash); a chart whose
    # parts are links is a group (an image may not hold things to click)
    label = f"{title}. {desc}"
    role = "group" if "<a " in body else "img"
    return Markup(
        f'<svg class="chart {cls}" role="{role}" aria-label="{escape(label)}" '
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
    return (
        f'<rect x="{x:.2f}" y="0" width="{w:.2f}" height="{height}" '
        f"{_segment_rest(p.fractie, p.soort, p.zetels)}"
    )


@lru_cache(maxsize=4096)
def _segment_rest(fractie: str, soort: str, zetels: int) -> str:
    """A segment's colour and tooltip: the same few parties and votes on every seat bar."""
    colour = COLOURS.get(soort, OTHER)
    return (
        f'fill="{colour}" stroke="#fff" stroke-width="0.5"><title>{escape(fractie)}: '
        f"{escape(soort.lower())} ({_num(zetels)})</title></rect>"
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


# ---------------------------------------------------------------- analysis (issue #26)

# the heat map's scale: 0 % (light) … 100 % (dark blue); text turns white on dark cells
_LOW = (0xF2, 0xF5, 0xFA)
_HIGH = (0x0B, 0x3D, 0x91)
LINE_COLOURS = ("#1f5fa8", "#b3261e", "#1a7f37", "#8a4baf", "#a15c00", "#00727a", "#6e6e6e")


def _shade(value: float) -> str:
    v = min(1.0, max(0.0, value))
    (r0, g0, b0), (r1, g1, b1) = _LOW, _HIGH
    return (
        f"#{round(r0 + (r1 - r0) * v):02x}{round(g0 + (g1 - g0) * v):02x}"
        f"{round(b0 + (b1 - b0) * v):02x}"
    )


def percent(value: float | None) -> str:
    """0.734 → ``73%``; None → ``–``."""
    return "–" if value is None else f"{round(value * 100)}%"


def _short(value: float) -> str:
    """A figure as written on an axis: whole numbers without decimals, else one decimal
    (Dutch comma)."""
    if float(value).is_integer():
        return _num(value)
    return f"{value:.1f}".replace(".", ",")


def heatmap(
    names: Sequence[str],
    value: Callable[[str, str], float | None],
    *,
    title: str,
    desc: str,
    tip: Callable[[str, str], str] | None = None,
) -> Markup:
    """A square matrix of shares (0–1) as coloured cells with the percentage written in
    each; ``value(row, column)`` (None: no data, a grey cell with "–"); the diagonal is
    left empty. ``tip(row, column)`` is each cell's tooltip."""
    n = len(names)
    cell, label = 34, 8 + 7 * max((len(x) for x in names), default=1)
    size = label + n * cell + 4
    parts: list[str] = []
    for j, col in enumerate(names):  # column heads, turned
        x = label + j * cell + cell // 2
        parts.append(
            f'<text x="{x}" y="{label - 6}" transform="rotate(-60 {x} {label - 6})" '
            f'font-size="11">{escape(col)}</text>'
        )
    for i, row in enumerate(names):
        y = label + i * cell
        parts.append(
            f'<text x="{label - 6}" y="{y + cell // 2 + 4}" text-anchor="end" '
            f'font-size="11">{escape(row)}</text>'
        )
        for j, col in enumerate(names):
            x = label + j * cell
            if row == col:
                parts.append(
                    f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" fill="#ffffff" '
                    'stroke="#d0d0d0"/>'
                )
                continue
            v = value(row, col)
            if v is None:
                fill, ink, text = "#e6e6e6", "", "–"
            else:
                fill, text = _shade(v), str(round(v * 100))
                ink = ' class="licht"' if v >= 0.55 else ""
            tooltip = tip(row, col) if tip else f"{row} en {col}: {percent(v)}"
            parts.append(
                f"<g><title>{escape(tooltip)}</title>"
                f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" fill="{fill}" '
                f'stroke="#ffffff"/><text x="{x + cell // 2}" y="{y + cell // 2 + 4}" '
                f'text-anchor="middle" font-size="11"{ink}>{text}</text></g>'
            )
    return _svg(size, size, title, desc, "".join(parts), "heatmap")


def line_chart(
    series: Sequence[tuple[str, Sequence[tuple[str, float | None]]]],
    *,
    title: str,
    desc: str,
    unit: str = "",
) -> Markup:
    """Lines over shared x labels (quarters, months): ``series`` is (name, [(label, value)]);
    a missing value (None) breaks the line. The legend names every line in words."""
    labels = sorted({lab for _n, points in series for lab, _v in points})
    values = [v for _n, points in series for _l, v in points if v is not None]
    top = max(values, default=0) or 1
    width, height, left, right, top_pad, bottom = 640, 260, 44, 10, 12, 40
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    parts: list[str] = []
    for k in range(5):  # grid and y labels
        tick = top * k / 4
        y = top_pad + plot_h - plot_h * k / 4
        parts.append(
            f'<line x1="{left}" y1="{y:g}" x2="{width - right}" y2="{y:g}" stroke="#e0e0e0"/>'
            f'<text x="{left - 4}" y="{y + 4:g}" text-anchor="end" font-size="10">'
            f"{escape(_short(tick))}</text>"
        )
    step = plot_w / max(1, len(labels) - 1)
    xs = {lab: left + (i * step if len(labels) > 1 else plot_w / 2) for i, lab in enumerate(labels)}
    every = max(1, len(labels) // 8)
    for i, lab in enumerate(labels):
        if i % every == 0 or i == len(labels) - 1:
            parts.append(
                f'<text x="{xs[lab]:g}" y="{height - bottom + 16}" text-anchor="middle" '
                f'font-size="10">{escape(lab)}</text>'
            )
    for s, (name, points) in enumerate(series):
        colour = LINE_COLOURS[s % len(LINE_COLOURS)]
        dash = "" if s < len(LINE_COLOURS) else ' stroke-dasharray="4 3"'
        runs: list[list[tuple[float, float, str, float]]] = [[]]
        for lab, v in sorted(points):
            if v is None:
                runs.append([])
                continue
            runs[-1].append((xs[lab], top_pad + plot_h - plot_h * v / top, lab, v))
        parts.append(f"<g><title>{escape(name)}</title>")
        for run in runs:
            if len(run) > 1:
                d = " ".join(f"{x:.1f},{y:.1f}" for x, y, _l, _v in run)
                parts.append(
                    f'<polyline points="{d}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>'
                )
            for x, y, lab, v in run:
                parts.append(
                    f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}">'
                    f"<title>{escape(f'{name}, {lab}: {_short(v)}{unit}')}</title></circle>"
                )
        parts.append("</g>")
        ly = height + 18 * s + 6
        parts.append(
            f'<rect x="{left}" y="{ly}" width="14" height="4" fill="{colour}"/>'
            f'<text x="{left + 20}" y="{ly + 6}" font-size="11">{escape(name)}</text>'
        )
    return _svg(width, height + 18 * len(series), title, desc, "".join(parts), "lijnen")


def ranking_bars(
    rows: Sequence[tuple[str, float | None]], *, title: str, desc: str, unit: str = ""
) -> Markup:
    """Horizontal bars, one per row in the given order (a ranking: best first, whichever
    way that is), the value written after each bar; rows without a value are left out."""
    shown = [(n, v) for n, v in rows if v is not None]
    top = max((v for _n, v in shown), default=0) or 1
    label = min(260, 8 + 6 * max((len(n) for n, _v in shown), default=1))
    width, bar_h, gap = 640, 16, 6
    height = max(1, len(shown)) * (bar_h + gap) + 4
    plot = width - label - 84  # room for the value after the longest bar
    parts: list[str] = []
    for i, (name, v) in enumerate(shown):
        y = i * (bar_h + gap) + 2
        w = plot * v / top
        text = f"{_short(v)}{unit}"
        parts.append(
            f"<g><title>{escape(f'{name}: {text}')}</title>"
            f'<text x="{label - 6}" y="{y + bar_h - 4}" text-anchor="end" font-size="11">'
            f"{escape(_clip(name, 42))}</text>"
            f'<rect x="{label}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{BAR}"/>'
            f'<text x="{label + w + 4:.1f}" y="{y + bar_h - 4}" font-size="11">'
            f"{escape(text)}</text></g>"
        )
    return _svg(width, height, title, desc, "".join(parts), "ranglijst")
