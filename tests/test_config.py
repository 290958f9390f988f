"""Settings precedence: command line > environment > kamerwatch.toml > defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from kamerwatch.config import DEFAULT_FEED_URL, SettingsError, load_settings


def test_defaults_point_at_the_real_source(tmp_path: Path) -> None:
    s = load_settings(environ={}, toml_path=tmp_path / "absent.toml")
    assert s.feed_url == DEFAULT_FEED_URL
    assert s.data_dir == Path("data")
    assert s.resolved_database_url == "sqlite:///data/kamerwatch.sqlite3"
    assert s.politeness_pause == 0.1


def test_precedence(tmp_path: Path) -> None:
    toml = tmp_path / "kamerwatch.toml"
    toml.write_text(
        'data_dir = "/from/toml"\nfeed_url = "http://toml/SyncFeed/2.0"\n'
        'KAMERWATCH_MAIL_FROM = "toml@example.org"\npoliteness_pause = 0.5\n'
    )
    env = {"KAMERWATCH_FEED_URL": "http://env/SyncFeed/2.0", "KAMERWATCH_DATA_DIR": "/from/env"}
    s = load_settings(
        {"data_dir": Path("/from/cli"), "feed_url": None}, environ=env, toml_path=toml
    )
    assert s.data_dir == Path("/from/cli")
    assert s.feed_url == "http://env/SyncFeed/2.0"
    assert s.mail_from == "toml@example.org"
    assert s.politeness_pause == 0.5
    assert s.resolved_database_url == "sqlite:////from/cli/kamerwatch.sqlite3"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"KAMERWATCH_POLITENESS_PAUSE": "snel"}, "politeness_pause"),
        ({"KAMERWATCH_MAX_RETRIES": "-1"}, "max_retries"),
        ({"KAMERWATCH_FEED_URL": "ftp://x"}, "feed_url"),
        ({"KAMERWATCH_TODAY": "28-11-2026"}, "today"),
        ({"KAMERWATCH_TODAY": "2026-02-30"}, "today"),
        ({"KAMERWATCH_TODAY": "20261128"}, "today"),
    ],
)
def test_bad_values_are_clear_errors(tmp_path: Path, env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        load_settings(environ=env, toml_path=tmp_path / "absent.toml")


def test_broken_toml_is_a_clear_error(tmp_path: Path) -> None:
    toml = tmp_path / "kamerwatch.toml"
    toml.write_text("data_dir = [unterminated")
    with pytest.raises(SettingsError, match=r"kamerwatch\.toml"):
        load_settings(environ={}, toml_path=toml)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('smpt_url = "smtp://x"', r"onbekende instelling 'smpt_url'; bedoelt u 'smtp_url'\?"),
        ("KAMERWATCH_MAX_RETRYS = 2", r"'KAMERWATCH_MAX_RETRYS'; bedoelt u 'max_retries'\?"),
        ('thema = "donker"', r"onbekende instelling 'thema'; geldig zijn: data_dir, "),
        ("[smtp]\nurl = 1", r"onbekende instelling 'smtp'"),
    ],
)
def test_unknown_toml_keys_are_refused_with_the_nearest_name(
    tmp_path: Path, line: str, message: str
) -> None:
    """They used to be ignored without a word (a typo silently fell back to the default)."""
    toml = tmp_path / "kamerwatch.toml"
    toml.write_text(f'data_dir = "/srv"\n{line}\n')
    with pytest.raises(SettingsError, match=message):
        load_settings(environ={}, toml_path=toml)


def test_convert_time_limit_is_a_setting(tmp_path: Path) -> None:
    absent = tmp_path / "absent.toml"
    assert load_settings(environ={}, toml_path=absent).convert_time_limit == 120
    env = {"KAMERWATCH_CONVERT_TIME_LIMIT": "7"}
    assert load_settings(environ=env, toml_path=absent).convert_time_limit == 7
    toml = tmp_path / "kamerwatch.toml"
    toml.write_text("convert_time_limit = 9\n")
    assert load_settings(environ={}, toml_path=toml).convert_time_limit == 9
    with pytest.raises(SettingsError, match="convert_time_limit: moet minstens 1"):
        load_settings(environ={"KAMERWATCH_CONVERT_TIME_LIMIT": "0"}, toml_path=absent)


def test_serve_page_threads_is_a_setting_of_at_least_one(tmp_path: Path) -> None:
    absent = tmp_path / "absent.toml"
    assert load_settings(environ={}, toml_path=absent).serve_page_threads == 2
    env = {"KAMERWATCH_SERVE_PAGE_THREADS": "4"}
    assert load_settings(environ=env, toml_path=absent).serve_page_threads == 4
    with pytest.raises(SettingsError, match="serve_page_threads: moet minstens 1"):
        load_settings(environ={"KAMERWATCH_SERVE_PAGE_THREADS": "0"}, toml_path=absent)
