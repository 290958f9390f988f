"""SQL of monitor matching: what is new in a window of feed positions, per monitor kind.

A :class:`Window` holds, per feed category, the sync position of the previous evaluation
(exclusive) and of this one (inclusive). Every mirror row carries the feed position that
produced it, so "new since the last run" is an indexed range on ``skiptoken``, never a
scan of the history.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import speaking
from .db import Connection, in_list


@dataclass(frozen=True, slots=True)
class Window:
    lo: dict[str, int]
    hi: dict[str, int]

    def bounds(self, category: str) -> tuple[int, int]:
        return self.lo.get(category, 0), self.hi.get(category, 0)


@dataclass(frozen=True, slots=True)
class MatchRow:
    """One matched item: a document, toezegging or activiteit (or a change of it)."""

    item_key: str  # what is mailed at most once per user, e.g. ``document:<id>``
    kind: str  # document | toezegging | activiteit | termijn
    nummer: str
    onderwerp: str
    snippet: str
    why: str
    extra: dict[str, str] = field(default_factory=dict)


_DOC_COLS = "d.id, d.document_nummer, d.onderwerp, d.titel, d.soort, d.datum"


def _doc(row: tuple[object, ...], why: str) -> MatchRow:
    ident, nummer, onderwerp, titel, soort, datum = (str(v or "") for v in row[:6])
    snippet = " · ".join(p for p in (soort, datum[:10], titel if titel != onderwerp else "") if p)
    return MatchRow(f"document:{ident}", "document", nummer, onderwerp or titel, snippet, why)


def _in_window(alias: str, window: Window, category: str) -> tuple[str, tuple[int, int]]:
    return f"({alias}.skiptoken > ? AND {alias}.skiptoken <= ?)", window.bounds(category)


def documents_in_window(conn: Connection, window: Window) -> list[tuple[MatchRow, str]]:
    """Every new or changed document with its searchable text (onderwerp, titel, …)."""
    cond, args = _in_window("d", window, "Document")
    cur = conn.execute(
        f"SELECT {_DOC_COLS}, d.citeertitel FROM document d WHERE {cond} ORDER BY d.skiptoken",
        args,
    )
    out = []
    for row in cur:
        text = " ".join(str(v) for v in (row[2], row[3], row[6], row[1]) if v)
        out.append((_doc(row, ""), text))
    return out


def zaak_documents(conn: Connection, nummer: str, window: Window) -> list[MatchRow]:
    cond, args = _in_window("d", window, "Document")
    linked = conn.execute(
        f"SELECT {_DOC_COLS} FROM document d WHERE {cond} AND d.id IN ("
        " SELECT l.src_id FROM zaak z JOIN link l ON l.dst_id = z.id"
        " AND l.src_category = 'Document' AND l.relation = 'zaak' WHERE z.nummer = ?)",
        (*args, nummer),
    ).fetchall()
    names_it = conn.backend.contains(
        "lower(coalesce(d.onderwerp, '') || ' ' || coalesce(d.titel, ''))", "lower(?)"
    )
    mentions = conn.execute(
        f"SELECT {_DOC_COLS} FROM document d WHERE {cond} AND {names_it}",
        (*args, nummer),
    ).fetchall()
    rows = [_doc(r, f"gekoppeld aan zaak {nummer}") for r in linked]
    seen = {r.item_key for r in rows}
    rows += [
        m for m in (_doc(r, f"noemt zaak {nummer}") for r in mentions) if m.item_key not in seen
    ]
    return rows


def persoon_items(conn: Connection, nummer: str, window: Window) -> list[MatchRow]:
    d_cond, d_args = _in_window("d", window, "Document")
    a_cond, a_args = _in_window("da", window, "DocumentActor")
    docs = conn.execute(
        f"SELECT DISTINCT {_DOC_COLS}, da.relatie, p.achternaam FROM persoon p"
        " JOIN documentactor da ON da.persoon_id = p.id JOIN document d ON d.id = da.document_id"
        f" WHERE p.nummer = ? AND ({d_cond} OR {a_cond})",
        (nummer, *d_args, *a_args),
    ).fetchall()
    rows = [_doc(r, f"{r[7] or 'persoon'} is {str(r[6] or 'actor').lower()}") for r in docs]
    t_cond, t_args = _in_window("t", window, "Toezegging")
    cur = conn.execute(
        f"SELECT {_TZ_COLS} FROM toezegging t WHERE {t_cond} AND t.id IN ("
        "SELECT t2.id FROM toezegging t2 JOIN persoon p ON p.id = t2.toegezegd_aan_persoon_id"
        " WHERE p.nummer = ? UNION SELECT l.src_id FROM link l JOIN persoon p ON p.id = l.dst_id"
        " WHERE p.nummer = ? AND l.src_category = 'Toezegging'"
        " AND l.relation = 'toegezegdAan/persoon')",
        (*t_args, nummer, nummer),
    )
    rows += [_toezegging(r, "toezegging aan deze persoon") for r in cur]
    if "Spreektijd" in window.lo:  # monitors older than the speaking time start from now
        lo, hi = window.bounds("Spreektijd")
        for vid, titel, datum, wv, ir, vz, naam in speaking.spoken_in_window(conn, nummer, lo, hi):
            minutes = max(1, round((wv + ir + vz) / 60))
            rows.append(
                MatchRow(
                    f"verslag:{vid}",
                    "verslag",
                    vid,
                    titel or "vergadering",
                    " · ".join(p for p in (str(datum or "")[:10], f"{minutes} min gesproken") if p),
                    f"{naam} sprak in deze vergadering",
                )
            )
    return rows


def commissie_items(conn: Connection, commissie: str, window: Window) -> list[MatchRow]:
    ids = [
        str(r[0])
        for r in conn.execute(
            "SELECT id FROM commissie WHERE id = ? OR lower(afkorting) = lower(?)",
            (commissie, commissie),
        )
    ]
    rows: list[MatchRow] = []
    d_cond, d_args = _in_window("d", window, "Document")
    a_cond, a_args = _in_window("a", window, "Activiteit")
    for cid in ids:
        cur = conn.execute(
            f"SELECT DISTINCT {_DOC_COLS} FROM zaakactor za JOIN link l ON l.dst_id = za.zaak_id"
            " AND l.src_category = 'Document' AND l.relation = 'zaak'"
            f" JOIN document d ON d.id = l.src_id WHERE za.commissie_id = ?"
            f" AND za.relatie = 'Voortouwcommissie' AND {d_cond}",
            (cid, *d_args),
        )
        rows += [_doc(r, "zaak met deze commissie als voortouw") for r in cur]
        cur = conn.execute(
            f"SELECT {_ACT_COLS} FROM activiteit a WHERE a.voortouwcommissie_id = ? AND {a_cond}",
            (cid, *a_args),
        )
        rows += [_activiteit(r, "activiteit van deze commissie", changed=False) for r in cur]
    return rows


def activiteit_items(conn: Connection, nummer: str, window: Window) -> list[MatchRow]:
    d_cond, d_args = _in_window("d", window, "Document")
    cur = conn.execute(
        f"SELECT {_DOC_COLS} FROM document d WHERE {d_cond} AND d.id IN ("
        " SELECT l.src_id FROM activiteit a JOIN link l ON l.dst_id = a.id"
        " AND l.src_category = 'Document' AND l.relation = 'activiteit' WHERE a.nummer = ?)",
        (*d_args, nummer),
    )
    rows = [_doc(r, f"gekoppeld aan activiteit {nummer}") for r in cur]
    a_cond, a_args = _in_window("a", window, "Activiteit")
    cur = conn.execute(
        f"SELECT {_ACT_COLS} FROM activiteit a WHERE a.nummer = ? AND {a_cond}",
        (nummer, *a_args),
    )
    rows += [
        _activiteit(r, "activiteit gewijzigd (datum, tijd of zaal: zie hierboven)", changed=True)
        for r in cur
    ]
    return rows


def kamerstukdossier_documents(
    conn: Connection, nummer: int, toevoeging: str, window: Window
) -> list[MatchRow]:
    d_cond, d_args = _in_window("d", window, "Document")
    cur = conn.execute(
        f"SELECT {_DOC_COLS} FROM kamerstukdossier k JOIN document d"
        f" ON d.kamerstukdossier_id = k.id WHERE k.nummer = ?"
        f" AND coalesce(k.toevoeging, '') = ? AND {d_cond}",
        (nummer, toevoeging, *d_args),
    )
    label = f"{nummer}-{toevoeging}" if toevoeging else str(nummer)
    return [_doc(r, f"nieuw in kamerstukdossier {label}") for r in cur]


_TZ_COLS = "t.id, t.nummer, t.naam, t.ministerie, t.tekst, t.functie"

_TZ_FILTERS = {  # scope → (condition on t with one ``?`` per use of the value, why)
    "alle": ("1 = 1", "nieuwe toezegging"),
    "fractie": (
        "t.toegezegd_aan_fractie_id IN (SELECT id FROM fractie WHERE id = ?"
        " OR lower(afkorting) = lower(?))",
        "toegezegd aan fractie {value}",
    ),
    "commissie": (
        "t.activiteit_id IN (SELECT a.id FROM activiteit a WHERE a.voortouwcommissie_id = ?"
        " OR lower(a.voortouwafkorting) = lower(?))",
        "gedaan in een activiteit van commissie {value}",
    ),
    "ministerie": ("", "toezegging van {value}"),  # the backend's ``contains``
    # one toezegging (its page's 🔔): every new version is a hit (a status change, the letter)
    "nummer": ("upper(t.nummer) = upper(?)", "toezegging {value} bijgewerkt: status {status}"),
}


def toezegging_items(conn: Connection, scope: str, value: str, window: Window) -> list[MatchRow]:
    """``scope``: alle | fractie | commissie | ministerie (``value`` then names which)."""
    cond, why = _TZ_FILTERS[scope]
    if scope == "ministerie":
        cond = conn.backend.contains("lower(coalesce(t.ministerie, ''))", "lower(?)")
    lo, hi = window.bounds("Toezegging")
    cols = f"{_TZ_COLS}, t.skiptoken, coalesce(t.status, '?')"
    sql = f"SELECT {cols} FROM toezegging t WHERE t.skiptoken > ? AND t.skiptoken <= ?"
    cur = conn.execute(f"{sql} AND {cond}", (lo, hi, *[value] * cond.count("?")))
    if scope == "nummer":  # a new version of the one followed: a hit of its own
        return [
            _toezegging(r, why.format(value=value, status=r[7]), version=str(r[6])) for r in cur
        ]
    return [_toezegging(r, why.format(value=value)) for r in cur]


def _toezegging(row: tuple[object, ...], why: str, version: str | None = None) -> MatchRow:
    ident, nummer, naam, ministerie, tekst, functie = (str(v or "") for v in row[:6])
    who = " ".join(p for p in (functie, naam) if p) or "onbekend"
    onderwerp = f"Toezegging van {who}" + (f" ({ministerie})" if ministerie else "")
    key = f"toezegging:{ident}:{version}" if version else f"toezegging:{ident}"
    return MatchRow(key, "toezegging", nummer, onderwerp, tekst[:300], why)


_ACT_COLS = "a.id, a.nummer, a.soort, a.onderwerp, a.datum, a.aanvangstijd, a.locatie, a.skiptoken"


def _activiteit(row: tuple[object, ...], why: str, *, changed: bool) -> MatchRow:
    ident, nummer, soort, onderwerp, datum, aanvang, locatie, token = (str(v or "") for v in row)
    when = (aanvang or datum)[:16].replace("T", " ") or "nog geen datum"
    key = f"activiteit:{ident}:{token}" if changed else f"activiteit:{ident}"
    title = " ".join(p for p in (soort, onderwerp) if p)
    return MatchRow(key, "activiteit", nummer, f"{title} ({when})", locatie, why)


def question(conn: Connection, nummer: str) -> tuple[str, str, str] | None:
    """(id, datum, onderwerp) of the written-question document ``nummer``."""
    row = conn.execute(
        "SELECT id, coalesce(datum, ''), coalesce(onderwerp, '') FROM document"
        " WHERE document_nummer = ?",
        (nummer,),
    ).fetchone()
    return None if row is None else (str(row[0]), str(row[1]), str(row[2]))


_SIBLINGS = (
    "SELECT l2.src_id FROM link l1 JOIN link l2 ON l2.dst_id = l1.dst_id"
    " AND l2.src_category = 'Document' AND l2.relation = 'zaak'"
    " WHERE l1.src_id = ? AND l1.relation = 'zaak' AND l2.src_id != l1.src_id"
)
_REPLY = "(lower(d.soort) LIKE 'antwoord%' OR lower(d.soort) LIKE '%uitstel%')"


def question_replies(conn: Connection, question_id: str, window: Window) -> list[MatchRow]:
    """New answers and postponement notices in the zaak of a written question."""
    d_cond, d_args = _in_window("d", window, "Document")
    cur = conn.execute(
        f"SELECT {_DOC_COLS} FROM document d WHERE d.id IN ({_SIBLINGS}) AND {_REPLY} AND {d_cond}",
        (question_id, *d_args),
    )
    out = []
    for row in cur:
        uitstel = "uitstel" in str(row[4] or "").lower()
        out.append(_doc(row, "uitstel van antwoord gemeld" if uitstel else "antwoord ontvangen"))
    return out


def question_has_reply(conn: Connection, question_id: str) -> bool:
    row = conn.execute(
        f"SELECT 1 FROM document d WHERE d.id IN ({_SIBLINGS}) AND {_REPLY} LIMIT 1",
        (question_id,),
    ).fetchone()
    return row is not None


# ------------------------------------------------------------------ agenda (issue #27)

AGENDA_OBSERVED = "agenda_observed"  # meta: Activiteit feed position observed last
CANCELLED = ("geannuleerd", "vervallen", "ingetrokken")


def observe_activities(conn: Connection, hi: int) -> int:
    """Compare the activities that changed since the last observation (feed position up to
    ``hi``) with their last seen date and status; record each difference once
    (``activiteit_change``). The first observation only records the state. Returns the
    number of changes recorded."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (AGENDA_OBSERVED,)).fetchone()
    first = row is None
    lo = -1 if first else int(row[0])
    if hi <= lo:
        return 0
    rows = conn.execute(
        "SELECT id, coalesce(aanvangstijd, datum, ''), coalesce(status, ''), skiptoken"
        " FROM activiteit WHERE skiptoken > ? AND skiptoken <= ? ORDER BY skiptoken",
        (lo, hi),
    ).fetchall()
    seen: dict[str, tuple[str, str]] = {}
    ids = [str(r[0]) for r in rows]
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for r in conn.execute(
            "SELECT activiteit_id, wanneer, status FROM activiteit_state"
            f" WHERE activiteit_id IN ({in_list(chunk)})",
            tuple(chunk),
        ):
            seen[str(r[0])] = (str(r[1]), str(r[2]))
    changes = []
    for ident, when, status, token in rows:
        before = seen.get(str(ident))
        if before is not None and not first and before != (str(when), str(status)):
            changes.append((ident, token, before[0], when, before[1], status))
        seen[str(ident)] = (str(when), str(status))
    conn.executemany(
        "INSERT INTO activiteit_change (activiteit_id, skiptoken, old_wanneer, new_wanneer,"
        " old_status, new_status) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        changes,
    )
    conn.executemany(
        "INSERT INTO activiteit_state (activiteit_id, wanneer, status) VALUES (?, ?, ?)"
        " ON CONFLICT (activiteit_id) DO UPDATE SET wanneer = excluded.wanneer,"
        " status = excluded.status",
        [(str(r[0]), str(r[1]), str(r[2])) for r in rows],
    )
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET"
        " value = excluded.value",
        (AGENDA_OBSERVED, str(hi)),
    )
    return len(changes)


