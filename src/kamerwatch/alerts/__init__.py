"""Accounts, monitors, matching, digests and mail (issue 4).

The website calls the service functions re-exported here; ``kamerwatch alerts run`` and
``kamerwatch monitor …`` call them from the shell.
"""

from .accounts import (
    Invalid,
    LoginRequest,
    RateLimited,
    Session,
    add_monitor,
    add_monitor_for_email,
    add_webhook,
    check_csrf,
    check_login_token,
    confirm_login,
    csrf_token,
    delete_account,
    has_monitor,
    list_monitors,
    list_monitors_for_email,
    list_webhooks,
    logout,
    remove_monitor,
    remove_webhook,
    request_login,
    session_account,
    set_monitor_interval,
    unsubscribe,
    webhook_log,
)
from .mail import LogTransport, MailError, SmtpTransport, Transport
from .models import INTERVALS, KINDS, Hit, Monitor, MonitorError
from .run import RunReport, run_alerts
from .webhooks import Options as WebhookOptions
from .webhooks import WebhookError

__all__ = [
    "INTERVALS",
    "KINDS",
    "Hit",
    "Invalid",
    "LogTransport",
    "LoginRequest",
    "MailError",
    "Monitor",
    "MonitorError",
    "RateLimited",
    "RunReport",
    "Session",
    "SmtpTransport",
    "Transport",
    "WebhookError",
    "WebhookOptions",
    "add_monitor",
    "add_monitor_for_email",
    "add_webhook",
    "check_csrf",
    "check_login_token",
    "confirm_login",
    "csrf_token",
    "delete_account",
    "has_monitor",
    "list_monitors",
    "list_monitors_for_email",
    "list_webhooks",
    "logout",
    "remove_monitor",
    "remove_webhook",
    "request_login",
    "run_alerts",
    "session_account",
    "set_monitor_interval",
    "unsubscribe",
    "webhook_log",
]
