"""The analysis pages: how fracties vote together (``/analyse/stemmingen``), a fractie's
profile (``/fractie/{afkorting}``) and how ministries answer and keep their word
(``/analyse/ministeries``). The figures come from the tables ``store.analyse`` computes in
the ``analyse`` stage of ``update``; the rules are on ``/uitleg``.

The two ``/analyse/…`` pages are dashboards (``web/dashboards.DASHBOARDS``): each returns its
``Page`` and the table its CSV download gives (``?tabel=`` picks one of the page's tables).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any, Protocol
from urllib.parse import urlencode

from markupsafe import Markup, escape

from kamerwatch import kabinetten
from kamerwatch.kinds import DOSSIER_NUMMER
from kamerwatch.store import analyse as q
from kamerwatch.store.db import Connection

from . import charts, render, urls
from .loaders import NotFound, Page

Table = tuple[list[str], list[list[Any]]]
Loaded = tuple[Page, Table]
LIST_LIMIT = 200


class Filters(Protocol):
    """What the analysis loaders read of a request (``web.dashboards.Filters``)."""

    notices: list[str]

    def text(self, name: str, limit: int = 200) -> str | None: ...

    def date(self, name: str) -> date | None: ...

    def choice(self, name: str, allowed: Iterable[str]) -> str | None: ...


def _extra(f: Filters, **more: Any) -> dict[str, Any]:
    params = getattr(f, "params", {})
    filters = {k: v for k, v in dict(params).items() if k != "format"}
    return {"notices": f.notices, "filters": filters, **more}


def default_start(today: date) -> date:
    """The start of the term of the cabinet in office (a year back before the first one)."""
    return kabinetten.term_start(today) or today - timedelta(days=365)


def _period(f: Filters, today: date) -> tuple[date, date]:
    van = f.date("van") or default_start(today)
    tot = f.date("tot") or today
    if van > tot:
        f.notices.append("'van' lag na 'tot'; de datums zijn omgedraaid.")
        van, tot = tot, van
    return van, tot


# -- /analyse/stemmingen ----------------------------------------------------------------------------


def stemmingen(conn: Connection, f: Filters, today: date) -> Loaded:
    van, tot = _period(f, today)
    commissies, dossiers = q.onderwerpen(conn, van=van, tot=tot)
    commissie = f.choice("commissie", (c.id for c in commissies))
    dossier = f.text("dossier", 30)
    if dossier is not None and not kinds_match(DOSSIER_NUMMER, dossier):
        f.notices.append("Ongeldig dossiernummer genegeerd.")
        dossier = None
    ov = q.overeenstemming(conn, van=van, tot=tot, commissie_id=commissie, dossier=dossier)
    sort = f.choice("sort", ("naam", "gemiddeld", *ov.fracties)) or "naam"
    order = _order(ov, sort)
    shares = {(p.a, p.b): p for p in ov.paren}
    matrix: list[dict[str, Any]] = [
        {
            "fractie": a,
            "met": [
                {"fractie": b, "zelfde": p.zelfde, "samen": p.samen, "aandeel": p.aandeel}
                for b in order
                if b != a and (p := shares[a, b])
            ],
        }
        for a in order
    ]
    onderwerp = next((c.naam for c in commissies if c.id == commissie), None) or (
        f"dossier {dossier}" if dossier else None
    )
    period = f"{_dag(van)} tot en met {_dag(tot)}"
    title = "Hoe vaak stemden twee fracties hetzelfde"
    desc = (
        f"Per paar fracties het aandeel van de {ov.stemmingen} stemmingen van {period}"
        + (f" over {onderwerp}" if onderwerp else "")
        + " waarin beide meestemden en hetzelfde stemden (voor of tegen). Donkerder is vaker."
    )
    aandeel = {key: p.aandeel for key, p in shares.items()}

    def tip(a: str, b: str) -> str:
        p = shares[a, b]
        return f"{a} en {b}: {charts.percent(aandeel[a, b])} ({p.zelfde} van {p.samen} stemmingen)"

    svg = charts.heatmap(order, lambda a, b: aandeel[a, b], title=title, desc=desc, tip=tip)
    kabinet = kabinetten.in_office(today)
    data = {
        "van": van.isoformat(),
        "tot": tot.isoformat(),
        "commissie": commissie,
        "dossier": dossier,
        "sortering": sort,
        "stemmingen": ov.stemmingen,
        "fracties": order,
        "overeenstemming": matrix,
        "berekendOp": ov.berekend_op,
    }
    page = Page(
        "analyse_stemmingen.html",
        "Stemgedrag: hoe vaak stemmen fracties hetzelfde",
        desc,
        data,
        _extra(
            f,
            heatmap=svg,
            order=order,
            matrix_rows=matrix_rows(order, shares, aandeel),
            shares=shares,
            commissie_opties=[(c.id, f"{c.naam} ({c.stemmingen})") for c in commissies],
            dossier_opties=[(d.id, f"{d.id} ({d.stemmingen})") for d in dossiers],
            onderwerp=onderwerp,
            kabinet=kabinet.naam if kabinet else None,
            standaard_van=default_start(today).isoformat(),
            berekend=ov.berekend_op is not None,
        ),
    )
    header = ["fractie", "met fractie", "zelfde gestemd", "beide gestemd", "aandeel"]
    rows = [
        [a, m["fractie"], m["zelfde"], m["samen"], m["aandeel"]]
        for r in matrix
        for m in r["met"]
        if (a := r["fractie"])
    ]
    return page, (header, rows)


def matrix_rows(
    order: list[str], shares: dict[tuple[str, str], q.Paar], aandeel: dict[tuple[str, str], Any]
) -> Markup:
    """The agreement table's rows (one per fractie, a cell per other fractie: the share
    agreed with "agreed of both voted" as its title): ~1,000 cells, written here at a
    fraction of what the template's loop cost."""
    rows = []
    for a in order:
        cells = [f'<tr><th scope="row"><a href="{escape(urls.fractie(a))}">{escape(a)}</a></th>']
        for b in order:
            if a == b:
                cells.append("<td>–</td>")
                continue
            p, share = shares[a, b], aandeel[a, b]
            value = "–" if share is None else f"{int(round(share * 100, 0))}%"
            cells.append(f'<td title="{escape(p.zelfde)} van {escape(p.samen)}">{value}</td>')
        rows.append("".join(cells) + "</tr>\n")
    return Markup("".join(rows))


