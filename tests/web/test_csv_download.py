"""The CSV downloads made fast (issue #28) say exactly what they said before, byte for byte:
``csv_body`` against the csv module's writer with the row-by-row formula defusing it replaced
(any texts, numbers and formula starts), and /open-vragen.csv built from the overview's
narrow rows against the rows of the page objects it was built from before, on both engines,
from the overview and live from the mirror, with and without filters."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import Markup
from starlette.datastructures import QueryParams
from starlette.testclient import TestClient

from kamerwatch.store import dashboards as q
from kamerwatch.store.db import Database
from kamerwatch.web import dashboards
from kamerwatch.web.app import create_app

TODAY = date(2026, 11, 28)


def previous_csv_body(header: list[str], rows: list[list[Any]]) -> bytes:
    """The download as it was written before: the csv module's writer, a row defused with
    ``csv_safe`` when the search over its texts finds a formula start."""
    buf = io.StringIO()
    writer = csv.writer(buf, quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow(header)
    for row in rows:
        texts = "\0".join([v for v in row if isinstance(v, str)])
        if texts.startswith(tuple("=+-@\t\r")) or any(
            a + b in texts for a in ",;\t|\r\n\0" for b in "=+-@\t\r"
        ):
            row = [dashboards.csv_safe(v) for v in row]
        writer.writerow(["" if v is None else v for v in row])
    return ("\ufeff" + buf.getvalue()).encode()


# texts rich in what matters: quotes, separators, line breaks, formula characters, NUL
_tricky = st.text(alphabet=st.sampled_from(list("ab é\"',;\t|\r\n\0=+-@1")), max_size=12)
_value = st.one_of(
    _tricky,
    st.text(max_size=8),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.none(),
    st.floats(allow_nan=False),
    st.booleans(),
    _tricky.map(Markup),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_value, max_size=6), max_size=6))
def test_csv_body_is_what_the_csv_module_wrote(rows: list[list[Any]]) -> None:
    header = ["a", "b;c", 'd"e']
    assert dashboards.csv_body((header, rows), None) == previous_csv_body(header, rows)  # type: ignore[arg-type]


def test_csv_body_defuses_as_before() -> None:
    rows: list[list[Any]] = [
        ["=1+1", "ok", 3],
        ["Wijn;=2+5;@SUM(1)\n-3+3", None, -4],
        ["a", "\t=x", "b"],
        ['"=quoted"', "x\r\n+y", 0],
        ["nothing here", "1998-12-28", 7],
    ]
    body = dashboards.csv_body((["x", "y", "z"], rows), None)  # type: ignore[arg-type]
    assert body == previous_csv_body(["x", "y", "z"], rows)
    text = body.decode()
    assert '"\'=1+1"' in text and "Wijn;'=2+5;'@SUM(1)\n'-3+3" in text
    assert '"nothing here","1998-12-28",7\r\n' in text


def _previous_rows(index: q.OpenVragenIndex, conn: Any) -> list[list[Any]]:
    """The rows of /open-vragen.csv as they were made before: from the page objects."""
    return [
        [
            (v.gestart_op or "")[:10],
            v.dagen_open,
            "ja" if v.te_laat else "nee",
            "ja" if v.uitstel else "nee",
            v.zaak_nummer,
            v.document_nummer,
            v.onderwerp,
            "; ".join(v.indieners),
            " ".join(v.fracties),
            "; ".join(v.gericht_aan),
            "; ".join(v.ministeries),
        ]
        for v in index.vragen_of(conn, 0, None)
    ]


@pytest.fixture(scope="module")
def client(sample_url: str) -> Iterator[TestClient]:
    app = create_app(sample_url, "https://kamerwatch.example")
    app.state.today = TODAY
    with TestClient(app) as c:
        yield c


def test_open_vragen_csv_is_what_the_page_objects_made(sample_url: str, client: TestClient) -> None:
    with Database(sample_url) as db:
        conn = db.conn
        assert q.overzicht_current(conn)
        vraag = next(
            v
            for v in q.open_vragen_index(conn, today=TODAY).vragen_of(conn, 0, None)
            if v.fracties and v.ministeries
        )
        fractie, ministerie = vraag.fracties[-1], vraag.ministeries[-1]
        filters = [{}, {"fractie": fractie}, {"ministerie": ministerie}]
        filters.append({"fractie": fractie, "ministerie": ministerie})
        # also the day this question turns late, and the day before
        late = date.fromisoformat(vraag.gestart_op[:10]) + timedelta(days=q.TE_LAAT_DAGEN + 1)
        for source in ("overzicht", "live"):
            if source == "live":
                with db.transaction() as c:
                    q.forget_overzicht(c)
                assert not q.overzicht_current(conn)
            for params, today in [
                *((p, TODAY) for p in filters),
                ({}, late),
                ({}, late - timedelta(days=1)),
            ]:
                _page, (header, rows) = dashboards.open_vragen(
                    conn, dashboards.Filters(QueryParams(params)), today
                )
                index = q.open_vragen_index(conn, today=today, **params)
                assert callable(rows)
                made = rows(conn)
                assert len(made) == index.totaal > 0, (source, params)
                assert made == _previous_rows(index, conn), (source, params, today)
                body = dashboards.csv_body((header, made), conn)
                assert body == previous_csv_body(header, _previous_rows(index, conn))
                if today == TODAY:
                    served = client.get("/open-vragen.csv", params=params)
                    assert served.status_code == 200 and served.content == body, (source, params)
        with db.transaction() as c:
            q.refresh_overzicht(c)
        assert q.overzicht_current(conn)
