"""``/mijn``: password-less login, the monitors of an account (also set with the bell on a
page), unsubscribe links from the mails, and deleting the account.

Every state change is a POST with the session's CSRF token (login and unsubscribe carry
their own single-purpose token instead). A login link only shows a button: the POST behind
it logs in, so mail scanners that follow links log nobody in. The session lives in an
HttpOnly, SameSite=Strict cookie (Secure when the site runs on https).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from kamerwatch.alerts import accounts
from kamerwatch.alerts.mail import LogTransport, from_header, new_message_id, sender_address
from kamerwatch.alerts.models import KINDS, MonitorError, describe, normalise
from kamerwatch.kinds import KINDS as PAGE_KINDS
from kamerwatch.store.db import Database

from . import render, respond, urls
from .feeds import hits_rss

log = logging.getLogger(__name__)

COOKIE = "kw_sessie"
KNOWN_COOKIE = "kw_bekend"  # this browser confirmed a login for the address (signed)
MAX_FORM = 4096

# ``/mijn?melding=<code>``: only these texts can appear (a free text in the URL would let
# anyone put words on this site)
MESSAGES = {
    "ingelogd": "U bent ingelogd.",
    "uitgelogd": "U bent uitgelogd.",
    "eerst-inloggen": "Log eerst in om een monitor te zetten.",
    "monitor-gezet": "Monitor gezet.",
    "monitor-niet-gezet": "Monitor niet gezet: controleer de soort en de waarde.",
    "monitor-verwijderd": "Monitor verwijderd.",
    "monitor-bestaat-niet": "Die monitor bestaat niet (meer).",
    "account-verwijderd": "Uw account en al uw gegevens zijn verwijderd.",
    "rss-vernieuwd": "Nieuw RSS-adres gemaakt; het oude werkt niet meer.",
    "webhook-gezet": "Webhook toegevoegd.",
    "webhook-niet-gezet": (
        "Webhook niet toegevoegd: gebruik een https://-adres (zonder gebruikersnaam of"
        " wachtwoord) en kies een eigen monitor."
    ),
    "webhook-verwijderd": "Webhook verwijderd.",
    "webhook-bestaat-niet": "Die webhook bestaat niet (meer).",
    "interval-gewijzigd": "Interval gewijzigd.",
}
# the intervals in words (the values stay the short codes of the command line)
INTERVAL_LABELS = {
    "direct": "direct",
    "5m": "elke 5 minuten",
    "1h": "elk uur",
    "1d": "dagelijks",
    "1w": "wekelijks",
}


def monitor_url(kind: str, value: str) -> str:
    """The page of what a monitor follows (a search: its results)."""
    if kind == "zoek":
        return urls.zoeken(value)
    if kind == "toezeggingen":
        return urls.dashboard("toezeggingen")
    if kind == "organisatie":
        return urls.woo_lijst(organisatie=value)
    if kind == "vraag":
        return urls.document(value)
    page = PAGE_KINDS.by_monitor(kind)
    return page.url(value) if page is not None else "/mijn"


def pending(params: Any) -> dict[str, str] | None:
    """A follow click made while logged out (``volg``/``waarde``/``terug`` in a query or a
    form), checked: it rides along the login mail and is done after the login."""
    kind = str(params.get("volg") or "")[:40]
    if kind not in KINDS:
        return None
    try:
        value = normalise(kind, str(params.get("waarde") or "")[:500])
    except MonitorError:
        return None
    return {"volg": kind, "waarde": value, "terug": _safe_back(params.get("terug"))}


PRIVATE = {"Cache-Control": "private, no-store", "Vary": "Cookie"}


def _now() -> datetime:
    return datetime.now(UTC)


def _db(request: Request) -> Database:
    return Database(request.app.state.database_url)


def _session(request: Request) -> str:
    return request.cookies.get(COOKIE, "")


def _safe_back(value: str | None) -> str:
    """Only a path on this site (no //host, no scheme) may be a redirect target."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value[:500]
    return "/mijn"


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""


def same_origin(request: Request) -> bool:
    """A state-changing POST must come from this site: its ``Origin`` (or, without one, its
    ``Referer``) is the site's base URL or the address the request was sent to. Neither
    header (mail clients' one-click unsubscribe, scripts) is allowed; ``Origin: null`` is
    not."""
    allowed = {_origin(request.app.state.base_url), _origin(str(request.base_url))}
    origin = request.headers.get("origin")
    if origin is not None:
        return origin.strip().lower() in allowed
    referer = request.headers.get("referer")
    if referer is not None:
        return _origin(referer) in allowed
    return True


def _check_origin(request: Request) -> None:
    if not same_origin(request):
        raise HTTPException(403, "Verzoek van een andere site geweigerd.")


async def _form(request: Request) -> dict[str, str]:
    """The (urlencoded) form of a POST from this site (:func:`same_origin`, else 403); a
    body over MAX_FORM bytes is refused with a 413 before more of it is read."""
    _check_origin(request)
    declared = request.headers.get("content-length", "")
    if declared and (not declared.isdigit() or int(declared) > MAX_FORM):
        raise HTTPException(413, "Het formulier is te groot.")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM:
            raise HTTPException(413, "Het formulier is te groot.")
    pairs = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
    return {k: v[:1000] for k, v in pairs}


def _page(request: Request, status: int = 200, **context: Any) -> Response:
    context.setdefault("notice", None)
    response = respond.html(
        request,
        request.app.state.pool.connection(),  # the footer's "bijgewerkt" (was: "nog nooit")
        "mijn.html",
        status=status,
        title=context.pop("title", "Mijn kamerwatch"),
        description="Uw monitors en e-mailberichten",
        **context,
    )
    response.headers.update(PRIVATE)  # personal: never kept by a browser or proxy cache
    return response


def mijn(request: Request) -> Response:
    session = _session(request)
    with _db(request) as db:
        account = accounts.session_account(db, session, _now())
        if account is None:
            waiting = pending(request.query_params)
            notice = _notice(request)
            if waiting is not None:
                notice = (
                    f"Log eerst in om {describe(waiting['volg'], waiting['waarde'])} te volgen: "
                    "na het inloggen met de link uit de mail wordt de monitor gezet."
                )
            return _page(request, account=None, kinds=KINDS, notice=notice, volg=waiting)
        return _account_page(request, db, session, account, notice=_notice(request))


def _account_page(
    request: Request, db: Database, session: str, account: Any, **extra: Any
) -> Response:
    """The logged-in page (``extra``: notice, and once the secret of a new webhook)."""
    extra.setdefault("new_webhook", None)
    monitors = accounts.followed(db, account.id)
    webhooks = accounts.list_webhooks(db, account.id)
    deliveries = accounts.webhook_log(db, account.id)
    token = accounts.csrf_token(db, session)
    feed = accounts.feed_token(db, account.id)
    return _page(
        request,
        account=account,
        feed_url=urls.absolute(request.app.state.base_url, f"/mijn/rss/{feed}.xml"),
        monitors=[(m, monitor_url(m.soort, m.waarde)) for m in monitors],
        webhooks=webhooks,
        deliveries=deliveries,
        csrf=token,
        kinds=KINDS,
        intervals=INTERVAL_LABELS,
        **extra,
    )


def mijn_json(request: Request) -> Response:
    """``/mijn.json``: the logged-in visitor's own monitors (401 for anyone else)."""
    session = _session(request)
    with _db(request) as db:
        account = accounts.session_account(db, session, _now())
        monitors = accounts.followed(db, account.id) if account is not None else []
    if account is None:
        body = {"fout": "Niet ingelogd: log in op /mijn om uw monitors te zien."}
        return Response(
            render.json_bytes(body),
            status_code=401,
            media_type="application/json",
            headers=PRIVATE,
        )
    base = request.app.state.base_url
    data = {
        "email": account.email,
        "monitors": [
            {
                **render.to_jsonable(m),
                "url": urls.absolute(base, monitor_url(m.soort, m.waarde)),
            }
            for m in monitors
        ],
    }
    return Response(render.json_bytes(data), media_type="application/json", headers=PRIVATE)


async def request_link(request: Request) -> Response:
    form = await _form(request)
    email = form.get("email", "")
    ip = request.client.host if request.client else None  # the peer, or a trusted proxy's
    with _db(request) as db:
        result = accounts.request_login(
            db, email, ip, _now(), known=request.cookies.get(KNOWN_COOKIE, "")
        )
    if isinstance(result, accounts.RateLimited):
        return _page(
            request,
            429 if "Te veel" in result.reason else 400,
            account=None,
            kinds=KINDS,
            notice=result.reason,
        )
    path = f"/mijn/inloggen?t={result.token}"
    waiting = pending(form)
    if waiting is not None:  # a follow click made while logged out rides along
        path += "&" + urlencode(waiting)
    link = urls.absolute(request.app.state.base_url, path)
    outcome, kept = await _send_link(request, result.email, link)
    if outcome == "sent" and kept is not None:
        # no mail server configured: the mail is a file; say where (and the console does)
        notice = (
            f"Er is geen mailserver ingesteld (KAMERWATCH_SMTP_URL), dus de inlogmail aan "
            f"{result.email} is niet verstuurd maar bewaard als {kept}. Open dat bestand en "
            "volg de link daarin (30 minuten geldig)."
        )
        return _page(request, account=None, kinds=KINDS, notice=notice, volg=waiting)
    if outcome == "sent":
        notice = (
            f"Als {result.email} een geldig adres is, staat er nu een inloglink in de mailbox "
            "(30 minuten geldig)."
        )
        return _page(request, account=None, kinds=KINDS, notice=notice, volg=waiting)
    if outcome == "queued":
        notice = (
            f"De inloglink voor {result.email} staat klaar om verstuurd te worden, maar de "
            "mailserver reageert nog niet; de mail gaat weg zodra hij antwoordt (de link is "
            "30 minuten geldig). Niets ontvangen? Vraag dan later een nieuwe link aan."
        )
        return _page(request, 202, account=None, kinds=KINDS, notice=notice, volg=waiting)
    notice = (
        f"De inlogmail aan {result.email} kon niet worden verstuurd: de mailserver is niet "
        "bereikbaar. Probeer het later opnieuw."
    )
    return _page(request, 503, account=None, kinds=KINDS, notice=notice, volg=waiting)


LINK_TTL = 25 * 60.0  # seconds a login mail may wait in the queue (the link lives 30 minutes)


async def _send_link(request: Request, email: str, link: str) -> tuple[str, str | None]:
    """Queue the login mail and wait briefly (the event loop stays free) for the outcome:
    ``sent``, ``failed`` or, while the mail server is slow, ``queued``; with the file it
    was kept in when no mail server is configured."""
    state = request.app.state
    msg = EmailMessage()
    msg["Subject"] = "Inloggen bij kamerwatch"
    msg["From"] = from_header(state.mail_from)
    msg["To"] = email
    msg["Date"] = format_datetime(_now())
    msg["Message-ID"] = new_message_id(state.mail_from)
    msg.set_content(
        "Iemand (hopelijk u) vroeg om in te loggen bij kamerwatch.\n\n"
        f"Open deze link en klik op de knop om in te loggen:\n{link}\n\n"
        "De link is 30 minuten geldig en werkt één keer. Niet aangevraagd? Dan hoeft u niets te doen.\n"
    )
    kept = None
    if isinstance(state.transport, LogTransport):
        kept = str(state.transport.path_for(msg["Message-ID"]))
    future = state.mail_queue.submit(
        msg.as_bytes(), sender_address(state.mail_from), email, ttl=LINK_TTL, what="inlogmail"
    )
    try:
        await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(future)), state.mail_wait)
    except TimeoutError:
        return "queued", None
    except Exception:  # the queue logged why
        return "failed", None
    return "sent", kept