def kinds_match(pattern: str, value: str) -> bool:
    return re.fullmatch(pattern, value) is not None


def _order(ov: q.Overeenstemming, sort: str) -> list[str]:
    """naam: alphabetical; gemiddeld: by mean agreement with the others (highest first);
    a fractie: that fractie first, then by agreement with it (highest first)."""
    names = list(ov.fracties)
    shares = {(p.a, p.b): p.aandeel for p in ov.paren}

    def mean(a: str) -> float:
        values = [v for b in names if b != a and (v := shares[a, b]) is not None]
        return sum(values) / len(values) if values else -1.0

    if sort == "gemiddeld":
        return sorted(names, key=lambda a: (-mean(a), a.lower(), a))
    if sort in names:
        rest = [b for b in names if b != sort]
        return [sort, *sorted(rest, key=lambda b: (-(shares[sort, b] or -1.0), b.lower(), b))]
    return names


def _dag(d: date) -> str:
    return f"{d.day}-{d.month}-{d.year}"


# -- /fractie/{afkorting} ---------------------------------------------------------------------------


def fractie(conn: Connection, afkorting: str, today: date | None = None) -> Page:
    today = today or date.today()
    van = default_start(today)
    data = q.fractie_page(conn, afkorting, van=van, tot=today, today=today)
    if data is None:
        raise NotFound(f"Fractie {afkorting} niet gevonden")
    seats = [(z.maand, float(z.zetels)) for z in data.zetels_per_maand]
    extra = {
        "zetels_grafiek": charts.line_chart(
            [(data.afkorting, seats)],
            title=f"Zetels van {data.afkorting} per maand",
            desc=(
                f"Het aantal zetels van {data.afkorting} op de eerste van elke maand, "
                f"van {seats[0][0]} tot {seats[-1][0]}."
                if seats
                else "Geen zetels bekend."
            ),
        )
        if seats
        else None,
        "kabinet": (k.naam if (k := kabinetten.in_office(today)) else None),
        "coalitie": sorted(kabinetten.coalition_on(today)),
    }
    return Page("", f"Fractie {data.afkorting}", data.naam or data.afkorting, data, extra)


FRACTIE_TABELLEN = ("stemmingen", "moties", "zetels", "leden")


