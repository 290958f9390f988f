"""Woo publications from open.overheid.nl: parsing (``parse``), the harvest client and
stage (``harvest``). SQL lives in :mod:`kamerwatch.store.woo`."""
