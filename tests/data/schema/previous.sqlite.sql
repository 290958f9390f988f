-- The schema the migrations 0001-0014 of the previous release made on a new SQLite
-- database (sqlite_master in creation order), and their record.
CREATE TABLE schema_migration (name TEXT PRIMARY KEY, applied_at TEXT);
CREATE TABLE sync_cursor (
            category   TEXT PRIMARY KEY,
            skiptoken  INTEGER NOT NULL,
            entries    INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL
        );
CREATE TABLE raw_entry (
            skiptoken INTEGER PRIMARY KEY,
            category  TEXT NOT NULL,
            id        TEXT NOT NULL,
            updated   TEXT,
            enclosure TEXT,
            xml       BLOB NOT NULL
        );
CREATE INDEX raw_entry_category ON raw_entry (category, skiptoken);
CREATE TABLE sync_run (
            id          INTEGER PRIMARY KEY,
            stage       TEXT NOT NULL,
            started_at  TEXT NOT NULL,
            finished_at TEXT,
            status      TEXT NOT NULL,
            entries     INTEGER NOT NULL DEFAULT 0,
            message     TEXT
        );
CREATE TABLE unknown_element (
            category   TEXT NOT NULL,
            name       TEXT NOT NULL,
            first_seen TEXT NOT NULL,
            example_id TEXT,
            PRIMARY KEY (category, name)
        );
CREATE TABLE meta (
            key   TEXT PRIMARY KEY,
            value TEXT
        );
