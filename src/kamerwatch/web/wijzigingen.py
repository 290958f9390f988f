"""``/api/wijzigingen?sinds=CURSOR``: the change feed for developers (JSON only).

Every change to a mirrored entity, a document's conversion or a Woo publication, oldest
first, in commit order (see ``store/changes.py``), at most 1,000 per page. The cursor is
the number of the last change a reader saw: ``volgende`` is the address of the next page,
and it stays valid across restarts and on every web server of the same database."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from kamerwatch.store import changes
from kamerwatch.store.db import Connection

log = logging.getLogger(__name__)

PATH = "/api/wijzigingen"
HEADERS = {"Cache-Control": "no-store"}
_MAX_CURSOR = 2**63 - 1


class BadParameter(ValueError):
    """A query parameter that cannot be used; the message is Dutch."""


def parse_cursor(raw: str | None) -> int:
    """``sinds``: empty or absent = from the start; else the number of a change."""
    if raw is None or raw.strip() == "":
        return 0
    text = raw.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 19 or int(text) > _MAX_CURSOR:
        raise BadParameter(
            f"ongeldige cursor {raw[:40]!r}: gebruik het getal uit 'cursor' van de vorige pagina"
            " (of laat 'sinds' weg om bij het begin te beginnen)"
        )
    return int(text)


def parse_limit(raw: str | None) -> int:
    if raw is None or raw.strip() == "":
        return changes.PAGE_MAX
    text = raw.strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 4) or not (
        1 <= int(text) <= changes.PAGE_MAX
    ):
        raise BadParameter(f"ongeldig aantal {raw[:40]!r}: kies 1 tot {changes.PAGE_MAX}")
    return int(text)


def head(page: changes.JsonPage, base_url: str, after: int, limit: int) -> dict[str, Any]:
    """Everything of a page but its changes (``wijzigingen``, JSON made by the store)."""
    query = {"sinds": str(page.last)}
    if limit != changes.PAGE_MAX:
        query["aantal"] = str(limit)
    return {
        "ok": True,
        "sinds": str(after),
        "cursor": str(page.last),
        "volgende": f"{base_url}{PATH}?{urlencode(query)}",
        "meer": page.last < page.newest,
        "aantal": page.count,
    }


def body(page: changes.JsonPage, base_url: str, after: int, limit: int) -> bytes:
    """The response: the head's JSON with the changes' array spliced in as the last field."""
    text = json.dumps(head(page, base_url, after, limit), ensure_ascii=False, separators=(",", ":"))
    return (text[:-1] + ',"wijzigingen":' + page.items + "}").encode()


def routes(conn_of: Callable[[Request], Connection]) -> list[Route]:
    def endpoint(request: Request) -> Response:
        try:
            after = parse_cursor(request.query_params.get("sinds"))
            limit = parse_limit(request.query_params.get("aantal"))
        except BadParameter as exc:
            return JSONResponse(
                {"ok": False, "status": 400, "error": str(exc)}, status_code=400, headers=HEADERS
            )
        base = request.app.state.base_url.rstrip("/")
        found = changes.page_json(conn_of(request), after, base, limit)
        return Response(
            body(found, base, after, limit), media_type="application/json", headers=HEADERS
        )

    return [Route(PATH, endpoint, methods=["GET", "HEAD"], name="wijzigingen")]