_ZAKEN = {
    "zaak": "SELECT id FROM zaak WHERE nummer = ?",
    "kamerstukdossier": (
        "SELECT z.id FROM zaak z JOIN kamerstukdossier k ON k.id = z.kamerstukdossier_id"
        " WHERE k.nummer = ? AND coalesce(k.toevoeging, '') = ?"
    ),
}
_AGENDA_COLS = (
    "ap.id, a.id, a.nummer, coalesce(a.soort, ''), coalesce(a.onderwerp, ''),"
    " coalesce(a.aanvangstijd, a.datum, ''), coalesce(a.locatie, ''),"
    " coalesce(a.voortouwnaam, a.voortouwafkorting, ''), coalesce(a.status, ''),"
    " coalesce(ap.onderwerp, '')"
)
_AGENDA_FROM = (
    "FROM link l JOIN zaak z ON z.id = l.src_id JOIN agendapunt ap ON ap.id = l.dst_id"
    " JOIN activiteit a ON a.id = ap.activiteit_id"
    " WHERE l.relation = 'agendapunt' AND l.src_category = 'Zaak' AND l.src_id IN ({zaken})"
)


def _when(value: str) -> str:
    return value[:16].replace("T", " ") or "nog geen datum"


def _place(locatie: str, commissie: str) -> str:
    return " · ".join(p for p in (locatie, commissie) if p)


