"""``/static/<name>``: the few vendored files (CSS, licence), read once into memory and
served with a strong ETag (304 on If-None-Match) and a one-hour browser cache."""

from __future__ import annotations

import mimetypes
from functools import lru_cache
from importlib.resources import files

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .loaders import NotFound
from .respond import etag_of

CACHE_CONTROL = "public, max-age=3600"


@lru_cache(maxsize=1)
def contents() -> dict[str, tuple[bytes, str, str]]:
    """name → (body, media type, ETag) of every file in the package's static folder."""
    out: dict[str, tuple[bytes, str, str]] = {}
    for entry in (files("kamerwatch.web") / "static").iterdir():
        if entry.is_file():
            body = entry.read_bytes()
            kind = mimetypes.guess_type(entry.name)[0] or "application/octet-stream"
            if kind.startswith("text/"):
                kind += "; charset=utf-8"
            out[entry.name] = (body, kind, etag_of(body))
    return out


async def static(request: Request) -> Response:  # memory only: no worker thread needed
    found = contents().get(request.path_params["name"])
    if found is None:
        raise NotFound(request.path_params["name"])
    body, media_type, tag = found
    headers = {"ETag": tag, "Cache-Control": CACHE_CONTROL}
    if request.headers.get("if-none-match") == tag:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)


def routes() -> list[Route]:
    return [Route("/static/{name}", static, name="static")]
