"""One parser module per SyncFeed category (spec §2.9); this module is their registry."""

from __future__ import annotations

import importlib
from functools import cache

from .base import CategorySpec

# Sync order: actors and containers first, so that most references resolve on arrival.
# Dangling references are normal in this data and are tolerated anyway.
CATEGORIES: tuple[str, ...] = (
    "Persoon",
    "PersoonContactinformatie",
    "PersoonGeschenk",
    "PersoonLoopbaan",
    "PersoonNevenfunctie",
    "PersoonNevenfunctieInkomsten",
    "PersoonOnderwijs",
    "PersoonReis",
    "Fractie",
    "FractieZetel",
    "FractieZetelPersoon",
    "FractieZetelVacature",
    "Commissie",
    "CommissieContactinformatie",
    "CommissieZetel",
    "CommissieZetelVastPersoon",
    "CommissieZetelVastVacature",
    "CommissieZetelVervangerPersoon",
    "CommissieZetelVervangerVacature",
    "Zaal",
    "Kamerstukdossier",
    "Activiteit",
    "ActiviteitActor",
    "Reservering",
    "Agendapunt",
    "Zaak",
    "ZaakActor",
    "Besluit",
    "Stemming",
    "Document",
    "DocumentVersie",
    "DocumentActor",
    "Vergadering",
    "Verslag",
    "Toezegging",
)


@cache
def spec_for(category: str) -> CategorySpec:
    """The parser spec of a feed category (PascalCase, as in ``?category=``)."""
    if category not in CATEGORIES:
        raise KeyError(f"onbekende categorie: {category}")
    module = importlib.import_module(f"{__name__}.{category.lower()}")
    spec: CategorySpec = module.SPEC
    return spec


def all_specs() -> tuple[CategorySpec, ...]:
    return tuple(spec_for(name) for name in CATEGORIES)


def by_name_casefold(name: str) -> str | None:
    """Accept ``zaak``, ``ZAAK`` and ``Zaak`` on the command line."""
    for category in CATEGORIES:
        if category.lower() == name.lower():
            return category
    return None