def agenda_items(
    conn: Connection,
    kind: str,
    args: tuple[object, ...],
    label: str,
    window: Window,
    today: str,
    remind_until: str,
) -> list[MatchRow]:
    """The agenda triggers of a followed zaak or dossier: placed on an agenda (a new or
    changed agendapunt, or the zaak newly linked to one in the future), the reminder
    before the debate (dates after ``today`` up to ``remind_until``, Dutch wall-clock
    days), and a debate moved or cancelled (``activiteit_change`` in the window)."""
    base = _AGENDA_FROM.format(zaken=_ZAKEN[kind])
    lo_ap, hi_ap = window.bounds("Agendapunt")
    lo_z, hi_z = window.bounds("Zaak")
    out: list[MatchRow] = []
    placed = conn.execute(
        f"SELECT {_AGENDA_COLS} {base} AND ((ap.skiptoken > ? AND ap.skiptoken <= ?)"
        " OR (z.skiptoken > ? AND z.skiptoken <= ? AND"
        " substr(coalesce(a.aanvangstijd, a.datum, ''), 1, 10) >= ?))"
        " ORDER BY a.nummer, ap.id",
        (*args, lo_ap, hi_ap, lo_z, hi_z, today),
    ).fetchall()
    for ap, aid, nummer, soort, onderwerp, when, locatie, cie, status, punt in placed:
        if str(status).lower() in CANCELLED:
            continue
        out.append(
            MatchRow(
                f"agenda:{ap}:{aid}:{when}",
                "activiteit",
                str(nummer),
                f"Op de agenda: {' '.join(p for p in (soort, onderwerp) if p)} ({_when(when)})",
                _place(locatie, cie),
                f"{label} staat op de agenda" + (f" (agendapunt ‘{punt}’)" if punt else ""),
            )
        )
    soon = conn.execute(
        f"SELECT {_AGENDA_COLS} {base}"
        " AND substr(coalesce(a.aanvangstijd, a.datum, ''), 1, 10) > ?"
        " AND substr(coalesce(a.aanvangstijd, a.datum, ''), 1, 10) <= ?"
        " ORDER BY a.nummer, ap.id",
        (*args, today, remind_until),
    ).fetchall()
    for _ap, aid, nummer, soort, onderwerp, when, locatie, cie, status, _punt in soon:
        if str(status).lower() in CANCELLED:
            continue
        out.append(
            MatchRow(
                f"herinnering:{aid}:{when}",
                "activiteit",
                str(nummer),
                f"Binnenkort: {' '.join(p for p in (soort, onderwerp) if p)} ({_when(when)})",
                _place(locatie, cie),
                f"herinnering: {label} wordt {_when(when)} besproken",
            )
        )
    lo_a, hi_a = window.bounds("Activiteit")
    moved = conn.execute(
        f"SELECT DISTINCT a.id, a.nummer, coalesce(a.soort, ''), coalesce(a.onderwerp, ''),"
        " coalesce(a.locatie, ''), coalesce(a.voortouwnaam, a.voortouwafkorting, ''),"
        " c.skiptoken, c.old_wanneer, c.new_wanneer, c.old_status, c.new_status"
        f" {base.replace('WHERE', 'JOIN activiteit_change c ON c.activiteit_id = a.id WHERE', 1)}"
        " AND c.skiptoken > ? AND c.skiptoken <= ? ORDER BY a.nummer, c.skiptoken",
        (*args, lo_a, hi_a),
    ).fetchall()
    for aid, nummer, soort, onderwerp, locatie, cie, token, old, new, _old_s, new_s in moved:
        title = " ".join(p for p in (soort, onderwerp) if p)
        if str(new_s).lower() in CANCELLED:
            head, why = "Geannuleerd", f"het debat over {label} is geannuleerd ({new_s})"
        elif old != new:
            head = "Verplaatst"
            why = f"het debat over {label} is verplaatst van {_when(old)} naar {_when(new)}"
        else:
            head, why = "Gewijzigd", f"status van het debat over {label}: {new_s or 'onbekend'}"
        out.append(
            MatchRow(
                f"wijziging:{aid}:{token}",
                "activiteit",
                str(nummer),
                f"{head}: {title} ({_when(new)})",
                _place(locatie, cie),
                why,
            )
        )
    return out
