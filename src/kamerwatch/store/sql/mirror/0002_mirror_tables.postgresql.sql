CREATE TABLE persoon (
    id TEXT PRIMARY KEY,
    skiptoken BIGINT NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    enclosure TEXT,
    content_type TEXT,
    content_length BIGINT,
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

CREATE INDEX persoon_nummer ON persoon (nummer NULLS FIRST);

CREATE TABLE persooncontactinformatie (
    id TEXT PRIMARY KEY,
    skiptoken BIGINT NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    persoon_id TEXT,
    soort TEXT,
    waarde TEXT,
    gewicht BIGINT,
    extra TEXT
);

CREATE INDEX persooncontactinformatie_persoon_id ON persooncontactinformatie (persoon_id NULLS FIRST);

CREATE INDEX persooncontactinformatie_soort ON persooncontactinformatie (soort NULLS FIRST);

CREATE TABLE persoongeschenk (
    id TEXT PRIMARY KEY,
    skiptoken BIGINT NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    persoon_id TEXT,
    omschrijving TEXT,
    datum TEXT,
    gewicht BIGINT,
    extra TEXT
);

CREATE INDEX persoongeschenk_persoon_id ON persoongeschenk (persoon_id NULLS FIRST);

CREATE INDEX persoongeschenk_datum ON persoongeschenk (datum NULLS FIRST);

CREATE TABLE persoonloopbaan (
    id TEXT PRIMARY KEY,
    skiptoken BIGINT NOT NULL,
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
    gewicht BIGINT,
    extra TEXT
);

CREATE INDEX persoonloopbaan_persoon_id ON persoonloopbaan (persoon_id NULLS FIRST);

CREATE TABLE persoonnevenfunctie (
    id TEXT PRIMARY KEY,
    skiptoken BIGINT NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    persoon_id TEXT,
    omschrijving TEXT,
    is_actief BIGINT,
    periode_van TEXT,
    periode_tot_en_met TEXT,
    vergoeding_soort TEXT,
    vergoeding_toelichting TEXT,
    gewicht BIGINT,
    extra TEXT
);

CREATE INDEX persoonnevenfunctie_persoon_id ON persoonnevenfunctie (persoon_id NULLS FIRST);

CREATE TABLE persoonnevenfunctieinkomsten (
    id TEXT PRIMARY KEY,
    skiptoken BIGINT NOT NULL,
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

CREATE INDEX persoonnevenfunctieinkomsten_persoon_nevenfunctie_id ON persoonnevenfunctieinkomsten (persoon_nevenfunctie_id NULLS FIRST);

CREATE TABLE persoononderwijs (
    id TEXT PRIMARY KEY,
    skiptoken BIGINT NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    persoon_id TEXT,
    opleiding_nl TEXT,
    opleiding_en TEXT,
    instelling TEXT,
    plaats TEXT,
    van TEXT,
    tot_en_met TEXT,
    gewicht BIGINT,
    extra TEXT
);

CREATE INDEX persoononderwijs_persoon_id ON persoononderwijs (persoon_id NULLS FIRST);

CREATE TABLE persoonreis (
    id TEXT PRIMARY KEY,
    skiptoken BIGINT NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    persoon_id TEXT,
    doel TEXT,
    bestemming TEXT,
    van TEXT,
    tot_en_met TEXT,
    betaald_door TEXT,
    gewicht BIGINT,
    extra TEXT
);

CREATE INDEX persoonreis_persoon_id ON persoonreis (persoon_id NULLS FIRST);

CREATE TABLE fractie (
    id TEXT PRIMARY KEY,
    skiptoken BIGINT NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    enclosure TEXT,
    content_type TEXT,
    content_length BIGINT,
    nummer TEXT,
    afkorting TEXT,
    naam_nl TEXT,
    naam_en TEXT,
    aantal_zetels BIGINT,
    aantal_stemmen BIGINT,
    datum_actief TEXT,
    datum_inactief TEXT,
    extra TEXT
);

CREATE INDEX fractie_nummer ON fractie (nummer NULLS FIRST);

CREATE TABLE fractiezetel (
    id TEXT PRIMARY KEY,
    skiptoken BIGINT NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    fractie_id TEXT,
    gewicht BIGINT,
    extra TEXT
);

CREATE INDEX fractiezetel_fractie_id ON fractiezetel (fractie_id NULLS FIRST);

CREATE TABLE fractiezetelpersoon (
    id TEXT PRIMARY KEY,
    skiptoken BIGINT NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    fractie_zetel_id TEXT,
    persoon_id TEXT,
    functie TEXT,
    van TEXT,
    tot_en_met TEXT,
    extra TEXT
);

CREATE INDEX fractiezetelpersoon_fractie_zetel_id ON fractiezetelpersoon (fractie_zetel_id NULLS FIRST);

CREATE INDEX fractiezetelpersoon_persoon_id ON fractiezetelpersoon (persoon_id NULLS FIRST);

CREATE TABLE fractiezetelvacature (
    id TEXT PRIMARY KEY,
    skiptoken BIGINT NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    fractie_zetel_id TEXT,
    functie TEXT,
    van TEXT,
    tot_en_met TEXT,
    extra TEXT
);

CREATE INDEX fractiezetelvacature_fractie_zetel_id ON fractiezetelvacature (fractie_zetel_id NULLS FIRST);

CREATE TABLE commissie (
    id TEXT PRIMARY KEY,
    skiptoken BIGINT NOT NULL,
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

CREATE INDEX commissie_nummer ON commissie (nummer NULLS FIRST);

CREATE INDEX commissie_soort ON commissie (soort NULLS FIRST);

CREATE TABLE commissiecontactinformatie (
    id TEXT PRIMARY KEY,
    skiptoken BIGINT NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    commissie_id TEXT,
    soort TEXT,
    waarde TEXT,
    gewicht BIGINT,
    extra TEXT
);

CREATE INDEX commissiecontactinformatie_commissie_id ON commissiecontactinformatie (commissie_id NULLS FIRST);

CREATE INDEX commissiecontactinformatie_soort ON commissiecontactinformatie (soort NULLS FIRST);

CREATE TABLE commissiezetel (
    id TEXT PRIMARY KEY,
    skiptoken BIGINT NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    commissie_id TEXT,
    gewicht BIGINT,
    extra TEXT
);

CREATE INDEX commissiezetel_commissie_id ON commissiezetel (commissie_id NULLS FIRST);

CREATE TABLE commissiezetelvastpersoon (
    id TEXT PRIMARY KEY,
    skiptoken BIGINT NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    commissie_zetel_id TEXT,
    persoon_id TEXT,
    functie TEXT,
    van TEXT,
    tot_en_met TEXT,
    extra TEXT
);

CREATE INDEX commissiezetelvastpersoon_commissie_zetel_id ON commissiezetelvastpersoon (commissie_zetel_id NULLS FIRST);

CREATE INDEX commissiezetelvastpersoon_persoon_id ON commissiezetelvastpersoon (persoon_id NULLS FIRST);

CREATE TABLE commissiezetelvastvacature (
    id TEXT PRIMARY KEY,
    skiptoken BIGINT NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    commissie_zetel_id TEXT,
    fractie_id TEXT,
    functie TEXT,
    van TEXT,
    tot_en_met TEXT,
    extra TEXT
);

CREATE INDEX commissiezetelvastvacature_commissie_zetel_id ON commissiezetelvastvacature (commissie_zetel_id NULLS FIRST);

CREATE INDEX commissiezetelvastvacature_fractie_id ON commissiezetelvastvacature (fractie_id NULLS FIRST);

CREATE TABLE commissiezetelvervangerpersoon (
    id TEXT PRIMARY KEY,
    skiptoken BIGINT NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    commissie_zetel_id TEXT,
    persoon_id TEXT,
    functie TEXT,
    van TEXT,
    tot_en_met TEXT,
    extra TEXT
);

CREATE INDEX commissiezetelvervangerpersoon_commissie_zetel_id ON commissiezetelvervangerpersoon (commissie_zetel_id NULLS FIRST);

CREATE INDEX commissiezetelvervangerpersoon_persoon_id ON commissiezetelvervangerpersoon (persoon_id NULLS FIRST);

CREATE TABLE commissiezetelvervangervacature (
    id TEXT PRIMARY KEY,
    skiptoken BIGINT NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    commissie_zetel_id TEXT,
    fractie_id TEXT,
    functie TEXT,
    van TEXT,
    tot_en_met TEXT,
    extra TEXT
);

CREATE INDEX commissiezetelvervangervacature_commissie_zetel_id ON commissiezetelvervangervacature (commissie_zetel_id NULLS FIRST);

CREATE INDEX commissiezetelvervangervacature_fractie_id ON commissiezetelvervangervacature (fractie_id NULLS FIRST);

CREATE TABLE zaal (
    id TEXT PRIMARY KEY,
    skiptoken BIGINT NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    naam TEXT,
    sys_code BIGINT,
    extra TEXT
);

CREATE TABLE kamerstukdossier (
    id TEXT PRIMARY KEY,
    skiptoken BIGINT NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    titel TEXT,
    citeertitel TEXT,
    alias TEXT,
    nummer BIGINT,
    toevoeging TEXT,
    hoogste_volgnummer BIGINT,
    afgesloten BIGINT,
    kamer TEXT,
    extra TEXT
);

CREATE INDEX kamerstukdossier_nummer ON kamerstukdossier (nummer NULLS FIRST);

CREATE TABLE activiteit (
    id TEXT PRIMARY KEY,
    skiptoken BIGINT NOT NULL,
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
    besloten BIGINT,
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

CREATE INDEX activiteit_voortouwcommissie_id ON activiteit (voortouwcommissie_id NULLS FIRST);

CREATE INDEX activiteit_soort ON activiteit (soort NULLS FIRST);

CREATE INDEX activiteit_nummer ON activiteit (nummer NULLS FIRST);

CREATE INDEX activiteit_datum ON activiteit (datum NULLS FIRST);

CREATE TABLE activiteitactor (
    id TEXT PRIMARY KEY,
    skiptoken BIGINT NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    activiteit_id TEXT,
    persoon_id TEXT,
    fractie_id TEXT,
    commissie_id TEXT,
    actor_naam TEXT,
    actor_fractie TEXT,
    relatie TEXT,
    volgorde BIGINT,
    functie TEXT,
    spreektijd TEXT,
    sid_actor TEXT,
    extra TEXT
);

CREATE INDEX activiteitactor_activiteit_id ON activiteitactor (activiteit_id NULLS FIRST);

CREATE INDEX activiteitactor_persoon_id ON activiteitactor (persoon_id NULLS FIRST);

CREATE INDEX activiteitactor_fractie_id ON activiteitactor (fractie_id NULLS FIRST);

CREATE INDEX activiteitactor_commissie_id ON activiteitactor (commissie_id NULLS FIRST);

CREATE TABLE reservering (
    id TEXT PRIMARY KEY,
    skiptoken BIGINT NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    zaal_id TEXT,
    nummer TEXT,
    status_code TEXT,
    status_naam TEXT,
    activiteit_nummer TEXT,
    extra TEXT
);

CREATE INDEX reservering_zaal_id ON reservering (zaal_id NULLS FIRST);

CREATE INDEX reservering_nummer ON reservering (nummer NULLS FIRST);

CREATE TABLE agendapunt (
    id TEXT PRIMARY KEY,
    skiptoken BIGINT NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    activiteit_id TEXT,
    nummer TEXT,
    onderwerp TEXT,
    aanvangstijd TEXT,
    eindtijd TEXT,
    volgorde BIGINT,
    rubriek TEXT,
    noot TEXT,
    status TEXT,
    extra TEXT
);

CREATE INDEX agendapunt_activiteit_id ON agendapunt (activiteit_id NULLS FIRST);

CREATE INDEX agendapunt_nummer ON agendapunt (nummer NULLS FIRST);

CREATE TABLE zaak (
    id TEXT PRIMARY KEY,
    skiptoken BIGINT NOT NULL,
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
    volgnummer BIGINT,
    status TEXT,
    huidige_behandelstatus TEXT,
    afgedaan BIGINT,
    groot_project BIGINT,
    kabinetsappreciatie TEXT,
    extra TEXT
);

CREATE INDEX zaak_kamerstukdossier_id ON zaak (kamerstukdossier_id NULLS FIRST);

CREATE INDEX zaak_nummer ON zaak (nummer NULLS FIRST);

CREATE INDEX zaak_soort ON zaak (soort NULLS FIRST);

CREATE TABLE zaakactor (
    id TEXT PRIMARY KEY,
    skiptoken BIGINT NOT NULL,
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

CREATE INDEX zaakactor_zaak_id ON zaakactor (zaak_id NULLS FIRST);

CREATE INDEX zaakactor_persoon_id ON zaakactor (persoon_id NULLS FIRST);

CREATE INDEX zaakactor_fractie_id ON zaakactor (fractie_id NULLS FIRST);

CREATE INDEX zaakactor_commissie_id ON zaakactor (commissie_id NULLS FIRST);

CREATE TABLE besluit (
    id TEXT PRIMARY KEY,
    skiptoken BIGINT NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    agendapunt_id TEXT,
    stemmings_soort TEXT,
    besluit_soort TEXT,
    besluit_tekst TEXT,
    opmerking TEXT,
    status TEXT,
    agendapunt_zaak_besluit_volgorde BIGINT,
    extra TEXT
);

CREATE INDEX besluit_agendapunt_id ON besluit (agendapunt_id NULLS FIRST);

CREATE TABLE stemming (
    id TEXT PRIMARY KEY,
    skiptoken BIGINT NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    besluit_id TEXT,
    persoon_id TEXT,
    fractie_id TEXT,
    soort TEXT,
    fractie_grootte BIGINT,
    actor_naam TEXT,
    actor_fractie TEXT,
    vergissing BIGINT,
    sid_actor_lid TEXT,
    sid_actor_fractie TEXT,
    extra TEXT
);

CREATE INDEX stemming_besluit_id ON stemming (besluit_id NULLS FIRST);

CREATE INDEX stemming_persoon_id ON stemming (persoon_id NULLS FIRST);

CREATE INDEX stemming_fractie_id ON stemming (fractie_id NULLS FIRST);

CREATE INDEX stemming_soort ON stemming (soort NULLS FIRST);

CREATE TABLE document (
    id TEXT PRIMARY KEY,
    skiptoken BIGINT NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    enclosure TEXT,
    content_type TEXT,
    content_length BIGINT,
    huidige_document_versie_id TEXT,
    kamerstukdossier_id TEXT,
    soort TEXT,
    document_nummer TEXT,
    titel TEXT,
    onderwerp TEXT,
    datum TEXT,
    volgnummer BIGINT,
    vergaderjaar TEXT,
    kamer BIGINT,
    citeertitel TEXT,
    alias TEXT,
    datum_registratie TEXT,
    datum_ontvangst TEXT,
    aanhangselnummer TEXT,
    kenmerk_afzender TEXT,
    organisatie TEXT,
    extra TEXT
);

CREATE INDEX document_huidige_document_versie_id ON document (huidige_document_versie_id NULLS FIRST);

CREATE INDEX document_kamerstukdossier_id ON document (kamerstukdossier_id NULLS FIRST);

CREATE INDEX document_soort ON document (soort NULLS FIRST);

CREATE INDEX document_document_nummer ON document (document_nummer NULLS FIRST);

CREATE INDEX document_datum ON document (datum NULLS FIRST);

CREATE TABLE documentversie (
    id TEXT PRIMARY KEY,
    skiptoken BIGINT NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    document_id TEXT,
    status TEXT,
    versienummer BIGINT,
    bestandsgrootte BIGINT,
    extensie TEXT,
    datum TEXT,
    externeidentifier TEXT,
    extra TEXT
);

CREATE INDEX documentversie_document_id ON documentversie (document_id NULLS FIRST);

CREATE INDEX documentversie_datum ON documentversie (datum NULLS FIRST);

CREATE TABLE documentactor (
    id TEXT PRIMARY KEY,
    skiptoken BIGINT NOT NULL,
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

CREATE INDEX documentactor_document_id ON documentactor (document_id NULLS FIRST);

CREATE INDEX documentactor_persoon_id ON documentactor (persoon_id NULLS FIRST);

CREATE INDEX documentactor_fractie_id ON documentactor (fractie_id NULLS FIRST);

CREATE INDEX documentactor_commissie_id ON documentactor (commissie_id NULLS FIRST);

CREATE TABLE vergadering (
    id TEXT PRIMARY KEY,
    skiptoken BIGINT NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    soort TEXT,
    titel TEXT,
    zaal TEXT,
    vergaderjaar TEXT,
    vergadering_nummer BIGINT,
    datum TEXT,
    aanvangstijd TEXT,
    sluiting TEXT,
    kamer TEXT,
    extra TEXT
);

CREATE INDEX vergadering_soort ON vergadering (soort NULLS FIRST);

CREATE INDEX vergadering_datum ON vergadering (datum NULLS FIRST);

CREATE TABLE verslag (
    id TEXT PRIMARY KEY,
    skiptoken BIGINT NOT NULL,
    updated TEXT,
    bijgewerkt TEXT,
    enclosure TEXT,
    content_type TEXT,
    content_length BIGINT,
    vergadering_id TEXT,
    soort TEXT,
    status TEXT,
    extra TEXT
);

CREATE INDEX verslag_vergadering_id ON verslag (vergadering_id NULLS FIRST);

CREATE INDEX verslag_soort ON verslag (soort NULLS FIRST);

CREATE TABLE toezegging (
    id TEXT PRIMARY KEY,
    skiptoken BIGINT NOT NULL,
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

CREATE INDEX toezegging_toegezegd_aan_fractie_id ON toezegging (toegezegd_aan_fractie_id NULLS FIRST);

CREATE INDEX toezegging_toegezegd_aan_persoon_id ON toezegging (toegezegd_aan_persoon_id NULLS FIRST);

CREATE INDEX toezegging_nummer ON toezegging (nummer NULLS FIRST);

CREATE INDEX toezegging_activiteit_id ON toezegging (activiteit_id NULLS FIRST);

CREATE TABLE link (
    src_id       TEXT NOT NULL,
    relation     TEXT NOT NULL,
    pos          BIGINT NOT NULL,
    src_category TEXT NOT NULL,
    dst_id       TEXT NOT NULL,
    bijgewerkt   TEXT,
    PRIMARY KEY (src_id, relation, pos)
);

CREATE INDEX link_dst ON link (dst_id NULLS FIRST, src_category NULLS FIRST, relation NULLS FIRST);
