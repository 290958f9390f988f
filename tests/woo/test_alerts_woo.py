"""Monitors on Woo publications (both engines): an organisation monitor and a search
monitor that matches a Woo text (also inside its file); the digest links to /woo/{id}."""

from __future__ import annotations

from pathlib import Path

from kamerwatch.sample.feedserver import FeedServer
from tests.conftest import kamerwatch

ORG = "ministerie van Financiën"


def test_organisation_and_search_monitors(
    db_url: str, woo_server: FeedServer, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    env = {"KAMERWATCH_WOO_URL": woo_server.woo_url, "KAMERWATCH_WOO_START": "2026-11-21"}

    def cli(*args: str) -> str:
        result = kamerwatch(*args, data_dir=data, env=env, database_url=db_url)
        assert result.returncode == 0, result.stderr
        return result.stdout

    cli("woo")
    cli("monitor", "add", "org@example.org", "organisatie", "Ministerie van  financiën")
    cli("monitor", "add", "zoek@example.org", "zoek", "zeldzaamwoord")
    cli("alerts", "run")  # nothing new yet: the monitors start from now
    assert not list(data.glob("mail/*.eml"))
    world = woo_server.woo
    by_org = world.publish(
        "Besluit op Woo-verzoek over de toeslagen", ORG, "Het besluit.", ["Een gewone tekst."]
    )
    other = world.publish(
        "Rapport over dijken",
        "ministerie van Infrastructuur en Waterstaat",
        "Een rapport.",
        ["In de bijlage staat het zeldzaamwoord diep in de tekst."],
    )
    cli("woo")  # harvest, convert, index
    out = cli("alerts", "run", "--dry-run")
    org_part = out.split("--- aan org@example.org")[1].split("--- aan")[0]
    assert "Besluit op Woo-verzoek over de toeslagen" in org_part
    assert f"/woo/{by_org}" in org_part and "Rapport over dijken" not in org_part
    zoek_part = out.split("--- aan zoek@example.org")[1].split("--- aan")[0]
    assert "Rapport over dijken" in zoek_part and f"/woo/{other}" in zoek_part
    assert "toeslagen" not in zoek_part