def login_page(request: Request) -> Response:
    token = request.query_params.get("t", "")[:200]
    waiting = pending(request.query_params)
    notice = None
    if waiting is not None:
        notice = f"Na het inloggen volgt u {describe(waiting['volg'], waiting['waarde'])}."
    return _page(
        request,
        account=None,
        kinds=KINDS,
        login_token=token,
        title="Inloggen",
        volg=waiting,
        notice=notice,
    )


async def login(request: Request) -> Response:
    form = await _form(request)
    with _db(request) as db:
        result = accounts.confirm_login(db, form.get("t", ""), _now())
        known = (
            None
            if isinstance(result, accounts.Invalid)
            else accounts.known_browser_token(db, result.account_id)
        )
    if isinstance(result, accounts.Invalid):
        return _page(request, 400, account=None, kinds=KINDS, notice=result.reason)
    response = _to("ingelogd")
    waiting = pending(form)
    if waiting is not None:  # the follow click made before the login: done now
        with _db(request) as db:
            try:
                accounts.add_monitor(
                    db, result.account_id, waiting["volg"], waiting["waarde"], _now()
                )
                response = RedirectResponse(waiting["terug"], status_code=303)
            except MonitorError:
                response = _to("monitor-niet-gezet")
    secure = request.app.state.base_url.startswith("https://")
    for name, value, days in ((COOKIE, result.token, 90), (KNOWN_COOKIE, known, 365)):
        if value:
            response.set_cookie(
                name,
                value,
                max_age=days * 86400,
                httponly=True,
                samesite="strict",
                secure=secure,
                path="/",
            )
    return response


