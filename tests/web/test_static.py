"""The vendored static files: served from memory with type, ETag/304 and browser cache."""

from __future__ import annotations

from importlib.resources import files

from starlette.testclient import TestClient


def test_static_files_from_memory(client: TestClient) -> None:
    css = client.get("/static/site.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert css.content == (files("kamerwatch.web") / "static" / "site.css").read_bytes()
    assert "max-age=3600" in css.headers["cache-control"]
    assert "frame-ancestors" in css.headers["content-security-policy"]
    again = client.get("/static/site.css", headers={"If-None-Match": css.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert client.head("/static/site.css").status_code == 200
    for missing in ("/static/onbekend.css", "/static/../app.py"):
        assert client.get(missing).status_code == 404, missing
