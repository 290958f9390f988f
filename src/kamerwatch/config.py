"""One typed Settings object, from command line > environment > kamerwatch.toml > defaults."""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

DEFAULT_FEED_URL = "https://gegevensmagazijn.tweedekamer.nl/SyncFeed/2.0"
DEFAULT_WOO_URL = "https://open.overheid.nl"
DEFAULT_DEBATDIRECT_URL = "https://cdn.debatdirect.tweedekamer.nl"
DEFAULT_OFFICIELE_PUBLICATIES_URL = "https://repository.officiele-overheidspublicaties.nl"
DEFAULT_SRU_URL = "https://repository.overheid.nl/sru"
ENV_PREFIX = "KAMERWATCH_"
TOML_NAME = "kamerwatch.toml"


class SettingsError(ValueError):
    """A setting has a value that cannot be used."""


DEFAULT_BASE_URL = "http://127.0.0.1:8000"


@dataclass(frozen=True, slots=True)
class Settings:
    data_dir: Path = Path("data")
    database_url: str = ""  # empty: sqlite:///<data_dir>/kamerwatch.sqlite3
    feed_url: str = DEFAULT_FEED_URL
    base_url: str = ""  # empty: http://<host>:<port> of `serve`/`demo` (links in mails)
    smtp_url: str = ""
    mail_from: str = "kamerwatch <noreply@localhost>"
    # Sync behaviour
    politeness_pause: float = 0.1  # seconds between feed pages
    request_timeout: float = 30.0  # seconds, per network operation (connect/read/write)
    request_deadline: float = 120.0  # seconds for one whole feed request (headers + body)
    feed_page_max_mb: int = 64  # a feed page larger than this is refused (real: ~1 MB)
    max_retries: int = 5  # per request, on 5xx, timeouts and connection errors
    retry_backoff: float = 1.0  # seconds; doubles per attempt
    sync_workers: int = 0  # fetch/parse processes; 0 = one per CPU core (max 2)
    # Documents
    files_dir: str = ""  # empty: <data_dir>/files
    download_workers: int = 4  # parallel downloads
    max_file_mb: int = 250  # larger files are skipped with a reason
    download_deadline: float = 900.0  # seconds for one whole file download
    ocr_max_pages: int = 50  # pages OCR'd per scanned PDF (tesseract); 0 = no OCR
    convert_time_limit: int = 120  # seconds per file; a converter busy longer is ended
    convert_memory_mb: int = 2048  # address space of a converter process; 0 = no limit
    # Woo publications (open.overheid.nl)
    woo_url: str = DEFAULT_WOO_URL  # site root, no trailing slash
    woo_start: str = "2025-01-01"  # first day harvested on a fresh database
    woo_pause: float = 0.25  # seconds between listing calls (details and files: 4x)
    update_woo: int = 1  # 0: `kamerwatch update` leaves the woo stage out
    # Debat Direct video and official publications (docs/media.md)
    debatdirect_url: str = DEFAULT_DEBATDIRECT_URL  # search API root, no trailing slash
    officiele_publicaties_url: str = DEFAULT_OFFICIELE_PUBLICATIES_URL  # repository root
    sru_url: str = DEFAULT_SRU_URL  # SRU search: what was published on day D
    officiele_sru: int = 1  # 0: ask every identifier directly (no SRU day listings)
    officiele_sru_days: int = 14  # days before today listed on the first run
    officiele_sru_grace_days: float = 7.0  # not in a listing after this long: asked directly
    media_pause: float = 0.25  # seconds between requests to either
    debatdirect_days: int = 7  # days before today asked every run (listings still change)
    officiele_batch: int = 500  # identifiers asked per run (new first, then retries)
    officiele_retry_hours: float = 1.0  # first retry of "not published (yet)"; doubles, max 7 days
    update_media: int = 1  # 0: `kamerwatch update` leaves both stages out
    # Agenda alerts (docs/wijzigingen.md)
    alerts_reminder_days: int = 1  # reminder this many days before a followed item is debated
    # Webhooks (docs/wijzigingen.md)
    webhook_allow_private: int = 0  # 1: webhooks may reach loopback/private addresses
    webhook_timeout: float = 10.0  # seconds per connect/read/write of one delivery
    webhook_retry_base: float = 60.0  # seconds before the first retry; doubles, for a day
    webhook_workers: int = 8  # deliveries in parallel
    # Website
    serve_max_header_kb: int = 64  # request line + headers larger than this: 431
    serve_header_timeout: float = 10.0  # seconds to receive a request head, else 408
    trusted_proxies: str = ""  # addresses/networks whose X-Forwarded-For counts; "" = none
    metrics_allow: str = ""  # who may read /metrics (addresses/networks); "" = everyone
    page_cache_mb: int = 32  # kept page responses per server process, at most this many MB
    today: str = ""  # YYYY-MM-DD: the day the website takes as today (a fixed sample); "" = real
    serve_page_threads: int = 2  # pages built at the same time per server process
    # Search
    index_batch: int = 500  # sources per index transaction (readers never wait longer)

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'kamerwatch.sqlite3'}"

    @property
    def resolved_base_url(self) -> str:
        """The site's address for links in mails sent outside a server (`alerts run`)."""
        return self.base_url.rstrip("/") or DEFAULT_BASE_URL

    def base_url_for(self, host: str, port: int) -> str:
        """The site's address when it serves on ``host``:``port``: the setting, else
        derived from them (an any-address host is reached on loopback)."""
        if self.base_url:
            return self.base_url.rstrip("/")
        if host in ("", "0.0.0.0", "::"):
            host = "127.0.0.1"
        return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"

    @property
    def pinned_today(self) -> date | None:
        """The day the website takes as today, when the setting fixes one."""
        return date.fromisoformat(self.today) if self.today else None

    @property
    def resolved_files_dir(self) -> Path:
        return Path(self.files_dir).expanduser() if self.files_dir else self.data_dir / "files"

    @property
    def feed_base(self) -> str:
        return self.feed_url.rstrip("/")


