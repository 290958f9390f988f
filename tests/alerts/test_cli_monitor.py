"""``kamerwatch monitor add/list/remove``: accounts made on demand, Dutch errors."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import kamerwatch as run_cli


def test_add_list_remove(tmp_path: Path) -> None:
    data = tmp_path / "data"
    add = run_cli(
        "monitor",
        "add",
        "Journalist@Example.org",
        "zoek",
        "stikstof",
        "--interval",
        "1d",
        data_dir=data,
    )
    assert add.returncode == 0, add.stderr
    assert "monitor 1: journalist@example.org volgt zoekopdracht" in add.stdout
    run_cli("monitor", "add", "ander@example.org", "kamerstukdossier", "36600-vii", data_dir=data)
    listed = run_cli("monitor", "list", data_dir=data)
    assert "stikstof\t1d" in listed.stdout and "36600-VII\tdirect" in listed.stdout
    mine = run_cli("monitor", "list", "journalist@example.org", data_dir=data)
    assert "36600" not in mine.stdout
    assert run_cli("monitor", "remove", "1", data_dir=data).returncode == 0
    gone = run_cli("monitor", "remove", "1", data_dir=data)
    assert gone.returncode != 0 and "bestaat niet" in gone.stderr
    assert (
        "geen monitors"
        in run_cli("monitor", "list", "journalist@example.org", data_dir=data).stdout
    )


def test_clear_dutch_errors(tmp_path: Path) -> None:
    data = tmp_path / "data"
    cases = [
        (("a@example.org", "geschenk", "x"), "onbekende soort monitor"),
        (("a@example.org", "zaak", "12"), "ongeldige waarde"),
        (("a@example.org", "toezeggingen", "partij:X"), "ongeldige waarde"),
        (("geen-adres", "zoek", "x"), "ongeldig e-mailadres"),
    ]
    for args, message in cases:
        r = run_cli("monitor", "add", *args, data_dir=data)
        assert r.returncode != 0 and message in r.stderr and "Traceback" not in r.stderr
    r = run_cli("monitor", "add", "a@example.org", "zoek", "x", "--interval", "2d", data_dir=data)
    assert r.returncode != 0 and "onbekend interval" in r.stderr