T = TypeVar("T")


def _checked(request: Request, form: dict[str, str]) -> tuple[Database, Any] | None:
    """(db, account) when the session and its CSRF token are valid, else None."""
    session = _session(request)
    db = _db(request)
    account = accounts.session_account(db, session, _now())
    if account is None or not accounts.check_csrf(db, session, form.get("csrf", "")):
        db.close()
        return None
    return db, account


async def add_monitor(request: Request) -> Response:
    form = await _form(request)
    back = _safe_back(form.get("terug"))
    checked = _checked(request, form)
    if checked is None:
        # logged out: remembered, the login form carries it through the mail and the
        # monitor is set after the login (a session with a wrong form token: refused)
        with _db(request) as db:
            logged_in = accounts.session_account(db, _session(request), _now()) is not None
        waiting = None if logged_in else pending({"volg": form.get("soort"), **form})
        if waiting is None:
            return _to("eerst-inloggen")
        return RedirectResponse("/mijn?" + urlencode(waiting), status_code=303)
    db, account = checked
    try:
        accounts.add_monitor(
            db,
            account.id,
            form.get("soort", ""),
            form.get("waarde", ""),
            _now(),
            form.get("interval") or "direct",
        )
    except MonitorError:
        return _to("monitor-niet-gezet")
    finally:
        db.close()
    return RedirectResponse(back, status_code=303) if back != "/mijn" else _to("monitor-gezet")