_FIELDS = {f.name: f for f in dataclasses.fields(Settings)}
_AT_LEAST_ONE = ("convert_time_limit", "serve_page_threads")  # 0 would stop (or lift) it


def _coerce(name: str, raw: Any) -> Any:
    kind = _FIELDS[name].type
    try:
        if kind == "Path":
            return Path(str(raw)).expanduser()
        if kind == "float":
            value: Any = float(raw)
            if value < 0:
                raise ValueError("negatief")
            return value
        if kind == "int":
            value = int(raw)
            if value < 0:
                raise ValueError("negatief")
            return value
        if name == "today" and str(raw):
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(raw)):
                raise ValueError("verwacht JJJJ-MM-DD")
            date.fromisoformat(str(raw))
    except (TypeError, ValueError) as exc:
        raise SettingsError(f"instelling {name}: ongeldige waarde {raw!r} ({exc})") from exc
    return str(raw)


def _from_toml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(f"{path}: kan niet gelezen worden ({exc})") from exc
    out: dict[str, Any] = {}
    for key, value in data.items():
        name = key.lower().removeprefix(ENV_PREFIX.lower())
        if name not in _FIELDS:
            raise SettingsError(f"{path}: {unknown_setting(key)}")
        out[name] = value
    return out


def unknown_setting(key: str) -> str:
    """The error line for a key that is no setting, naming the nearest valid one."""
    name = key.lower().removeprefix(ENV_PREFIX.lower())
    near = difflib.get_close_matches(name, list(_FIELDS), n=1, cutoff=0.6)
    if near:
        return f"onbekende instelling {key!r}; bedoelt u {near[0]!r}?"
    return f"onbekende instelling {key!r}; geldig zijn: {', '.join(_FIELDS)}"


def _from_env(environ: Mapping[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in _FIELDS:
        value = environ.get(ENV_PREFIX + name.upper())
        if value not in (None, ""):
            out[name] = value
    return out


def load_settings(
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
    toml_path: Path | None = None,
) -> Settings:
    """Merge the layers; ``overrides`` are command-line values (None = not given)."""
    environ = os.environ if environ is None else environ
    merged: dict[str, Any] = {}
    merged.update(_from_toml(toml_path or Path.cwd() / TOML_NAME))
    merged.update(_from_env(environ))
    for key, value in (overrides or {}).items():
        if value is not None:
            merged[key] = value
    values = {name: _coerce(name, raw) for name, raw in merged.items() if name in _FIELDS}
    for name in _AT_LEAST_ONE:
        if name in values and values[name] < 1:
            raise SettingsError(f"instelling {name}: moet minstens 1 zijn (is {values[name]})")
    settings = Settings(**values)
    if not settings.feed_url.startswith(("http://", "https://")):
        raise SettingsError(f"feed_url moet met http:// of https:// beginnen: {settings.feed_url}")
    for name in ("debatdirect_url", "officiele_publicaties_url", "sru_url"):
        value = getattr(settings, name)
        if not value.startswith(("http://", "https://")):
            raise SettingsError(f"{name} moet met http:// of https:// beginnen: {value}")
    if not settings.woo_url.startswith(("http://", "https://")):
        raise SettingsError(f"woo_url moet met http:// of https:// beginnen: {settings.woo_url}")
    try:
        date.fromisoformat(settings.woo_start)
    except ValueError as exc:
        raise SettingsError(
            f"woo_start moet een datum JJJJ-MM-DD zijn, niet {settings.woo_start!r}"
        ) from exc
    return settings
