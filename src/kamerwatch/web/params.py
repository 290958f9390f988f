"""The query parameters of the site's pages, in one place: the page cache keys on these
alone (``respond.cache_key``), so junk parameters cannot fill it with copies of a page.

A page that reads a parameter must list it here: :class:`web.dashboards.Filters` refuses
to read one that is missing (a test fails instead of two different pages sharing one
cache entry).
"""

from __future__ import annotations

SITE_PARAMS = frozenset(
    {
        "categorie",
        "commissie",
        "dag",
        "dossier",
        "eerste_kamer",
        "format",
        "fractie",
        "groep",
        "lijst",
        "maat",
        "bewindspersoon",
        "tabel",
        "letter",
        "ministerie",
        "organisatie",
        "pagina",
        "q",
        "regering",
        "resultaat",
        "soort",
        "sort",
        "status",
        "stem",
        "toevoeging",
        "toezegger",
        "tot",
        "van",
        "woo_besluiten",
    }
)