async def add_webhook(request: Request) -> Response:
    form = await _form(request)
    checked = _checked(request, form)
    if checked is None:
        return _to("eerst-inloggen")
    db, account = checked
    monitor = form.get("monitor", "").strip()
    try:
        ident, secret = accounts.add_webhook(
            db,
            account.id,
            form.get("url", ""),
            monitor_id=int(monitor) if monitor.isdigit() and len(monitor) < 19 else None,
            instead=form.get("wijze") == "alleen",
        )
        # the secret is shown this once, in this answer (never again: not on /mijn, not in
        # a JSON twin, not in a redirect's address or a log)
        return _account_page(
            request,
            db,
            _session(request),
            account,
            notice=MESSAGES["webhook-gezet"],
            new_webhook=(ident, secret),
        )
    except accounts.WebhookError:
        return _to("webhook-niet-gezet")
    finally:
        db.close()


async def remove_webhook(request: Request) -> Response:
    ident = request.path_params["ident"]
    done = await _as_account(
        request,
        lambda db, account: (
            ident.isdigit()
            and len(ident) < 19
            and accounts.remove_webhook(db, int(ident), account.id)
        ),
    )
    if done is None:
        return RedirectResponse("/mijn", status_code=303)
    return _to("webhook-verwijderd" if done[0] else "webhook-bestaat-niet")


async def _as_account(request: Request, action: Callable[[Database, Any], T]) -> tuple[T] | None:
    """Run ``action(db, account)`` for a POST with a valid session and CSRF token: (its
    result,), or None when the session or token is not valid."""
    checked = _checked(request, await _form(request))
    if checked is None:
        return None
    db, account = checked
    try:
        return (action(db, account),)
    finally:
        db.close()


async def remove_monitor(request: Request) -> Response:
    ident = request.path_params["ident"]
    form = await _form(request)
    checked = _checked(request, form)
    if checked is None:
        return RedirectResponse("/mijn", status_code=303)
    db, account = checked
    try:
        done = ident.isdigit() and accounts.remove_monitor(db, int(ident), account.id)
    finally:
        db.close()
    back = _safe_back(form.get("terug"))
    if done and back != "/mijn":  # the bell's "ontvolg": back to the page, its bell off
        return RedirectResponse(back, status_code=303)
    return _to("monitor-verwijderd" if done else "monitor-bestaat-niet")


async def change_interval(request: Request) -> Response:
    """The interval of one monitor, changed inline on /mijn."""
    ident = request.path_params["ident"]
    form = await _form(request)
    checked = _checked(request, form)
    if checked is None:
        return RedirectResponse("/mijn", status_code=303)
    db, account = checked
    try:
        done = ident.isdigit() and accounts.set_monitor_interval(
            db, account.id, int(ident), form.get("interval", "")
        )
    except MonitorError:
        done = False
    finally:
        db.close()
    return _to("interval-gewijzigd" if done else "monitor-bestaat-niet")