def fractie_table(data: q.FractiePage, tabel: str | None) -> Table:
    """One of a fractie page's tables for its CSV download (default: the votes where it
    stood alone or nearly alone)."""
    if tabel == "moties":
        head = ["soort", "ingediend", "gestemd", "aangenomen", "aandeel aangenomen"]
        return head, [
            [t.soort, t.ingediend, t.besloten, t.aangenomen, t.aandeel_aangenomen]
            for t in data.indieningen
        ]
    if tabel == "zetels":
        return ["maand", "zetels"], [[z.maand, z.zetels] for z in data.zetels_per_maand]
    if tabel == "leden":
        return ["nummer", "naam", "functie", "sinds"], [
            [m.nummer, m.naam, m.functie, m.van] for m in data.leden
        ]
    head = ["datum", "zaak", "onderwerp", "stem", "samen met", "tegenover (fracties)", "uitslag"]
    return head, [
        [
            s.datum,
            s.zaak_nummer,
            s.onderwerp,
            s.positie,
            " ".join(s.medestanders),
            s.tegenstanders,
            s.uitslag,
        ]
        for s in data.eenzaam
    ]


# -- /analyse/ministeries ---------------------------------------------------------------------------

VRAAG_MATEN: dict[str, tuple[str, bool]] = {  # measure → (label, higher is better)
    "mediaan_dagen": ("mediaan dagen tot antwoord", False),
    "aandeel_binnen_termijn": ("aandeel binnen drie weken", True),
    "aandeel_uitstel": ("aandeel met uitstelbrief", False),
    "open": ("onbeantwoord", False),
    "gesteld": ("gesteld", True),
}
TOEZEGGING_MATEN: dict[str, tuple[str, bool]] = {
    "te_laat": ("te laat (open, termijn voorbij)", False),
    "open": ("open", False),
    "voldaan": ("voldaan", True),
    "voldaan_te_laat": ("voldaan, maar te laat", False),
    "mediaan_dagen": ("mediaan dagen tot nakoming", False),
}
# the measure of a figure → the list behind it (store.analyse.VRAAG_MATEN/TOEZEGGING_MATEN)
VRAAG_LIJST = {
    "gesteld": "gesteld",
    "beantwoord": "beantwoord",
    "binnen_termijn": "binnen-termijn",
    "open": "open",
    "met_uitstel": "uitstel",
}
TOEZEGGING_LIJST = {
    "totaal": "totaal",
    "open": "open",
    "te_laat": "te-laat",
    "voldaan": "voldaan",
    "voldaan_te_laat": "voldaan-te-laat",
}
TABELLEN = ("vragen", "toezeggingen", "kwartalen", "lijst")


def _ranked(groups: list[q.Groep], measure: str, higher_better: bool) -> list[q.Groep]:
    """By the measure (best first; no value last), then by name: a total order."""

    def key(g: q.Groep) -> tuple[int, float, str]:
        v = g.cijfers.get(measure)
        if v is None:
            return (1, 0.0, g.naam)
        if isinstance(v, str):  # a date (oldest open): the oldest is worst
            number = float(date.fromisoformat(v).toordinal())
            return (0, -number if higher_better else number, g.naam)
        return (0, -float(v) if higher_better else float(v), g.naam)

    return sorted(groups, key=key)


