"""Hand-written feed pages for the sync tests (live-style XML, real namespaces)."""

from __future__ import annotations

HOST = "https://gegevensmagazijn.tweedekamer.nl/SyncFeed/2.0"
TK = "http://www.tweedekamer.nl/xsd/tkData/v1-0"
XSI = "http://www.w3.org/2001/XMLSchema-instance"

ZAAK_A = "6e2d8b47-1a3c-4f59-8d0e-b7c1a2f36e94"
ZAAK_B = "7f3e9c58-2b4d-4a6a-9e1f-c8d2b3a47f05"
ZAAK_NEVER = "8a4fad69-3c5e-4b7b-8f2a-d9e3c4b58a16"
DOC = "d7a5dc6c-3636-4acd-8630-96c14e97dcce"
AGENDAPUNT = "f0b3d9a1-2c47-48e5-9e16-7a8b5c3d2e01"
ACT = "c41f7a2e-9b8d-4e63-a5f0-3d2c1b8e7a60"


def entry(
    category: str, term: str, ident: str, token: int, body: str, enclosure: bool = False
) -> str:
    enc = f'<link rel="enclosure" href="{HOST}/Resources/{ident}" />' if enclosure else ""
    return (
        f"<entry><title>{ident}</title><id>{HOST}/Entiteiten/{ident}</id>"
        "<author><name>Tweede Kamer der Staten-Generaal</name></author>"
        f"<updated>2025-04-15T14:12:{token % 60:02d}.2201938Z</updated>"
        f'<category term="{term}" />'
        f'<link rel="next" href="{HOST}/Feed?skiptoken={token}&amp;category={category}" />{enc}'
        f'<content type="application/xml">{body}</content></entry>'
    )


def zaak(ident: str, token: int, onderwerp: str, deleted: bool = False) -> str:
    head = (
        f'<zaak xmlns="{TK}" xmlns:tk="{TK}" xmlns:xsi="{XSI}" id="{ident}" '
        f'tk:bijgewerkt="2025-04-15T16:12:31.5870000" tk:verwijderd="{str(deleted).lower()}"'
    )
    if deleted:
        return entry("Zaak", "zaak", ident, token, head + " />")
    body = (
        f"{head}><nummer>2025Z0{token:04d}</nummer><soort>Motie</soort>"
        f"<onderwerp>{onderwerp}</onderwerp><afgedaan>true</afgedaan>"
        '<termijn xsi:nil="true" />'
        f'<agendapunt ref="{AGENDAPUNT}" /><activiteit ref="{ACT}" /></zaak>'
    )
    return entry("Zaak", "zaak", ident, token, body)


def page(entries: list[str]) -> str:
    return (
        "<?xml version='1.0' encoding='utf-8'?>"
        '<feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Gegevensmagazijn SyncFeed</title>" + "".join(entries) + "</feed>"
    )
