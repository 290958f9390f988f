"""The links of a search page (facets, pages, sort) are the query string of the search with
one change, exactly as ``urlencode`` writes it, and they round-trip to the same search."""

from __future__ import annotations

from urllib.parse import urlencode

from hypothesis import given
from hypothesis import strategies as st
from starlette.datastructures import QueryParams

from kamerwatch.search.engine import SearchQuery
from kamerwatch.web.search import Links, _values, parse_params, to_params

text = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=12)
queries = st.builds(
    SearchQuery,
    q=text.map(str.strip),
    kinds=st.lists(st.sampled_from(["document", "verslag", "geschenk"]), max_size=2).map(tuple),
    soorten=st.lists(text.filter(bool), max_size=3).map(tuple),
    van=st.one_of(st.none(), st.dates()),
    tot=st.one_of(st.none(), st.dates()),
    dossier=st.one_of(st.none(), text.map(str.strip).filter(bool)),
    fractie=st.one_of(st.none(), text.map(str.strip).filter(bool)),
    sort=st.sampled_from(["datum", "relevantie"]),
    page=st.integers(1, 99_999),
)
changes = st.fixed_dictionaries(
    {},
    optional={
        "pagina": st.one_of(st.none(), st.integers(1, 500)),
        "soort": st.lists(text, max_size=2),
        "categorie": st.lists(st.sampled_from(["document", "toezegging"]), max_size=1),
        "van": st.one_of(st.none(), st.just("2024-01-01")),
        "sort": st.one_of(st.none(), st.just("relevantie")),
    },
)


def plain(q: SearchQuery, **change: object) -> str:
    """What the links were before: ``urlencode`` of every parameter that is set."""
    pairs: list[tuple[str, object]] = []
    for key, value in {**_values(q), **change}.items():
        if isinstance(value, list):
            pairs += [(key, v) for v in value]
        elif value not in (None, ""):
            pairs.append((key, value))
    return urlencode(pairs)


@given(queries, changes)
def test_links_are_the_query_string_with_one_change(q: SearchQuery, change: dict) -> None:
    assert to_params(q, **change) == plain(q, **change)
    assert Links(q)(**change) == "/zoeken?" + plain(q, **change)


@given(queries)
def test_a_link_without_changes_gives_the_same_search_back(q: SearchQuery) -> None:
    back, notices = parse_params(QueryParams(Links(q)()[len("/zoeken?") :]))
    assert not notices
    assert back == SearchQuery(
        q=q.q[:1000],
        kinds=q.kinds,
        soorten=tuple(s[:120] for s in q.soorten if s),
        van=q.van,
        tot=q.tot,
        dossier=q.dossier[:30].strip() or None if q.dossier else None,
        fractie=q.fractie[:30].strip() or None if q.fractie else None,
        sort=q.sort,
        page=q.page,
    )
