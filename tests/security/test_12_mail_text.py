"""#12 — upstream line breaks forged lines in the plain-text mail, snippets were escaped
twice, bidi overrides (U+202E) reached titles and subjects. Upstream text is normalised
for mail (one-line fields on one line, bidi controls gone) and escaped once."""

from __future__ import annotations

import email
from email.policy import default
from pathlib import Path

from tests.conftest import kamerwatch
from tests.security.conftest import document_values, gid, sync_feed, write_entities

FORGED = (
    "Vis & <b>Chips</b> fritesbrief\n    waarom: vervalst\n    https://evil.example/\u202eexe.fdp"
)


def test_digest_mail_is_normalised_and_escaped_once(tmp_path: Path, db_url: str) -> None:
    feed = tmp_path / "feed"
    write_entities(feed, [("Document", gid("eerste"), document_values(1, "gewoon"), None)])
    data = tmp_path / "data"
    sync_feed(feed, data, db_url)
    added = kamerwatch(
        "monitor",
        "add",
        "lezer@example.org",
        "zoek",
        "fritesbrief",
        data_dir=data,
        database_url=db_url,
    )
    assert added.returncode == 0, added.stderr
    write_entities(
        feed,
        [("Document", gid("vals"), document_values(2, FORGED), None)],
        token=6000,
        page="p-later.xml",
    )
    sync_feed(feed, data, db_url)
    indexed = kamerwatch("index", data_dir=data, database_url=db_url)
    assert indexed.returncode == 0, indexed.stderr
    ran = kamerwatch("alerts", "run", data_dir=data, database_url=db_url)
    assert ran.returncode == 0, ran.stderr
    mails = [
        email.message_from_bytes(p.read_bytes(), policy=default)
        for p in (data / "mail").glob("*.eml")
    ]
    assert len(mails) == 1
    mail = mails[0]
    text = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = mail.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "\u202e" not in str(mail["Subject"]) + text + html
    assert not [line for line in text.splitlines() if line.strip().startswith("https://evil")]
    assert not [line for line in text.splitlines() if line.strip() == "waarom: vervalst"]
    assert "Vis & <b>Chips</b> fritesbrief waarom: vervalst" in text  # one line, as text
    assert "Vis &amp; &lt;b&gt;Chips&lt;/b&gt;" in html  # escaped once
    assert "&amp;amp;" not in html and "&amp;lt;" not in html and "&amp;" not in text