def ministeries(conn: Connection, f: Filters, today: date) -> Loaded:
    groep = f.choice("groep", ("ministerie", "bewindspersoon")) or "ministerie"
    vraag_maat = f.choice("sort", VRAAG_MATEN) or "mediaan_dagen"
    tz_maat = f.choice("maat", TOEZEGGING_MATEN) or "te_laat"
    per_groep = q.groepen(conn, "vragen", groep)
    vragen = _ranked(per_groep, vraag_maat, VRAAG_MATEN[vraag_maat][1])
    toezeggingen = _ranked(
        q.groepen(conn, "toezeggingen", groep), tz_maat, TOEZEGGING_MATEN[tz_maat][1]
    )
    totaal_v = next(iter(q.groepen(conn, "vragen", "totaal")), None)
    totaal_t = next(iter(q.groepen(conn, "toezeggingen", "totaal")), None)
    # the line per quarter: all questions and the five ministries asked most, over the
    # last four years with figures (only those quarters are read)
    ministries = per_groep if groep == "ministerie" else q.groepen(conn, "vragen", "ministerie")
    top = sorted(ministries, key=lambda g: (-g.cijfers["gesteld"], g.naam))[:5]
    wanted = [("alle ministeries", "totaal", ""), *[(g.naam, "ministerie", g.naam) for g in top]]
    quarters = q.newest_quarters(conn, [(groep_, naam) for _l, groep_, naam in wanted], 16)
    vanaf = quarters[0] if quarters else ""
    series = [(label, q.kwartalen(conn, groep_, naam, vanaf)) for label, groep_, naam in wanted]
    lines = [
        (name, [(k, c.get("mediaan_dagen")) for k, c in rows if k in quarters])
        for name, rows in series
    ]
    kwartaal_rows = [
        [name, k, c["gesteld"], c["beantwoord"], c["mediaan_dagen"], c["aandeel_binnen_termijn"]]
        for name, rows in series
        for k, c in rows
        if k in quarters
    ]
    lijst, lijst_totaal, lijst_soort = _list(conn, f)
    label_v = VRAAG_MATEN[vraag_maat][0]
    label_t = TOEZEGGING_MATEN[tz_maat][0]
    wie = "ministerie" if groep == "ministerie" else "bewindspersoon"
    data = {
        "groep": groep,
        "berekendOp": q.computed_on(conn),
        "vragen": {"totaal": totaal_v.cijfers if totaal_v else None, "per": vragen},
        "toezeggingen": {"totaal": totaal_t.cijfers if totaal_t else None, "per": toezeggingen},
        "kwartalen": [
            {"reeks": name, "kwartaal": k, **c}
            for name, rows in series
            for k, c in rows
            if k in quarters
        ],
        "lijst": {"soort": lijst_soort, "totaal": lijst_totaal, "items": lijst}
        if lijst_soort
        else None,
    }
    extra = _extra(
        f,
        vraag_maat=vraag_maat,
        tz_maat=tz_maat,
        vraag_maten=VRAAG_MATEN,
        tz_maten=TOEZEGGING_MATEN,
        vraag_lijst=VRAAG_LIJST,
        tz_lijst=TOEZEGGING_LIJST,
        vragen_grafiek=charts.ranking_bars(
            [(g.naam, _chart_value(g.cijfers.get(vraag_maat), today, vraag_maat)) for g in vragen][
                :25
            ],
            title=f"Schriftelijke vragen per {wie}: {label_v}",
            desc=f"Per {wie} de waarde van '{label_v}', in de volgorde van de tabel eronder.",
            unit=_unit(vraag_maat),
        ),
        toezeggingen_grafiek=charts.ranking_bars(
            [(g.naam, _chart_value(g.cijfers.get(tz_maat), today, tz_maat)) for g in toezeggingen][
                :25
            ],
            title=f"Toezeggingen per {wie}: {label_t}",
            desc=f"Per {wie} de waarde van '{label_t}', in de volgorde van de tabel eronder.",
            unit=_unit(tz_maat),
        ),
        kwartaal_grafiek=charts.line_chart(
            lines,
            title="Mediaan aantal dagen tot het antwoord op schriftelijke vragen, per kwartaal",
            desc=(
                "Per kwartaal waarin de vragen gesteld zijn de mediaan van het aantal dagen tot "
                "het antwoord, voor alle ministeries samen en de vijf ministeries met de meeste vragen."
            ),
            unit=" dagen",
        ),
        kwartaal_rows=kwartaal_rows,
        wie=wie,
        today=today.isoformat(),
    )
    extra["lijst"] = functools.partial(lijst_link, extra["filters"], wie)
    extra["pct"] = charts.percent
    extra["kwartaal_tabel"] = kwartaal_tabel(kwartaal_rows)
    page = Page(
        "analyse_ministeries.html",
        "Ministeries: antwoorden en toezeggingen",
        "Hoe snel ministeries schriftelijke vragen beantwoorden en of ze hun toezeggingen nakomen",
        data,
        extra,
    )
    extra["te_laat_rss"] = q.newly_overdue(conn, today=today)
    return page, _ministry_table(f, data, vragen, toezeggingen, kwartaal_rows, wie)


def _chart_value(value: Any, today: date, measure: str) -> float | None:
    """A figure as drawn: shares as percentages, the oldest open question as days open."""
    if value is None:
        return None
    if isinstance(value, str):
        return float((today - date.fromisoformat(value)).days)
    if measure.startswith("aandeel"):
        return round(float(value) * 100, 1)
    return float(value)


def _unit(measure: str) -> str:
    if measure.startswith("aandeel"):
        return "%"
    return " dagen" if "dagen" in measure or measure == "oudste_open" else ""


def _list(conn: Connection, f: Filters) -> tuple[list[Any], int, str | None]:
    soort = f.choice("lijst", ("vragen", "toezeggingen"))
    if soort is None:
        return [], 0, None
    ministerie = f.text("ministerie", 120)
    persoon = f.text("bewindspersoon", 120)
    if soort == "vragen":
        maat = f.choice("soort", q.VRAAG_MATEN) or "gesteld"
        items, total = q.vragen_lijst(
            conn, maat=maat, ministerie=ministerie, bewindspersoon=persoon, limit=LIST_LIMIT
        )
        return list(items), total, soort
    maat = f.choice("soort", q.TOEZEGGING_MATEN) or "totaal"
    found, total = q.toezeggingen_lijst(
        conn, maat=maat, ministerie=ministerie, bewindspersoon=persoon, limit=LIST_LIMIT
    )
    return list(found), total, soort