async def delete_account(request: Request) -> Response:
    done = await _as_account(request, lambda db, account: accounts.delete_account(db, account.id))
    if done is None:
        return RedirectResponse("/mijn", status_code=303)
    response = _to("account-verwijderd")
    response.delete_cookie(COOKIE, path="/")
    return response


def personal_rss(request: Request) -> Response:
    """The account's hits as RSS at a secret address (no cookie needed: feed readers)."""

    token = str(request.path_params["token"])[:100]
    with _db(request) as db:
        account_id = accounts.feed_account(db, token)
        if account_id is None:
            return Response(
                "Onbekend of vernieuwd RSS-adres; kijk op /mijn voor uw huidige adres.\n",
                status_code=404,
                media_type="text/plain; charset=utf-8",
            )
        items = accounts.feed_items(db, account_id)
    return hits_rss(request, items)


async def renew_rss(request: Request) -> Response:
    done = await _as_account(request, lambda db, account: accounts.renew_feed(db, account.id))
    if done is None:
        return RedirectResponse("/mijn", status_code=303)
    return _to("rss-vernieuwd")


async def logout(request: Request) -> Response:
    """Only with the session's CSRF token: another site cannot log a visitor out."""
    form = await _form(request)
    checked = _checked(request, form)
    if checked is None:
        return RedirectResponse("/mijn", status_code=303)
    db, _account = checked
    try:
        accounts.logout(db, _session(request))
    finally:
        db.close()
    response = _to("uitgelogd")
    response.delete_cookie(COOKIE, path="/")
    return response


async def unsubscribe(request: Request) -> Response:
    """GET: a page with a button; POST (the button, or a mail client's one-click): do it."""
    token = request.query_params.get("t", "")[:200]
    if request.method == "GET":
        return _page(request, account=None, kinds=KINDS, unsubscribe_token=token, title="Afmelden")
    _check_origin(request)
    with _db(request) as db:
        removed = accounts.unsubscribe(db, token)
    message = (
        f"Afgemeld: {removed} monitor(s) verwijderd."
        if removed
        else "Deze afmeldlink is ongeldig of al gebruikt."
    )
    return _page(request, account=None, kinds=KINDS, notice=message, title="Afmelden")


def _to(code: str) -> RedirectResponse:
    """303 to ``/mijn`` with one of the fixed :data:`MESSAGES`."""
    assert code in MESSAGES
    return RedirectResponse(f"/mijn?melding={code}", status_code=303)


def _notice(request: Request) -> str | None:
    return MESSAGES.get(request.query_params.get("melding", "")[:40])


def bell(request: Request, kind: str, value: str) -> dict[str, Any] | None:
    """The bell of a page: what the template needs for its monitor form (None = no bell)."""
    if kind not in KINDS:
        return None
    session = _session(request)
    back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    out: dict[str, Any] = {
        "kind": kind,
        "value": value,
        "csrf": None,
        "terug": _safe_back(back),
        "monitor": None,  # the id of this visitor's monitor on it: the bell says "U volgt dit"
        "label": describe(kind, value),
    }
    if not session:
        return out
    with _db(request) as db:
        account = accounts.session_account(db, session, _now())
        if account is not None:
            out["csrf"] = accounts.csrf_token(db, session)
            out["monitor"] = accounts.has_monitor(db, account.id, kind, value)
    return out


def routes(_conn_of: Callable[[Request], Any]) -> list[Route]:
    return [
        Route("/mijn", mijn),
        Route("/mijn.json", mijn_json),
        Route("/mijn/monitor/{ident}/interval", change_interval, methods=["POST"]),
        Route("/mijn/link", request_link, methods=["POST"]),
        Route("/mijn/inloggen", login_page, methods=["GET"]),
        Route("/mijn/inloggen/bevestig", login, methods=["POST"]),
        Route("/mijn/monitor", add_monitor, methods=["POST"]),
        Route("/mijn/monitor/{ident}/verwijderen", remove_monitor, methods=["POST"]),
        Route("/mijn/account/verwijderen", delete_account, methods=["POST"]),
        Route("/mijn/webhook", add_webhook, methods=["POST"]),
        Route("/mijn/webhook/{ident}/verwijderen", remove_webhook, methods=["POST"]),
        Route("/mijn/uitloggen", logout, methods=["POST"]),
        Route("/mijn/afmelden", unsubscribe, methods=["GET", "POST"]),
        Route("/mijn/rss/{token}.xml", personal_rss, methods=["GET"]),
        Route("/mijn/rss/vernieuwen", renew_rss, methods=["POST"]),
    ]
