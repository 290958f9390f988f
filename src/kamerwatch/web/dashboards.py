"""The dashboards of the site menu: one loader per page, each with its JSON twin, a CSV
download of exactly what the page shows and (for the agenda) an iCalendar feed. The
responses (formats, cache, ETag) are the one page endpoint's (``web/pages.py``).

Filters live in the query string, so every view is a shareable URL. A malformed filter
value is ignored with a notice on the page, never an error.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from starlette.datastructures import QueryParams
from starlette.exceptions import HTTPException

from kamerwatch.store import dashboards as q
from kamerwatch.store.db import Connection

from . import analyse
from .loaders import Page
from .params import SITE_PARAMS

CSV = "text/csv; charset=utf-8"
FIRST_DAY = date(1800, 1, 1)  # the date filters' range: far beyond the data, far from overflow
LAST_DAY = date(2199, 12, 31)


@dataclass
class Filters:
    """The filter values of one request, parsed; ``notices`` say what was ignored."""

    params: QueryParams
    notices: list[str] = field(default_factory=list)

    def text(self, name: str, limit: int = 200) -> str | None:
        if name not in SITE_PARAMS:  # the page cache would not tell its values apart
            raise KeyError(f"query parameter {name!r} is missing from web.params.SITE_PARAMS")
        value = (self.params.get(name) or "").strip()
        return value[:limit] or None

    def date(self, name: str) -> date | None:
        value = self.text(name, 10)
        if value is None:
            return None
        try:
            day = date.fromisoformat(value)
        except ValueError:
            self.notices.append(f"Ongeldige datum voor '{name}' genegeerd: gebruik JJJJ-MM-DD.")
            return None
        if not FIRST_DAY <= day <= LAST_DAY:  # date arithmetic near year 1 or 9999 overflows
            raise HTTPException(
                400,
                f"Datum voor '{name}' buiten het bereik {FIRST_DAY.isoformat()} tot "
                f"{LAST_DAY.isoformat()}",
            )
        return day

    def choice(self, name: str, allowed: Iterable[str]) -> str | None:
        value = self.text(name)
        if value is not None and value not in set(allowed):
            self.notices.append(f"Onbekende waarde voor '{name}' genegeerd.")
            return None
        return value


# -- loaders --------------------------------------------------------------------------------
# Each returns the Page plus the table for the CSV download: (header, rows).

# (header, rows); rows may be a function of a connection when only the CSV download needs
# them all (the page itself shows one page of the list)
Rows = list[list[Any]] | Callable[[Connection], list[list[Any]]]
Table = tuple[list[str], Rows]
Loaded = tuple[Page, Table]


def _page(template: str, title: str, description: str, data: Any, f: Filters, **extra: Any) -> Page:
    return Page(
        template,
        title,
        description,
        data,
        {"notices": f.notices, "filters": dict(f.params), **extra},
    )


def activiteiten(conn: Connection, f: Filters, today: date) -> Loaded:
    day = f.date("dag")
    van = day or f.date("van") or today - timedelta(days=3)
    tot = day or f.date("tot")
    commissies = q.commissie_choices(conn)
    soorten = q.activity_soorten(conn)
    items = q.activiteiten(
        conn,
        van=van,
        tot=tot,
        commissie_id=f.choice("commissie", (c.id for c in commissies)),
        soort=f.choice("soort", soorten),
    )
    data = {"van": van.isoformat(), "tot": tot.isoformat() if tot else None, "activiteiten": items}
    page = _page(
        "dash_activiteiten.html",
        "Activiteiten",
        "Agenda van de Tweede Kamer: debatten, commissievergaderingen en meer",
        data,
        f,
        commissie_opties=[(c.id, c.naam) for c in commissies],
        soort_opties=[(x, x) for x in soorten],
        vandaag=today.isoformat(),
    )
    header = [
        "datum",
        "aanvang",
        "einde",
        "soort",
        "onderwerp",
        "commissie",
        "zaal",
        "besloten",
        "status",
        "nummer",
    ]
    rows = [
        [
            a.datum[:10] if a.datum else "",
            _hm(a.aanvangstijd),
            _hm(a.eindtijd),
            a.soort,
            a.onderwerp,
            a.commissie,
            a.locatie,
            "ja" if a.besloten else "nee",
            a.status,
            a.nummer,
        ]
        for a in items
    ]
    return page, (header, rows)


def ongeplande_activiteiten(conn: Connection, f: Filters, today: date) -> Loaded:
    commissies = q.commissie_choices(conn)
    items = q.ongeplande_activiteiten(
        conn, commissie_id=f.choice("commissie", (c.id for c in commissies))
    )
    page = _page(
        "dash_ongepland.html",
        "Ongeplande activiteiten",
        "Activiteiten die nog geen datum hebben",
        {"activiteiten": items},
        f,
        commissie_opties=[(c.id, c.naam) for c in commissies],
    )
    header = ["bijgewerkt", "soort", "onderwerp", "commissie", "status", "nummer"]
    rows = [[a.bijgewerkt, a.soort, a.onderwerp, a.commissie, a.status, a.nummer] for a in items]
    return page, (header, rows)


def besluiten(conn: Connection, f: Filters, today: date) -> Loaded:
    van = f.date("van") or today - timedelta(days=14)
    tot = f.date("tot") or today + timedelta(days=14)
    items = q.besluiten(conn, van=van, tot=tot)
    page = _page(
        "dash_besluiten.html",
        "Besluiten",
        "Recente en komende besluiten van de Kamer en haar commissies",
        {"van": van.isoformat(), "tot": tot.isoformat(), "besluiten": items},
        f,
    )
    return page, _besluit_table(items)


def stemmingen(conn: Connection, f: Filters, today: date) -> Loaded:
    # the current parties by size, then the former ones A–Z (their votes stay findable)
    fracties = [a for a, _n in q.fracties_naar_grootte(conn, today=today)]
    fracties += [a for a in q.fractie_afkortingen(conn) if a not in set(fracties)]
    resultaat = f.choice("resultaat", ("aangenomen", "verworpen"))
    fractie = f.choice("fractie", fracties)
    stem = STEMMEN.get(f.choice("stem", STEMMEN) or "")
    if stem and not fractie:
        f.notices.append("Kies een fractie om op haar stem te filteren.")
        stem = None
    items, start = q.stemmingen(
        conn,
        van=f.date("van"),
        tot=f.date("tot"),
        today=today,
        resultaat=resultaat,
        fractie=fractie,
        stem=stem,
    )
    page = _page(
        "dash_stemmingen.html",
        "Stemmingen",
        "Uitslagen van stemmingen per fractie en hoofdelijk",
        {"van": start.isoformat(), "stemmingen": items},
        f,
        fractie_opties=[(x, x) for x in fracties],
        stem_opties=[(k, f"stemde {k}") for k in STEMMEN],
        fractie=fractie,
        dagen=per_dag(items),
    )
    header, _rows = _besluit_table(items)
    if not fractie:
        return page, (header, _rows)

    def rows(_conn: Connection) -> list[list[Any]]:
        # the chosen party's vote as a column of the download too
        lines = _besluit_rows(items)
        return [[*row, b.stem_van(fractie) or ""] for row, b in zip(lines, items, strict=True)]

    return page, ([*header, f"stem {fractie}"], rows)


STEMMEN = {"voor": "Voor", "tegen": "Tegen"}  # ?stem= → the side as the feed writes it


def per_dag(items: list[q.Besluit]) -> list[tuple[str, list[q.Besluit]]]:
    """Votes grouped by voting day, in the order given (newest day first)."""
    out: list[tuple[str, list[q.Besluit]]] = []
    for b in items:
        day = (b.datum or "")[:10]
        if not out or out[-1][0] != day:
            out.append((day, []))
        out[-1][1].append(b)
    return out


def _besluit_table(items: list[q.Besluit]) -> Table:
    """The CSV table of besluiten, its rows made only when the CSV download asks."""
    header = [
        "datum",
        "zaak",
        "onderwerp",
        "indiener",
        "fractie indiener",
        "besluit",
        "uitslag",
        "telling wijkt af",
        "voor",
        "tegen",
        "voor (fracties)",
        "tegen (fracties)",
    ]
    return header, lambda _conn: _besluit_rows(items)


def _besluit_rows(items: list[q.Besluit]) -> list[list[Any]]:
    rows = []
    for b in items:
        z = b.zaken[0] if b.zaken else None
        rows.append(
            [
                (b.datum or "")[:10],
                z.nummer if z else "",
                z.onderwerp if z else b.agendapunt,
                z.indiener if z else "",
                z.indiener_fractie if z else "",
                b.tekst or b.soort,
                b.uitslag or "",
                "ja" if b.telling_wijkt_af else "",
                b.voor if (b.fracties or b.personen) else "",
                b.tegen if (b.fracties or b.personen) else "",
                " ".join(x.fractie for x in b.fracties if x.soort == "Voor"),
                " ".join(x.fractie for x in b.fracties if x.soort == "Tegen"),
            ]
        )
    return rows


def open_vragen(conn: Connection, f: Filters, today: date) -> Loaded:
    index = q.open_vragen_index(
        conn, today=today, fractie=f.text("fractie", 40), ministerie=f.text("ministerie", 120)
    )
    number, pages = page_number(index.totaal, f)
    shown = {
        "vragen": q.with_question_counts(
            conn, index.vragen_of(conn, (number - 1) * PAGE_SIZE, PAGE_SIZE)
        ),
        "totaal": index.totaal,
        "te_laat": index.te_laat,
        "met_uitstel": index.met_uitstel,
        "per_fractie": index.per_fractie,
        "per_ministerie": index.per_ministerie,
        "pagina": number,
        "paginas": pages,
    }
    page = _page(
        "dash_open_vragen.html",
        "Open vragen",
        "Schriftelijke vragen die nog niet beantwoord zijn",
        shown,
        f,
        vandaag=today.isoformat(),
    )
    header = [
        "gesteld",
        "dagen open",
        "te laat",
        "uitstel",
        "zaak",
        "document",
        "onderwerp",
        "indieners",
        "fracties",
        "gericht aan",
        "ministeries",
    ]

    def rows(conn: Connection) -> list[list[Any]]:  # only the CSV download reads them all
        return [
            [
                (gestart or "")[:10],
                dagen,
                "ja" if te_laat else "nee",
                "ja" if uitstel else "nee",
                zaak,
                document,
                onderwerp,
                "; ".join(indieners),
                " ".join(fracties),
                "; ".join(gericht_aan),
                "; ".join(ministeries),
            ]
            for (
                gestart,
                dagen,
                te_laat,
                uitstel,
                zaak,
                document,
                onderwerp,
                indieners,
                fracties,
                gericht_aan,
                ministeries,
            ) in index.rijen_of(conn)
        ]

    return page, (header, rows)


TOEZEGGING_STATUS_LABELS = {
    "open": "open (ook deels voldaan)",
    "deels": "deels voldaan",
    "voldaan": "voldaan",
    "vervallen": "vervallen",
    "alles": "alles",
}


def toezeggingen(conn: Connection, f: Filters, today: date) -> Loaded:
    status = f.choice("status", q.TOEZEGGING_STATUS) or "open"
    index = q.open_toezegging_index(
        conn,
        fractie=f.text("fractie", 40),
        commissie_id=f.text("commissie", 40),
        ministerie=f.text("ministerie", 120),
        status=status,
        toezegger=f.text("toezegger", 200),
        today=today,
    )
    number, pages = page_number(index.totaal, f)
    shown = index.ids_of(conn, (number - 1) * PAGE_SIZE, PAGE_SIZE)
    items = q.toezeggingen_by_ids(conn, shown, today=today)
    data = {
        "items": items,
        "status": status,
        "totaal": index.totaal,
        "te_laat": index.te_laat,
        "per_fractie": index.per_fractie,
        "per_commissie": index.per_commissie,
        "per_ministerie": index.per_ministerie,
        "per_toezegger": index.per_toezegger,
        "pagina": number,
        "paginas": pages,
    }
    page = _page(
        "dash_toezeggingen.html",
        "Toezeggingen",
        "Toezeggingen van bewindspersonen aan de Kamer: open, voldaan, te laat",
        data,
        f,
        status_opties=list(TOEZEGGING_STATUS_LABELS.items()),
        # a committee's id by its name (the first of that name), for the links of the counts
        commissie_id_van=_first_ids(q.commissie_choices(conn)),
    )
    header = [
        "datum",
        "dagen open",
        "nummer",
        "status",
        "toezegger",
        "ministerie",
        "toegezegd aan",
        "fractie",
        "commissie",
        "tekst",
        "nakoming",
        "dagen te laat",
        "kamerbrief",
    ]

    def rows(conn: Connection) -> list[list[Any]]:  # only the CSV download reads them all
        return [
            [
                (t.aanmaakdatum or "")[:10],
                t.dagen_open,
                t.nummer,
                t.status,
                t.toezegger,
                t.ministerie,
                t.persoon,
                t.fractie,
                t.commissie,
                t.tekst,
                (t.datum_nakoming or "")[:10],
                t.dagen_te_laat or "",
                " ".join(nummer or waarde for waarde, nummer in t.nakoming),
            ]
            for t in q.toezeggingen_by_ids(conn, index.ids_of(conn, 0, None), today=today)
        ]

    return page, (header, rows)


def _first_ids(choices: list[q.CommissieChoice]) -> dict[str, str]:
    out: dict[str, str] = {}
    for c in choices:
        out.setdefault(c.naam, c.id)
    return out


def toezeggingen_bell(params: QueryParams) -> tuple[str, str]:
    """The dashboard's 🔔: new commitments of the chosen fractie, committee or ministry
    (the first filter set), else all new ones."""
    for scope in ("fractie", "commissie", "ministerie"):
        value = (params.get(scope) or "").strip()
        if value:
            return "toezeggingen", f"{scope}:{value[:120]}"
    return "toezeggingen", "alle"


def commissies(conn: Connection, f: Filters, today: date) -> Loaded:
    items = q.commissies(conn)
    page = _page(
        "dash_commissies.html",
        "Commissies",
        "Actieve en slapende commissies",
        {"commissies": items},
        f,
    )
    header = ["naam", "afkorting", "actief", "leden", "laatste activiteit"]
    rows = [
        [
            c.naam,
            c.afkorting,
            "ja" if c.actief else "nee",
            c.leden,
            (c.laatste_activiteit or "")[:10],
        ]
        for c in items
    ]
    return page, (header, rows)


def kamerleden(conn: Connection, f: Filters, today: date) -> Loaded:
    data = q.kamerleden(conn, today=today)
    groepen: dict[str, list[q.Kamerlid]] = {}
    for lid in data.leden:  # already ordered by fractie size and seat
        groepen.setdefault(lid.fractie or "zonder fractie", []).append(lid)
    page = _page(
        "dash_kamerleden.html",
        "Kamerleden",
        "De zittende leden van de Tweede Kamer per fractie",
        data,
        f,
        groepen=list(groepen.items()),
    )
    header = ["fractie", "zetel", "naam", "functie", "sinds", "woonplaats"]
    rows = [[m.fractie, m.zetel, m.naam, m.functie, m.sinds, m.woonplaats] for m in data.leden]
    return page, (header, rows)


def personen(conn: Connection, f: Filters, today: date) -> Loaded:
    letter = f.text("letter", 1)
    if letter is not None and not letter.isalpha():
        f.notices.append("Kies een letter A–Z.")
        letter = None
    items = q.personen(conn, today=today, letter=letter)
    page = _page(
        "dash_personen.html",
        "Personen",
        "Iedereen die ooit in de Kamer zat",
        {"personen": items},
        f,
    )
    header = ["naam", "fracties", "eerste lidmaatschap", "zittend"]
    rows = [
        [p.naam, " ".join(p.fracties), p.eerste_lidmaatschap, "ja" if p.zittend else "nee"]
        for p in items
    ]
    return page, (header, rows)


def kamerstukdossiers(conn: Connection, f: Filters, today: date) -> Loaded:
    zoek = f.text("q", 100)
    items = q.kamerstukdossiers(conn, zoek=zoek)
    page = _page(
        "dash_dossiers.html",
        "Kamerstukdossiers",
        "Recent actieve kamerstukdossiers; zoek op nummer of titel",
        {"zoek": zoek, "dossiers": items},
        f,
    )
    header = ["nummer", "toevoeging", "titel", "documenten", "laatste document", "afgesloten"]
    rows = [
        [
            d.nummer,
            d.toevoeging,
            d.titel,
            d.documenten,
            (d.laatste_document or "")[:10],
            "ja" if d.afgesloten else "nee",
        ]
        for d in items
    ]
    return page, (header, rows)


def geschenken(conn: Connection, f: Filters, today: date) -> Loaded:
    items = q.geschenken(conn, van=f.date("van"), zoek=f.text("q", 100))
    page = _page(
        "dash_geschenken.html",
        "Geschenken",
        "Geschenken die Kamerleden hebben gemeld",
        {"geschenken": items},
        f,
    )
    header = ["datum", "kamerlid", "fractie", "omschrijving"]
    rows = [[g.datum, g.persoon, g.fractie, g.omschrijving] for g in items]
    return page, (header, rows)


def verslagen(conn: Connection, f: Filters, today: date) -> Loaded:
    commissies = q.commissie_choices(conn)
    soorten = q.vergadering_soorten(conn)
    commissie = f.text("commissie", 40)
    by_afkorting = {(c.afkorting or "").lower(): c.id for c in commissies if c.afkorting}
    if commissie is not None:  # an id, or the abbreviation the reference site used
        commissie = by_afkorting.get(commissie.lower(), commissie)
        if commissie not in {c.id for c in commissies}:
            f.notices.append("Onbekende waarde voor 'commissie' genegeerd.")
            commissie = None
    items = q.verslagen(conn, soort=f.choice("soort", soorten), commissie_id=commissie)
    gekozen = next((c for c in commissies if c.id == commissie), None)
    page = _page(
        "dash_verslagen.html",
        "Verslagen" + (f" van de commissie {gekozen.naam}" if gekozen else ""),
        "Verslagen van plenaire en commissievergaderingen",
        {"verslagen": items},
        f,
        commissie_opties=[(c.id, c.naam) for c in commissies],
        commissie_gekozen=commissie,
        soort_opties=[(x, x.lower()) for x in soorten],
    )
    header = ["datum", "aanvang", "soort", "titel", "commissie", "zaal", "verslag", "status"]
    rows = [
        [
            (v.datum or "")[:10],
            _hm(v.aanvangstijd),
            v.soort,
            v.titel,
            v.commissie_afkorting or v.commissie,
            v.zaal,
            v.verslag_soort,
            v.verslag_status,
        ]
        for v in items
    ]
    return page, (header, rows)


PAGE_SIZE = 100


def page_number(total: int, f: Filters) -> tuple[int, int]:
    """The page asked for (``pagina``, 100 per page; a page that does not exist gives page 1
    with a notice) and the number of pages of a list of ``total``."""
    pages = max(1, -(-total // PAGE_SIZE))
    raw = f.text("pagina", 6) or "1"
    number = int(raw) if raw.isdigit() else 1
    if not raw.isdigit() or not 1 <= number <= pages:
        if raw != "1":
            f.notices.append(f"Pagina {raw} bestaat niet; pagina 1 getoond.")
        number = 1
    return number, pages


def paged(data: Any, field_name: str, f: Filters) -> dict[str, Any]:
    """The fields of ``data`` with only one page of its list ``field_name`` (``pagina``,
    100 per page) plus ``pagina`` and ``paginas``; the totals stay those of the whole list."""
    items = getattr(data, field_name)
    number, pages = page_number(len(items), f)
    out = {name: getattr(data, name) for name in data.__dataclass_fields__}
    out[field_name] = items[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
    out["pagina"], out["paginas"] = number, pages
    return out


def _hm(value: str | None) -> str:
    return value[11:16] if value and len(value) >= 16 else ""


@dataclass(frozen=True, slots=True)
class Dashboard:
    """A page of the site menu: ``/<name>`` with its ``.json`` twin, its ``.csv`` download
    and the other ``formats`` it has; ``menu`` is its label in the menu (``None``: not
    in the menu)."""

    name: str
    load: Callable[[Connection, Filters, date], Loaded]
    menu: str | None
    formats: tuple[str, ...] = ("json", "csv")
    # its 🔔: the monitor (kind, value) the page's filters stand for; None: no bell
    bell_of: Callable[[QueryParams], tuple[str, str] | None] | None = None


# The dashboards, in menu order: the one list (menu, routes, sitemap, OpenAPI, legacy URLs).
DASHBOARDS: dict[str, Dashboard] = {
    d.name: d
    for d in (
        Dashboard("activiteiten", activiteiten, "activiteiten", ("json", "csv", "ics")),
        Dashboard("ongeplande-activiteiten", ongeplande_activiteiten, "ongeplande activiteiten"),
        Dashboard("besluiten", besluiten, "besluiten"),
        Dashboard("commissies", commissies, "commissies"),
        Dashboard("geschenken", geschenken, "geschenken"),
        Dashboard("kamerleden", kamerleden, "kamerleden"),
        Dashboard("personen", personen, None),
        Dashboard("kamerstukdossiers", kamerstukdossiers, "kamerstukdossiers"),
        Dashboard("open-vragen", open_vragen, "open vragen"),
        Dashboard("toezeggingen", toezeggingen, "toezeggingen", bell_of=toezeggingen_bell),
        Dashboard("stemmingen", stemmingen, "stemmingen"),
        Dashboard("verslagen", verslagen, "verslagen"),
        Dashboard("analyse/stemmingen", analyse.stemmingen, "stemgedrag"),
        Dashboard(
            "analyse/ministeries", analyse.ministeries, "ministeries", ("json", "csv", "xml")
        ),
    )
}


def csv_body(table: Table, conn: Connection) -> bytes:
    """The CSV download: a UTF-8 BOM (spreadsheet programs then read UTF-8 correctly), the
    header and the rows. Every text field is quoted (so a ``;`` or tab in it stays inside
    the cell also where a spreadsheet splits on those, as Dutch Excel does on ``;``) and
    formula-like text is defused (:func:`csv_safe`)."""
    header, rows = table
    rows = rows(conn) if callable(rows) else list(rows)
    lines = _csv_lines(rows)
    # one search over all lines: a place where csv_safe would change a text shows in them as
    # a separator or quote followed by a formula character (some matches are not such a
    # place: then each row is checked and defused as csv_safe says)
    if _FORMULA_IN_LINES.search("\0".join(lines)):
        lines = _csv_lines(_defused(rows))
    return ("\ufeff" + "\r\n".join([*_csv_lines([header]), *lines, ""])).encode()


def _defused(rows: Iterable[list[Any]]) -> Iterator[list[Any]]:
    for row in rows:
        # one search over the row's texts (most rows have nothing to defuse)
        texts = "\0".join([v for v in row if isinstance(v, str)])
        if texts.startswith(_FORMULA_START) or _FORMULA_IN_ROW.search(texts):
            row = [csv_safe(v) for v in row]
        yield row


def _csv_lines(rows: Iterable[list[Any]]) -> list[str]:
    """The rows as ``csv.writer(quoting=QUOTE_NONNUMERIC)`` writes them (None as an empty
    text), byte for byte, without the CRLF after each: texts quoted with inner quotes
    doubled, integers bare. A row with any other kind of value is left to the csv module."""
    out: list[str] = []
    for row in rows:
        try:
            out.append(
                ",".join(
                    [
                        '"' + v.replace('"', '""') + '"'
                        if type(v) is str
                        else '""'
                        if v is None
                        else str(v)
                        if type(v) is int
                        else _other(v)
                        for v in row
                    ]
                )
            )
        except _OtherValue:
            buf = io.StringIO()
            csv.writer(buf, quoting=csv.QUOTE_NONNUMERIC).writerow(
                ["" if v is None else v for v in row]
            )
            out.append(buf.getvalue()[:-2])
    return out


class _OtherValue(Exception):
    """A CSV value that is neither text, an integer nor None."""


def _other(value: Any) -> str:
    raise _OtherValue(type(value).__name__)


# a spreadsheet may start a formula at the start of the text and after each character where
# it may start a new cell (, ; tab | CR LF): there, a formula character (= + - @ tab CR)
_FORMULA_START = tuple("=+-@\t\r")
_FORMULA_AFTER_BREAK = re.compile(r"([,;\t|\r\n])(?=[=+\-@\t\r])")
# the same in a row's texts joined by NUL (a cell start too): finds every place csv_safe
# changes (and, rarely, a NUL inside a text: then csv_safe finds nothing to do)
_FORMULA_IN_ROW = re.compile(r"[,;\t|\r\n\0][=+\-@\t\r]")
# the same in the CSV lines as _csv_lines writes them (joined by NUL): each text starts after
# its opening quote (a formula character looked for first, then what precedes it: 2-3 times
# as fast as the other way round)
_FORMULA_IN_LINES = re.compile(r"[=+\-@\t\r](?<=[,;\t|\r\n\"].)")


def csv_safe(value: Any) -> Any:
    """Text that a spreadsheet could run as a formula gets an apostrophe before the formula
    character, at the start and after every separator or line break inside the text
    (whichever delimiter the reading program assumes)."""
    if not isinstance(value, str):
        return value
    inside = _FORMULA_AFTER_BREAK.sub(r"\1'", value)
    return "'" + inside if value.startswith(_FORMULA_START) else inside