def _ministry_table(
    f: Filters,
    data: dict[str, Any],
    vragen: list[q.Groep],
    toezeggingen: list[q.Groep],
    kwartaal_rows: list[list[Any]],
    wie: str,
) -> Table:
    tabel = f.choice("tabel", TABELLEN) or "vragen"
    if tabel == "toezeggingen":
        keys = [
            "totaal",
            "open",
            "te_laat",
            "voldaan",
            "voldaan_te_laat",
            "mediaan_dagen",
            "aandeel_te_laat",
        ]
        return [wie, *keys], [[g.naam, *(g.cijfers.get(k) for k in keys)] for g in toezeggingen]
    if tabel == "kwartalen":
        head = [
            "reeks",
            "kwartaal",
            "gesteld",
            "beantwoord",
            "mediaan_dagen",
            "aandeel_binnen_termijn",
        ]
        return head, kwartaal_rows
    if tabel == "lijst":
        lijst = data["lijst"]
        if lijst is None:
            return ["melding"], [["kies een lijst met ?lijst=vragen of ?lijst=toezeggingen"]]
        if lijst["soort"] == "vragen":
            head = [
                "zaak",
                "onderwerp",
                "gesteld",
                "beantwoord",
                "dagen",
                "uitstel",
                "ministerie",
                "bewindspersoon",
            ]
            return head, [
                [
                    v.zaak_nummer,
                    v.onderwerp,
                    v.gesteld,
                    v.beantwoord,
                    v.dagen,
                    v.uitstel,
                    v.ministerie,
                    v.bewindspersoon,
                ]
                for v in lijst["items"]
            ]
        head = [
            "nummer",
            "status",
            "klasse",
            "ministerie",
            "bewindspersoon",
            "aanmaakdatum",
            "datum_nakoming",
            "nagekomen",
            "dagen",
            "tekst",
        ]
        return head, [
            [
                t.nummer,
                t.status,
                t.klasse,
                t.ministerie,
                t.bewindspersoon,
                t.aanmaakdatum,
                t.datum_nakoming,
                t.nagekomen,
                t.dagen,
                t.tekst,
            ]
            for t in lijst["items"]
        ]
    keys = [
        "gesteld",
        "beantwoord",
        "binnen_termijn",
        "termijn_voorbij",
        "aandeel_binnen_termijn",
        "met_uitstel",
        "aandeel_uitstel",
        "mediaan_dagen",
        "open",
        "oudste_open",
    ]
    return [wie, *keys], [[g.naam, *(g.cijfers.get(k) for k in keys)] for g in vragen]


def kwartaal_tabel(rows: list[list[Any]]) -> Markup:
    """The rows of the table behind the quarterly line chart (~100: series, quarter, asked,
    answered, median days, share within three weeks)."""
    return Markup(
        "".join(
            f'<tr><th scope="row">{escape(r[0])}</th><td>{escape(r[1])}</td>'
            f"<td>{escape(r[2])}</td><td>{escape(r[3])}</td>"
            f"<td>{'–' if r[4] is None else escape(render.getal(r[4]))}</td>"
            f"<td>{escape(charts.percent(r[5]))}</td></tr>"
            for r in rows
        )
    )


def lijst_link(
    filters: dict[str, Any], wie: str, soort: str, maat: str, naam: str | None, n: Any
) -> Markup:
    """A figure of /analyse/ministeries as the link to the list behind it (these filters,
    plus the list, the measure and the ministry or bewindspersoon), its words for screen
    readers before the number."""
    params = dict(filters, lijst=soort, soort=maat, **({wie: naam} if naam else {}))
    who = f", {escape(naam)}" if naam else ""
    return Markup(
        f'<a href="?{escape(render.urlencode(params))}#lijst"><span class="visueel-verborgen">'
        f"{escape(soort)} {escape(str(maat).replace('-', ' '))}{who}: </span>"
        f"{escape(render.getal(n))}</a>"
    )


def lijst_url(soort: str, maat: str, wie: str, naam: str | None) -> str:
    """The list behind one figure of /analyse/ministeries."""
    params = {"lijst": soort, "soort": maat}
    if naam:
        params[wie] = naam
    return urls.dashboard("analyse/ministeries") + "?" + urlencode(params) + "#lijst"
