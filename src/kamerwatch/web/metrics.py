"""``/metrics`` (Prometheus text format, via prometheus_client) and ``/api/openapi.json``."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from kamerwatch import __version__
from kamerwatch.kinds import KINDS
from kamerwatch.store import documents as store

from . import urls
from .dashboards import DASHBOARDS


class MirrorCollector(Collector):
    """Reads the figures from the database at every scrape (no state in the process, so
    several web servers report the same)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def collect(self) -> Iterator[GaugeMetricFamily]:
        m = store.metrics(self.conn)
        rows = GaugeMetricFamily(
            "kamerwatch_rows", "Rows in the mirror per category", labels=["category"]
        )
        for category, n in m["rows"].items():
            rows.add_metric([category], n)
        yield rows
        last = GaugeMetricFamily(
            "kamerwatch_stage_last_finished_timestamp_seconds",
            "End of the last run per stage",
            labels=["stage", "status"],
        )
        for stage, (finished, status) in m["runs"].items():
            last.add_metric([stage, status or ""], datetime.fromisoformat(finished).timestamp())
        yield last
        d = m["documents"]
        for name, value, help_text in (
            ("kamerwatch_files_wanted", d.wanted, "Files the mirror refers to"),
            ("kamerwatch_files_stored", d.stored, "Files on disk (current versions)"),
            ("kamerwatch_file_bytes", d.bytes, "Bytes of all stored versions"),
            ("kamerwatch_conversions", d.converted, "Files converted (incl. failures)"),
            ("kamerwatch_conversion_failures", d.conversion_failures, "Conversions that failed"),
            (
                "kamerwatch_download_failures",
                d.download_failures,
                "Entities whose last download failed",
            ),
            ("kamerwatch_monitors", m["monitors"], "Monitors of all accounts"),
        ):
            yield GaugeMetricFamily(name, help_text, value=value)


def metrics(conn_of: Callable[[Request], sqlite3.Connection]) -> Callable[[Request], Response]:
    def endpoint(request: Request) -> Response:
        registry = CollectorRegistry()
        registry.register(MirrorCollector(conn_of(request)))
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return endpoint


ERROR = {
    "type": "object",
    "properties": {
        "ok": {"type": "boolean"},
        "status": {"type": "integer"},
        "error": {"type": "string"},
    },
}


def openapi() -> dict[str, Any]:
    """The JSON API: every page's ``.json`` twin (fields in lowerCamelCase as the feed)."""
    ok = {
        "200": {
            "description": "De gegevens van de pagina",
            "content": {"application/json": {"schema": {"type": "object"}}},
        }
    }
    missing = {
        "404": {"description": "Onbekend", "content": {"application/json": {"schema": ERROR}}}
    }
    paths: dict[str, Any] = {
        "/index.json": {"get": {"summary": "Overzicht: nieuwste documenten", "responses": ok}},
        "/zoeken.json": {
            "get": {
                "summary": "Zoeken (zoektaal: zie /uitleg)",
                "parameters": [
                    {"name": n, "in": "query", "schema": {"type": "string"}}
                    for n in (
                        "q",
                        "categorie",
                        "soort",
                        "van",
                        "tot",
                        "dossier",
                        "fractie",
                        "sort",
                        "pagina",
                    )
                ],
                "responses": ok,
            }
        },
        "/status.json": {"get": {"summary": "Versheid per stap en categorie", "responses": ok}},
    }
    for kind in KINDS:
        paths[kind.openapi_path] = {
            "get": {
                "summary": kind.summary,
                "parameters": [
                    {
                        "name": kind.param,
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                        "example": kind.example,
                    }
                ],
                "responses": {**ok, **missing},
            }
        }
    for name in DASHBOARDS:
        paths[urls.dashboard(name, "json")] = {
            "get": {"summary": f"Dashboard {name}", "responses": ok}
        }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "kamerwatch",
            "version": __version__,
            "description": "De JSON-tweeling van elke pagina van kamerwatch.",
        },
        "paths": paths,
    }


def routes(conn_of: Callable[[Request], sqlite3.Connection]) -> list[Route]:
    return [
        Route("/metrics", metrics(conn_of)),
        Route("/api/openapi.json", lambda request: JSONResponse(openapi())),
    ]
