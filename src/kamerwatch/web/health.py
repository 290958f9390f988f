"""``/healthz``: for load balancers and container health checks (JSON only).

200 while the database answers, 503 when it does not. The age of the last update cycle
(the end of the newest successful sync) is reported, not judged: a stale mirror is still
worth serving; ``kamerwatch status`` is the place that says a stage is behind."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from kamerwatch import __version__
from kamerwatch.store import mirror
from kamerwatch.store.db import errors, unreachable_errors

log = logging.getLogger(__name__)

HEADERS = {"Cache-Control": "no-store"}


def healthz(request: Request) -> Response:
    try:
        conn = request.app.state.pool.connection()
        runs = {str(r[0]): r for r in mirror.stage_runs(conn)}
    except (*unreachable_errors(), *errors()) as exc:
        log.warning("healthz: database onbereikbaar: %s", exc)
        return JSONResponse(
            {"ok": False, "database": "onbereikbaar", "versie": __version__},
            status_code=503,
            headers=HEADERS,
        )
    return JSONResponse(health_document(runs, datetime.now(UTC)), headers=HEADERS)


def health_document(runs: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The body for a reachable database; ``runs`` as :func:`mirror.stage_runs` by stage."""
    last = runs.get("sync")
    last_ok = str(last[6]) if last is not None and last[6] else None
    age = None
    if last_ok:
        age = round((now - datetime.fromisoformat(last_ok)).total_seconds())
    return {
        "ok": True,
        "database": "bereikbaar",
        "laatsteCyclus": last_ok,
        "laatsteCyclusLeeftijdSeconden": age,
        "versie": __version__,
    }


def routes(_conn_of: Callable[[Request], Any]) -> list[Route]:
    return [Route("/healthz", healthz, methods=["GET", "HEAD"])]
