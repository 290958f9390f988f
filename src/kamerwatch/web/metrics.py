"""``/metrics`` (Prometheus text format, via prometheus_client) and ``/api/openapi.json``."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from kamerwatch import __version__
from kamerwatch.kinds import KINDS
from kamerwatch.store import alerts as alert_store
from kamerwatch.store import documents as store
from kamerwatch.store import mirror
from kamerwatch.store.db import Connection

from . import urls
from .dashboards import DASHBOARDS


class MirrorCollector(Collector):
    """Reads the figures from the database at every scrape (no state in the process, so
    several web servers report the same)."""

    def __init__(self, conn: Connection) -> None:
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


class StageCollector(Collector):
    """Stage outcomes and durations from ``sync_run`` (every host's runs, alerts included)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def collect(self) -> Iterator[GaugeMetricFamily]:
        runs = GaugeMetricFamily(
            "kamerwatch_stage_runs", "Runs per stage and outcome", labels=["stage", "status"]
        )
        for stage, status, n in mirror.run_counts(self.conn):
            runs.add_metric([stage, status], n)
        yield runs
        duration = GaugeMetricFamily(
            "kamerwatch_stage_last_duration_seconds",
            "Duration of the newest finished run per stage",
            labels=["stage", "status"],
        )
        for stage, started, finished, status in mirror.last_finished_runs(self.conn):
            try:
                seconds = (
                    datetime.fromisoformat(finished) - datetime.fromisoformat(started)
                ).total_seconds()
            except ValueError:
                continue
            duration.add_metric([stage, status], seconds)
        yield duration
        sent, pending = alert_store.outbox_counts(self.conn)
        digests = GaugeMetricFamily(
            "kamerwatch_digests", "Alert digests in the outbox", labels=["state"]
        )
        digests.add_metric(["sent"], sent)
        digests.add_metric(["pending"], pending)
        yield digests


class ServerCollector(Collector):
    """This server process: its login-mail worker and its database connections."""

    def __init__(self, state: Any) -> None:
        self.state = state

    def collect(self) -> Iterator[GaugeMetricFamily | CounterMetricFamily]:
        queue = getattr(self.state, "mail_queue", None)
        if queue is not None:
            mails = CounterMetricFamily(
                "kamerwatch_login_mails",
                "Login mails of this server process by outcome",
                labels=["outcome"],
            )
            for outcome in ("sent", "failed", "expired"):
                mails.add_metric([outcome], getattr(queue.counts, outcome))
            yield mails
            yield GaugeMetricFamily(
                "kamerwatch_login_mails_waiting", "Login mails queued", value=queue.waiting()
            )
        stats = getattr(self.state.pool, "stats", None)
        if stats is not None:
            pool = GaugeMetricFamily(
                "kamerwatch_db_pool_connections",
                "Database connections of this server process (open, idle, in_use, max, waiting)",
                labels=["state"],
            )
            for name, value in stats().items():
                pool.add_metric([name], value)
            yield pool


class RequestMetrics:
    """Per server process: requests, latency and errors per kind of route, and what the
    response cache answered. Fed by the access log middleware."""

    BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

    def __init__(self, kinds: set[str]) -> None:
        self.kinds = kinds
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "kamerwatch_http_requests",
            "Requests per kind of route and status class",
            ["kind", "status"],
            registry=self.registry,
        )
        self.errors = Counter(
            "kamerwatch_http_errors",
            "Responses with a 5xx status per kind of route",
            ["kind"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "kamerwatch_http_request_duration_seconds",
            "Time to answer per kind of route",
            ["kind"],
            buckets=self.BUCKETS,
            registry=self.registry,
        )
        self.cache = Counter(
            "kamerwatch_response_cache",
            "Cacheable pages by result (hit, miss, bypass: a visitor with cookies)",
            ["result"],
            registry=self.registry,
        )
        self._series: dict[tuple[str, int], tuple[Any, Any, Any]] = {}
        self._cache_series: dict[str, Any] = {}

    def kind_of(self, path: str) -> str:
        """``/zaak/2023Z00142.json`` → ``zaak``; ``/`` → ``overzicht``; unknown → ``overig``."""
        first = path.strip("/").split("/", 1)[0]
        if not first:
            return "overzicht"
        first = first.rsplit(".", 1)[0] if "." in first else first
        return first if first in self.kinds else "overig"

    def observe(self, scope: Any, status: int, seconds: float) -> None:
        kind = self.kind_of(scope["path"])
        series = self._series.get((kind, status))
        if series is None:  # the series of a kind and status, looked up once
            series = self._series[kind, status] = (
                self.requests.labels(kind, f"{status // 100}xx"),
                self.latency.labels(kind),
                self.errors.labels(kind) if status >= 500 else None,
            )
        requests, latency, errors = series
        requests.inc()
        latency.observe(seconds)
        if errors is not None:
            errors.inc()
        cache = scope.get("state", {}).get("cache")
        if cache in ("hit", "miss", "bypass"):
            child = self._cache_series.get(cache)
            if child is None:
                child = self._cache_series[cache] = self.cache.labels(cache)
            child.inc()


def route_kinds(paths: list[str]) -> set[str]:
    """The first path segments of the app's routes (without format suffixes)."""
    out = set()
    for path in paths:
        first = path.strip("/").split("/", 1)[0]
        if first and "{" not in first:
            out.add(first.rsplit(".", 1)[0] if "." in first else first)
    return out


def allowed_networks(setting: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """``KAMERWATCH_METRICS_ALLOW`` (addresses or networks, comma-separated; empty: everyone)
    → networks; a value that is no address is an error at start-up."""
    nets = []
    for part in setting.split(","):
        if part.strip():
            try:
                nets.append(ipaddress.ip_network(part.strip(), strict=False))
            except ValueError as exc:
                raise ValueError(f"metrics_allow: geen adres of netwerk: {part.strip()!r}") from exc
    return tuple(nets)


def may_read(request: Request) -> bool:
    """Whether the client may read ``/metrics`` (its address, or a trusted proxy's client)."""
    nets = request.app.state.metrics_allow
    if not nets:
        return True
    try:
        address = ipaddress.ip_address(request.client.host if request.client else "")
    except ValueError:
        return False
    return any(address in net for net in nets)


def metrics(conn_of: Callable[[Request], Connection]) -> Callable[[Request], Response]:
    def endpoint(request: Request) -> Response:
        if not may_read(request):
            return Response(
                "Geen toegang tot /metrics vanaf dit adres.\n",
                status_code=403,
                media_type="text/plain; charset=utf-8",
            )
        conn = conn_of(request)
        registry = CollectorRegistry()
        registry.register(MirrorCollector(conn))
        registry.register(StageCollector(conn))
        registry.register(ServerCollector(request.app.state))
        body = generate_latest(registry)
        per_process: RequestMetrics | None = getattr(request.app.state, "request_metrics", None)
        if per_process is not None:
            body += generate_latest(per_process.registry)
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    return endpoint


ERROR = {
    "type": "object",
    "properties": {
        "ok": {"type": "boolean"},
        "status": {"type": "integer"},
        "error": {"type": "string"},
    },
}


CHANGE_FEED: dict[str, Any] = {
    "get": {
        "summary": "Wijzigingenfeed: elke wijziging in volgorde van vastleggen",
        "description": (
            "Elke wijziging van een gespiegelde entiteit (soort = feedcategorie, bv. Document,"
            " Zaak), van de omzetting van een document (Conversie) en van een Woo-publicatie"
            " (WooPublicatie), oudste eerst, in de volgorde waarin ze zijn vastgelegd; hoogstens"
            " 1000 per pagina. Bewaar 'cursor' en vraag daarna '?sinds=<cursor>' (of volg"
            " 'volgende'): elke wijziging komt precies één keer, ook na een herstart en op elke"
            " webserver van dezelfde database. 'url' is de JSON van de pagina (null als er geen"
            " pagina is of de entiteit verwijderd is). Een herinlezing van een categorie"
            " ('sync --reparse') is één wijziging met soort 'Herinlezing' en als id de categorie:"
            " haal dan opnieuw op wat u van die categorie bewaart. Voorbeeldclient:"
            " docs/wijzigingen.md."
        ),
        "parameters": [
            {
                "name": "sinds",
                "in": "query",
                "description": "cursor van de vorige pagina (leeg: vanaf het begin)",
                "schema": {"type": "string", "pattern": "^[0-9]{0,19}$"},
                "example": "0",
            },
            {
                "name": "aantal",
                "in": "query",
                "description": "hoogstens zoveel wijzigingen (1-1000, standaard 1000)",
                "schema": {"type": "integer", "minimum": 1, "maximum": 1000},
            },
        ],
        "responses": {
            "200": {
                "description": "Een pagina wijzigingen",
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["cursor", "volgende", "meer", "wijzigingen"],
                            "properties": {
                                "ok": {"type": "boolean"},
                                "sinds": {"type": "string"},
                                "cursor": {"type": "string"},
                                "volgende": {"type": "string", "format": "uri"},
                                "meer": {"type": "boolean"},
                                "aantal": {"type": "integer"},
                                "wijzigingen": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "properties": {
                                            "volgnummer": {"type": "integer"},
                                            "soort": {"type": "string"},
                                            "id": {"type": "string"},
                                            "wat": {
                                                "type": "string",
                                                "enum": ["nieuw", "gewijzigd", "verwijderd"],
                                            },
                                            "tijd": {"type": "string", "format": "date-time"},
                                            "url": {"type": ["string", "null"]},
                                        },
                                    },
                                },
                            },
                        }
                    }
                },
            },
            "400": {
                "description": "Ongeldige cursor of aantal",
                "content": {"application/json": {"schema": ERROR}},
            },
        },
    }
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
        "/woo.json": {
            "get": {
                "summary": "Woo-publicaties van open.overheid.nl (nieuwste 300 hoofddocumenten)",
                "parameters": [
                    {"name": n, "in": "query", "schema": {"type": "string"}}
                    for n in (
                        "organisatie",
                        "eerste_kamer",
                        "woo_besluiten",
                        "categorie",
                        "van",
                        "tot",
                    )
                ],
                "responses": ok,
            }
        },
        "/woo/organisaties.json": {
            "get": {
                "summary": "Organisaties met Woo-publicaties (autocomplete, ?q=)",
                "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}],
                "responses": ok,
            }
        },
    }
    paths["/api/wijzigingen"] = CHANGE_FEED
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


def routes(conn_of: Callable[[Request], Connection]) -> list[Route]:
    return [
        Route("/metrics", metrics(conn_of)),
        Route("/api/openapi.json", lambda request: JSONResponse(openapi())),
    ]