CREATE TABLE persoon (
    id TEXT PRIMARY KEY,
    skiptoken INTEGER NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    enclosure TEXT,
    content_type TEXT,
    content_length INTEGER,
    nummer TEXT,
    titels TEXT,
    initialen TEXT,
    tussenvoegsel TEXT,
    achternaam TEXT,
    voornamen TEXT,
    roepnaam TEXT,
    geslacht TEXT,
    functie TEXT,
    geboortedatum TEXT,
    geboorteplaats TEXT,
    geboorteland TEXT,
    overlijdensdatum TEXT,
    overlijdensplaats TEXT,
    woonplaats TEXT,
    land TEXT,
    fractielabel TEXT,
    extra TEXT
);
CREATE INDEX persoon_nummer ON persoon (nummer);
CREATE TABLE persooncontactinformatie (
    id TEXT PRIMARY KEY,
    skiptoken INTEGER NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    persoon_id TEXT,
    soort TEXT,
    waarde TEXT,
    gewicht INTEGER,
    extra TEXT
);
CREATE INDEX persooncontactinformatie_persoon_id ON persooncontactinformatie (persoon_id);
CREATE INDEX persooncontactinformatie_soort ON persooncontactinformatie (soort);
CREATE TABLE persoongeschenk (
    id TEXT PRIMARY KEY,
    skiptoken INTEGER NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    persoon_id TEXT,
    omschrijving TEXT,
    datum TEXT,
    gewicht INTEGER,
    extra TEXT
);
CREATE INDEX persoongeschenk_persoon_id ON persoongeschenk (persoon_id);
CREATE INDEX persoongeschenk_datum ON persoongeschenk (datum);
CREATE TABLE persoonloopbaan (
    id TEXT PRIMARY KEY,
    skiptoken INTEGER NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    persoon_id TEXT,
    functie TEXT,
    werkgever TEXT,
    omschrijving_nl TEXT,
    omschrijving_en TEXT,
    plaats TEXT,
    van TEXT,
    tot_en_met TEXT,
    gewicht INTEGER,
    extra TEXT
);
CREATE INDEX persoonloopbaan_persoon_id ON persoonloopbaan (persoon_id);
CREATE TABLE persoonnevenfunctie (
    id TEXT PRIMARY KEY,
    skiptoken INTEGER NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    persoon_id TEXT,
    omschrijving TEXT,
    is_actief INTEGER,
    periode_van TEXT,
    periode_tot_en_met TEXT,
    vergoeding_soort TEXT,
    vergoeding_toelichting TEXT,
    gewicht INTEGER,
    extra TEXT
);
CREATE INDEX persoonnevenfunctie_persoon_id ON persoonnevenfunctie (persoon_id);
CREATE TABLE persoonnevenfunctieinkomsten (
    id TEXT PRIMARY KEY,
    skiptoken INTEGER NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    persoon_nevenfunctie_id TEXT,
    jaar TEXT,
    bedrag_soort TEXT,
    bedrag_voorvoegsel TEXT,
    bedrag_valuta TEXT,
    bedrag TEXT,
    bedrag_achtervoegsel TEXT,
    frequentie TEXT,
    frequentie_beschrijving TEXT,
    opmerking TEXT,
    extra TEXT
);
CREATE INDEX persoonnevenfunctieinkomsten_persoon_nevenfunctie_id ON persoonnevenfunctieinkomsten (persoon_nevenfunctie_id);
CREATE TABLE persoononderwijs (
    id TEXT PRIMARY KEY,
    skiptoken INTEGER NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    persoon_id TEXT,
    opleiding_nl TEXT,
    opleiding_en TEXT,
    instelling TEXT,
    plaats TEXT,
    van TEXT,
    tot_en_met TEXT,
    gewicht INTEGER,
    extra TEXT
);
CREATE INDEX persoononderwijs_persoon_id ON persoononderwijs (persoon_id);
CREATE TABLE persoonreis (
    id TEXT PRIMARY KEY,
    skiptoken INTEGER NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    persoon_id TEXT,
    doel TEXT,
    bestemming TEXT,
    van TEXT,
    tot_en_met TEXT,
    betaald_door TEXT,
    gewicht INTEGER,
    extra TEXT
);
CREATE INDEX persoonreis_persoon_id ON persoonreis (persoon_id);
CREATE TABLE fractie (
    id TEXT PRIMARY KEY,
    skiptoken INTEGER NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    enclosure TEXT,
    content_type TEXT,
    content_length INTEGER,
    nummer TEXT,
    afkorting TEXT,
    naam_nl TEXT,
    naam_en TEXT,
    aantal_zetels INTEGER,
    aantal_stemmen INTEGER,
    datum_actief TEXT,
    datum_inactief TEXT,
    extra TEXT
);
CREATE INDEX fractie_nummer ON fractie (nummer);
CREATE TABLE fractiezetel (
    id TEXT PRIMARY KEY,
    skiptoken INTEGER NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    fractie_id TEXT,
    gewicht INTEGER,
    extra TEXT
);
CREATE INDEX fractiezetel_fractie_id ON fractiezetel (fractie_id);
CREATE TABLE fractiezetelpersoon (
    id TEXT PRIMARY KEY,
    skiptoken INTEGER NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    fractie_zetel_id TEXT,
    persoon_id TEXT,
    functie TEXT,
    van TEXT,
    tot_en_met TEXT,
    extra TEXT
);
CREATE INDEX fractiezetelpersoon_fractie_zetel_id ON fractiezetelpersoon (fractie_zetel_id);
CREATE INDEX fractiezetelpersoon_persoon_id ON fractiezetelpersoon (persoon_id);
CREATE TABLE fractiezetelvacature (
    id TEXT PRIMARY KEY,
    skiptoken INTEGER NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    fractie_zetel_id TEXT,
    functie TEXT,
    van TEXT,
    tot_en_met TEXT,
    extra TEXT
);
CREATE INDEX fractiezetelvacature_fractie_zetel_id ON fractiezetelvacature (fractie_zetel_id);
CREATE TABLE commissie (
    id TEXT PRIMARY KEY,
    skiptoken INTEGER NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    nummer TEXT,
    soort TEXT,
    afkorting TEXT,
    naam_nl TEXT,
    naam_en TEXT,
    naam_web_nl TEXT,
    naam_web_en TEXT,
    inhoudsopgave TEXT,
    datum_actief TEXT,
    datum_inactief TEXT,
    extra TEXT
);
CREATE INDEX commissie_nummer ON commissie (nummer);
CREATE INDEX commissie_soort ON commissie (soort);
CREATE TABLE commissiecontactinformatie (
    id TEXT PRIMARY KEY,
    skiptoken INTEGER NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    commissie_id TEXT,
    soort TEXT,
    waarde TEXT,
    gewicht INTEGER,
    extra TEXT
);
CREATE INDEX commissiecontactinformatie_commissie_id ON commissiecontactinformatie (commissie_id);
CREATE INDEX commissiecontactinformatie_soort ON commissiecontactinformatie (soort);
CREATE TABLE commissiezetel (
    id TEXT PRIMARY KEY,
    skiptoken INTEGER NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    commissie_id TEXT,
    gewicht INTEGER,
    extra TEXT
);
CREATE INDEX commissiezetel_commissie_id ON commissiezetel (commissie_id);
CREATE TABLE commissiezetelvastpersoon (
    id TEXT PRIMARY KEY,
    skiptoken INTEGER NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    commissie_zetel_id TEXT,
    persoon_id TEXT,
    functie TEXT,
    van TEXT,
    tot_en_met TEXT,
    extra TEXT
);
CREATE INDEX commissiezetelvastpersoon_commissie_zetel_id ON commissiezetelvastpersoon (commissie_zetel_id);
CREATE INDEX commissiezetelvastpersoon_persoon_id ON commissiezetelvastpersoon (persoon_id);
CREATE TABLE commissiezetelvastvacature (
    id TEXT PRIMARY KEY,
    skiptoken INTEGER NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    commissie_zetel_id TEXT,
    fractie_id TEXT,
    functie TEXT,
    van TEXT,
    tot_en_met TEXT,
    extra TEXT
);
CREATE INDEX commissiezetelvastvacature_commissie_zetel_id ON commissiezetelvastvacature (commissie_zetel_id);
CREATE INDEX commissiezetelvastvacature_fractie_id ON commissiezetelvastvacature (fractie_id);
CREATE TABLE commissiezetelvervangerpersoon (
    id TEXT PRIMARY KEY,
    skiptoken INTEGER NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    commissie_zetel_id TEXT,
    persoon_id TEXT,
    functie TEXT,
    van TEXT,
    tot_en_met TEXT,
    extra TEXT
);
CREATE INDEX commissiezetelvervangerpersoon_commissie_zetel_id ON commissiezetelvervangerpersoon (commissie_zetel_id);
CREATE INDEX commissiezetelvervangerpersoon_persoon_id ON commissiezetelvervangerpersoon (persoon_id);
CREATE TABLE commissiezetelvervangervacature (
    id TEXT PRIMARY KEY,
    skiptoken INTEGER NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    commissie_zetel_id TEXT,
    fractie_id TEXT,
    functie TEXT,
    van TEXT,
    tot_en_met TEXT,
    extra TEXT
);
CREATE INDEX commissiezetelvervangervacature_commissie_zetel_id ON commissiezetelvervangervacature (commissie_zetel_id);
CREATE INDEX commissiezetelvervangervacature_fractie_id ON commissiezetelvervangervacature (fractie_id);
CREATE TABLE zaal (
    id TEXT PRIMARY KEY,
    skiptoken INTEGER NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    naam TEXT,
    sys_code INTEGER,
    extra TEXT
);
CREATE TABLE kamerstukdossier (
    id TEXT PRIMARY KEY,
    skiptoken INTEGER NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    titel TEXT,
    citeertitel TEXT,
    alias TEXT,
    nummer INTEGER,
    toevoeging TEXT,
    hoogste_volgnummer INTEGER,
    afgesloten INTEGER,
    kamer TEXT,
    extra TEXT
);
CREATE INDEX kamerstukdossier_nummer ON kamerstukdossier (nummer);
CREATE TABLE activiteit (
    id TEXT PRIMARY KEY,
    skiptoken INTEGER NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    voortouwcommissie_id TEXT,
    soort TEXT,
    nummer TEXT,
    onderwerp TEXT,
    datum_soort TEXT,
    datum TEXT,
    aanvangstijd TEXT,
    eindtijd TEXT,
    locatie TEXT,
    besloten INTEGER,
    status TEXT,
    vergaderjaar TEXT,
    kamer TEXT,
    noot TEXT,
    vrs_nummer TEXT,
    sid_voortouw TEXT,
    voortouwnaam TEXT,
    voortouwafkorting TEXT,
    voortouwkortenaam TEXT,
    aanvraagdatum TEXT,
    datum_verzoek_eerste_verlenging TEXT,
    datum_mededeling_eerste_verlenging TEXT,
    datum_verzoek_tweede_verlenging TEXT,
    datum_mededeling_tweede_verlenging TEXT,
    vervaldatum TEXT,
    extra TEXT
);
CREATE INDEX activiteit_voortouwcommissie_id ON activiteit (voortouwcommissie_id);
CREATE INDEX activiteit_soort ON activiteit (soort);
CREATE INDEX activiteit_nummer ON activiteit (nummer);
CREATE INDEX activiteit_datum ON activiteit (datum);
CREATE TABLE activiteitactor (
    id TEXT PRIMARY KEY,
    skiptoken INTEGER NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    activiteit_id TEXT,
    persoon_id TEXT,
    fractie_id TEXT,
    commissie_id TEXT,
    actor_naam TEXT,
    actor_fractie TEXT,
    relatie TEXT,
    volgorde INTEGER,
    functie TEXT,
    spreektijd TEXT,
    sid_actor TEXT,
    extra TEXT
);
CREATE INDEX activiteitactor_activiteit_id ON activiteitactor (activiteit_id);
CREATE INDEX activiteitactor_persoon_id ON activiteitactor (persoon_id);
CREATE INDEX activiteitactor_fractie_id ON activiteitactor (fractie_id);
CREATE INDEX activiteitactor_commissie_id ON activiteitactor (commissie_id);
CREATE TABLE reservering (
    id TEXT PRIMARY KEY,
    skiptoken INTEGER NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    zaal_id TEXT,
    nummer TEXT,
    status_code TEXT,
    status_naam TEXT,
    activiteit_nummer TEXT,
    extra TEXT
);
CREATE INDEX reservering_zaal_id ON reservering (zaal_id);
CREATE INDEX reservering_nummer ON reservering (nummer);
CREATE TABLE agendapunt (
    id TEXT PRIMARY KEY,
    skiptoken INTEGER NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    activiteit_id TEXT,
    nummer TEXT,
    onderwerp TEXT,
    aanvangstijd TEXT,
    eindtijd TEXT,
    volgorde INTEGER,
    rubriek TEXT,
    noot TEXT,
    status TEXT,
    extra TEXT
);
CREATE INDEX agendapunt_activiteit_id ON agendapunt (activiteit_id);
CREATE INDEX agendapunt_nummer ON agendapunt (nummer);
CREATE TABLE zaak (
    id TEXT PRIMARY KEY,
    skiptoken INTEGER NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    kamerstukdossier_id TEXT,
    nummer TEXT,
    soort TEXT,
    onderwerp TEXT,
    gestart_op TEXT,
    organisatie TEXT,
    titel TEXT,
    citeertitel TEXT,
    alias TEXT,
    grondslagvoorhang TEXT,
    termijn TEXT,
    vergaderjaar TEXT,
    volgnummer INTEGER,
    status TEXT,
    huidige_behandelstatus TEXT,
    afgedaan INTEGER,
    groot_project INTEGER,
    kabinetsappreciatie TEXT,
    extra TEXT
);
CREATE INDEX zaak_kamerstukdossier_id ON zaak (kamerstukdossier_id);
CREATE INDEX zaak_nummer ON zaak (nummer);
CREATE INDEX zaak_soort ON zaak (soort);
CREATE TABLE zaakactor (
    id TEXT PRIMARY KEY,
    skiptoken INTEGER NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    zaak_id TEXT,
    persoon_id TEXT,
    fractie_id TEXT,
    commissie_id TEXT,
    actor_naam TEXT,
    actor_fractie TEXT,
    actor_afkorting TEXT,
    functie TEXT,
    relatie TEXT,
    sid_actor TEXT,
    extra TEXT
);
CREATE INDEX zaakactor_zaak_id ON zaakactor (zaak_id);
CREATE INDEX zaakactor_persoon_id ON zaakactor (persoon_id);
CREATE INDEX zaakactor_fractie_id ON zaakactor (fractie_id);
CREATE INDEX zaakactor_commissie_id ON zaakactor (commissie_id);
CREATE TABLE besluit (
    id TEXT PRIMARY KEY,
    skiptoken INTEGER NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    agendapunt_id TEXT,
    stemmings_soort TEXT,
    besluit_soort TEXT,
    besluit_tekst TEXT,
    opmerking TEXT,
    status TEXT,
    agendapunt_zaak_besluit_volgorde INTEGER,
    extra TEXT
);
CREATE INDEX besluit_agendapunt_id ON besluit (agendapunt_id);
CREATE TABLE stemming (
    id TEXT PRIMARY KEY,
    skiptoken INTEGER NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    besluit_id TEXT,
    persoon_id TEXT,
    fractie_id TEXT,
    soort TEXT,
    fractie_grootte INTEGER,
    actor_naam TEXT,
    actor_fractie TEXT,
    vergissing INTEGER,
    sid_actor_lid TEXT,
    sid_actor_fractie TEXT,
    extra TEXT
);
CREATE INDEX stemming_besluit_id ON stemming (besluit_id);
CREATE INDEX stemming_persoon_id ON stemming (persoon_id);
CREATE INDEX stemming_fractie_id ON stemming (fractie_id);
CREATE INDEX stemming_soort ON stemming (soort);
CREATE TABLE document (
    id TEXT PRIMARY KEY,
    skiptoken INTEGER NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    enclosure TEXT,
    content_type TEXT,
    content_length INTEGER,
    huidige_document_versie_id TEXT,
    kamerstukdossier_id TEXT,
    soort TEXT,
    document_nummer TEXT,
    titel TEXT,
    onderwerp TEXT,
    datum TEXT,
    volgnummer INTEGER,
    vergaderjaar TEXT,
    kamer INTEGER,
    citeertitel TEXT,
    alias TEXT,
    datum_registratie TEXT,
    datum_ontvangst TEXT,
    aanhangselnummer TEXT,
    kenmerk_afzender TEXT,
    organisatie TEXT,
    extra TEXT
);
CREATE INDEX document_huidige_document_versie_id ON document (huidige_document_versie_id);
CREATE INDEX document_kamerstukdossier_id ON document (kamerstukdossier_id);
CREATE INDEX document_soort ON document (soort);
CREATE INDEX document_document_nummer ON document (document_nummer);
CREATE INDEX document_datum ON document (datum);
CREATE TABLE documentversie (
    id TEXT PRIMARY KEY,
    skiptoken INTEGER NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    document_id TEXT,
    status TEXT,
    versienummer INTEGER,
    bestandsgrootte INTEGER,
    extensie TEXT,
    datum TEXT,
    externeidentifier TEXT,
    extra TEXT
);
CREATE INDEX documentversie_document_id ON documentversie (document_id);
CREATE INDEX documentversie_datum ON documentversie (datum);
CREATE TABLE documentactor (
    id TEXT PRIMARY KEY,
    skiptoken INTEGER NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    document_id TEXT,
    persoon_id TEXT,
    fractie_id TEXT,
    commissie_id TEXT,
    actor_naam TEXT,
    actor_fractie TEXT,
    functie TEXT,
    relatie TEXT,
    sid_actor TEXT,
    extra TEXT
);
CREATE INDEX documentactor_document_id ON documentactor (document_id);
CREATE INDEX documentactor_persoon_id ON documentactor (persoon_id);
CREATE INDEX documentactor_fractie_id ON documentactor (fractie_id);
CREATE INDEX documentactor_commissie_id ON documentactor (commissie_id);
CREATE TABLE vergadering (
    id TEXT PRIMARY KEY,
    skiptoken INTEGER NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    soort TEXT,
    titel TEXT,
    zaal TEXT,
    vergaderjaar TEXT,
    vergadering_nummer INTEGER,
    datum TEXT,
    aanvangstijd TEXT,
    sluiting TEXT,
    kamer TEXT,
    extra TEXT
);
CREATE INDEX vergadering_soort ON vergadering (soort);
CREATE INDEX vergadering_datum ON vergadering (datum);
CREATE TABLE verslag (
    id TEXT PRIMARY KEY,
    skiptoken INTEGER NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    enclosure TEXT,
    content_type TEXT,
    content_length INTEGER,
    vergadering_id TEXT,
    soort TEXT,
    status TEXT,
    extra TEXT
);
CREATE INDEX verslag_vergadering_id ON verslag (vergadering_id);
CREATE INDEX verslag_soort ON verslag (soort);
CREATE TABLE toezegging (
    id TEXT PRIMARY KEY,
    skiptoken INTEGER NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    toegezegd_aan_fractie_id TEXT,
    toegezegd_aan_persoon_id TEXT,
    aanmaakdatum TEXT,
    nummer TEXT,
    activiteit_id TEXT,
    activiteit_nummer TEXT,
    naam TEXT,
    achternaam TEXT,
    initialen TEXT,
    tussenvoegsel TEXT,
    voornaam TEXT,
    achtervoegsel TEXT,
    titulatuur TEXT,
    functie TEXT,
    status TEXT,
    datum_nakoming TEXT,
    kamerbrief_nakoming TEXT,
    ministerie TEXT,
    tekst TEXT,
    extra TEXT
);
CREATE INDEX toezegging_toegezegd_aan_fractie_id ON toezegging (toegezegd_aan_fractie_id);
CREATE INDEX toezegging_toegezegd_aan_persoon_id ON toezegging (toegezegd_aan_persoon_id);
CREATE INDEX toezegging_nummer ON toezegging (nummer);
CREATE INDEX toezegging_activiteit_id ON toezegging (activiteit_id);
CREATE TABLE link (
    src_id       TEXT NOT NULL,
    relation     TEXT NOT NULL,
    pos          INTEGER NOT NULL,
    src_category TEXT NOT NULL,
    dst_id       TEXT NOT NULL,
    bijgewerkt   TEXT,
    PRIMARY KEY (src_id, relation, pos)
) WITHOUT ROWID;
CREATE INDEX link_dst ON link (dst_id, src_category, relation);
CREATE INDEX zaak_soort_afgedaan ON zaak (soort, afgedaan);
CREATE INDEX toezegging_status ON toezegging (status);
CREATE TABLE resource_file (
    entity_id    TEXT NOT NULL,
    version      INTEGER NOT NULL,
    category     TEXT NOT NULL,
    path         TEXT NOT NULL,
    size         INTEGER NOT NULL,
    content_type TEXT,
    fetched_at   TEXT NOT NULL,
    PRIMARY KEY (entity_id, version)
);
CREATE TABLE resource_failure (
    entity_id    TEXT PRIMARY KEY,
    category     TEXT NOT NULL,
    url          TEXT NOT NULL,
    reason       TEXT NOT NULL,
    attempts     INTEGER NOT NULL,
    last_attempt TEXT NOT NULL,
    retry_after  TEXT
);
CREATE TABLE conversion (
    entity_id    TEXT PRIMARY KEY,
    category     TEXT NOT NULL,
    version      INTEGER NOT NULL,
    method       TEXT NOT NULL,
    text         TEXT,
    html         TEXT,
    failure      TEXT,
    pages        INTEGER,
    converted_at TEXT NOT NULL
);
CREATE INDEX conversion_failure ON conversion (failure) WHERE failure IS NOT NULL;
CREATE TABLE account (
    id         INTEGER PRIMARY KEY,
    email      TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
, feed_generation INTEGER NOT NULL DEFAULT 0);
CREATE TABLE auth_token (
    token_hash TEXT PRIMARY KEY,
    purpose    TEXT NOT NULL,
    email      TEXT NOT NULL,
    ip         TEXT,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
);
CREATE INDEX auth_token_email ON auth_token (email, created_at);
CREATE INDEX auth_token_ip ON auth_token (ip, created_at);
CREATE TABLE session (
    token_hash TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX session_account ON session (account_id);
CREATE TABLE monitor (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    value       TEXT NOT NULL,
    interval    TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    cursor      TEXT NOT NULL,
    last_run_at TEXT,
    hits        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX monitor_account ON monitor (account_id);
CREATE INDEX monitor_query ON monitor (kind, value);
CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL,
    message_id TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    message    BLOB NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    sent_at    TEXT
);
CREATE INDEX outbox_pending ON outbox (sent_at, id);
CREATE INDEX outbox_account ON outbox (account_id);
CREATE TABLE sent_item (
    account_id INTEGER NOT NULL,
    item_key   TEXT NOT NULL,
    monitor_id INTEGER,
    outbox_id  INTEGER NOT NULL, found_at TEXT, title TEXT, detail TEXT, url TEXT,
    PRIMARY KEY (account_id, item_key)
) WITHOUT ROWID;
CREATE INDEX document_skiptoken ON document (skiptoken);
CREATE INDEX documentactor_skiptoken ON documentactor (skiptoken);
CREATE INDEX activiteit_skiptoken ON activiteit (skiptoken);
CREATE INDEX toezegging_skiptoken ON toezegging (skiptoken);
CREATE TABLE search_state (
    key   TEXT PRIMARY KEY,       -- 'version': bumped by every index transaction
    value INTEGER NOT NULL
);
CREATE TABLE spreektijd_bron (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    vergadering_id TEXT NOT NULL UNIQUE,
    verslag_id     TEXT NOT NULL,
    version        INTEGER NOT NULL,
    failure        TEXT
);
CREATE TABLE spreektijd (
    vergadering_id TEXT NOT NULL,
    spreker_id     TEXT NOT NULL,
    persoon_id     TEXT,
    naam           TEXT NOT NULL,
    fractie        TEXT,
    soort          TEXT,
    woordvoerder   INTEGER NOT NULL,
    interrumpant   INTEGER NOT NULL,
    voorzitter     INTEGER NOT NULL,
    seq            INTEGER NOT NULL,
    PRIMARY KEY (vergadering_id, spreker_id)
) WITHOUT ROWID;
CREATE INDEX spreektijd_persoon ON spreektijd (persoon_id, seq);
CREATE TABLE search_doc (
    rowid     INTEGER PRIMARY KEY,  -- row_key(): day, kind, soort, n
    kind      TEXT NOT NULL,      -- document / verslag / activiteit / toezegging / geschenk / zaak
    ref       TEXT NOT NULL,      -- entity id
    version   TEXT NOT NULL,
    nummer    TEXT,               -- the number of its page (vergadering id, persoon nummer)
    titel     TEXT,
    soort     TEXT,
    datum     TEXT,
    dossier   TEXT,               -- "36800-XVI" or "36800"
    fracties  TEXT,               -- " VVD CDA " (spaces around each)
    bijgewerkt TEXT,              -- when the source last changed upstream
    UNIQUE (kind, ref)
);
CREATE TABLE search_soort (
    code  INTEGER PRIMARY KEY,    -- 1..511 (0: no soort)
    soort TEXT NOT NULL UNIQUE
);
CREATE VIRTUAL TABLE search_fts USING fts5(
    body, stem, meta, tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TABLE woo_publication (
    id                    TEXT PRIMARY KEY,
    listing_id            TEXT NOT NULL,
    listed_mutatie        TEXT,
    listed_datum          TEXT,
    listing_json          TEXT NOT NULL,
    state                 TEXT NOT NULL,
    titel                 TEXT,
    omschrijvingen        TEXT,
    openbaarmakingsdatum  TEXT,
    mutatiedatumtijd      TEXT,
    versie                INTEGER,
    verantwoordelijke     TEXT,
    verantwoordelijke_id  TEXT,
    publisher             TEXT,
    publisher_id          TEXT,
    aanbieder             TEXT,
    documentsoorten       TEXT,
    informatiecategorieen TEXT,
    themas                TEXT,
    identifiers           TEXT,
    weblocatie            TEXT,
    parent_id             TEXT,
    tk_copy               INTEGER NOT NULL DEFAULT 0,
    detail_json           TEXT,
    first_seen            TEXT NOT NULL,
    fetched_at            TEXT,
    withdrawn_at          TEXT
, position INTEGER);
CREATE INDEX woo_publication_datum ON woo_publication (openbaarmakingsdatum, id);
CREATE INDEX woo_publication_state ON woo_publication (state, listed_datum);
CREATE INDEX woo_publication_org ON woo_publication (verantwoordelijke);
CREATE INDEX woo_publication_parent ON woo_publication (parent_id);
CREATE TABLE woo_version (
    id               TEXT NOT NULL,
    seq              INTEGER NOT NULL,
    mutatiedatumtijd TEXT,
    versie           INTEGER,
    detail_json      TEXT NOT NULL,
    fetched_at       TEXT NOT NULL,
    PRIMARY KEY (id, seq)
);
CREATE TABLE woo_relation (
    id     TEXT NOT NULL,
    target TEXT NOT NULL,
    role   TEXT NOT NULL,
    titel  TEXT,
    PRIMARY KEY (id, target, role)
);
CREATE INDEX woo_relation_target ON woo_relation (target);
CREATE TABLE woo_file (
    id           TEXT NOT NULL,
    n            INTEGER NOT NULL,
    entity_id    TEXT NOT NULL,
    url          TEXT,
    label        TEXT,
    bestandsnaam TEXT,
    mime_type    TEXT,
    grootte      INTEGER,
    paginas      INTEGER,
    hash         TEXT,
    gepubliceerd INTEGER NOT NULL,
    state        TEXT NOT NULL,
    have_hash    TEXT,
    reason       TEXT,
    attempts     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (id, n)
);
CREATE INDEX woo_file_state ON woo_file (state);
CREATE INDEX woo_file_entity ON woo_file (entity_id);
CREATE TABLE woo_problem (
    key          TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    reason       TEXT NOT NULL,
    raw          TEXT,
    attempts     INTEGER NOT NULL,
    last_attempt TEXT NOT NULL
);
CREATE TABLE refused_entry (
            skiptoken INTEGER PRIMARY KEY,
            category  TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            reason    TEXT NOT NULL,
            seen_at   TEXT NOT NULL
        );
CREATE TABLE dd_day (
    day          TEXT PRIMARY KEY,
    fetched_at   TEXT NOT NULL,
    listing_hash TEXT NOT NULL,
    broadcasts   INTEGER NOT NULL,
    state        TEXT NOT NULL,
    reason       TEXT
);
CREATE TABLE dd_broadcast (
    id            TEXT PRIMARY KEY,
    day           TEXT NOT NULL,
    name          TEXT,
    slug          TEXT NOT NULL,
    location_id   TEXT NOT NULL,
    location_name TEXT NOT NULL,
    category_id   TEXT NOT NULL,
    starts_at     TEXT NOT NULL,
    ends_at       TEXT NOT NULL,
    started_at    TEXT,
    ended_at      TEXT,
    raw_json      TEXT NOT NULL
);
CREATE INDEX dd_broadcast_day ON dd_broadcast (day, id);
CREATE TABLE dd_match (
    activiteit_id TEXT PRIMARY KEY,
    day           TEXT NOT NULL,
    broadcast_id  TEXT,
    video_url     TEXT,
    embed_url     TEXT,
    name          TEXT,
    score         REAL,
    ties          INTEGER NOT NULL,
    reason        TEXT NOT NULL,
    made_from     TEXT NOT NULL,
    listing_hash  TEXT NOT NULL,
    matched_at    TEXT NOT NULL
);
CREATE INDEX dd_match_day ON dd_match (day);
CREATE TABLE op_publication (
    eid         TEXT PRIMARY KEY,
    state       TEXT NOT NULL,
    tries       INTEGER NOT NULL,
    first_try   TEXT NOT NULL,
    checked_at  TEXT NOT NULL,
    next_try    TEXT,
    reason      TEXT,
    kind        TEXT,
    xml         TEXT,
    vragen      INTEGER,
    antwoorden  INTEGER,
    vraagnummer TEXT,
    aanhangsel  TEXT,
    metadata_json TEXT
);
CREATE INDEX op_publication_next ON op_publication (state, next_try);
CREATE INDEX op_publication_vraagnummer ON op_publication (vraagnummer);
CREATE TABLE media_problem (
    key          TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    reason       TEXT NOT NULL,
    raw          TEXT,
    attempts     INTEGER NOT NULL,
    last_attempt TEXT NOT NULL
);
CREATE INDEX woo_publication_position ON woo_publication (position);
INSERT INTO schema_migration (name, applied_at) VALUES ('0001_core', '2026-12-06T00:22:13+00:00');
INSERT INTO schema_migration (name, applied_at) VALUES ('0002_mirror_tables', '2026-12-06T00:22:14+00:00');
INSERT INTO schema_migration (name, applied_at) VALUES ('0003_dashboard_indexes', '2026-12-06T00:22:14+00:00');
INSERT INTO schema_migration (name, applied_at) VALUES ('0004_documents', '2026-12-06T00:22:14+00:00');
INSERT INTO schema_migration (name, applied_at) VALUES ('0005_alerts', '2026-12-06T00:22:15+00:00');
INSERT INTO schema_migration (name, applied_at) VALUES ('0006_search', '2026-12-06T00:22:15+00:00');
INSERT INTO schema_migration (name, applied_at) VALUES ('0007_speaking', '2026-12-06T00:22:15+00:00');
INSERT INTO schema_migration (name, applied_at) VALUES ('0008_alert_feed', '2026-12-06T00:22:15+00:00');
INSERT INTO schema_migration (name, applied_at) VALUES ('0009_search_keys', '2026-12-06T00:22:15+00:00');
INSERT INTO schema_migration (name, applied_at) VALUES ('0010_search_fractie_tokens', '2026-12-06T00:22:15+00:00');
INSERT INTO schema_migration (name, applied_at) VALUES ('0011_woo', '2026-12-06T00:22:15+00:00');
INSERT INTO schema_migration (name, applied_at) VALUES ('0012_refused_entry', '2026-12-06T00:22:15+00:00');
INSERT INTO schema_migration (name, applied_at) VALUES ('0013_media', '2026-12-06T00:22:15+00:00');
INSERT INTO schema_migration (name, applied_at) VALUES ('0014_woo_position', '2026-12-06T00:22:15+00:00');
