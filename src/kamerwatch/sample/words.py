"""Word lists for the sample parliament's texts: policy themes, ministries, phrases.

Pure data. The texts are invented; party, ministry and committee names are real, people are
not (names come from the caller). Every theme carries the ministry that answers for it and the
words its documents are written with.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Theme:
    """A policy field: who answers for it and what its documents talk about."""

    naam: str  # "stikstof"
    ministerie: str  # "Landbouw, Visserij, Voedselzekerheid en Natuur"
    commissie: str  # "vaste commissie voor Landbouw, Visserij, Voedselzekerheid en Natuur"
    onderwerpen: tuple[str, ...]  # noun phrases: "de uitkoopregeling voor piekbelasters"
    partijen: tuple[str, ...]  # stakeholders: "provincies", "boerenorganisaties"
    stammen: tuple[str, ...]  # first parts of invented compound words


THEMES: tuple[Theme, ...] = (
    Theme(
        "stikstof",
        "Landbouw, Visserij, Voedselzekerheid en Natuur",
        "vaste commissie voor Landbouw, Visserij, Voedselzekerheid en Natuur",
        (
            "de uitkoopregeling voor piekbelasters",
            "de stikstofdepositie op Natura 2000-gebieden",
            "het rekenmodel voor emissies uit stallen",
            "de vergunningverlening voor boerenbedrijven",
            "de natuurherstelopgave in de provincies",
        ),
        ("provincies", "boerenorganisaties", "natuurorganisaties", "waterschappen"),
        ("stikstof", "veenweide", "kwelder", "mestplaatsing", "heischraal", "grasland"),
    ),
    Theme(
        "woningbouw",
        "Volkshuisvesting en Ruimtelijke Ordening",
        "vaste commissie voor Volkshuisvesting en Ruimtelijke Ordening",
        (
            "de bouw van betaalbare huurwoningen",
            "de doorstroming op de woningmarkt",
            "de regionale woondeals",
            "de huurbescherming van middeninkomens",
            "de versnelling van bouwprocedures",
        ),
        ("gemeenten", "woningcorporaties", "projectontwikkelaars", "huurdersorganisaties"),
        ("woningbouw", "bouwstroom", "huurpunt", "optopping", "splitsings", "kavelruil"),
    ),
    Theme(
        "jeugdzorg",
        "Volksgezondheid, Welzijn en Sport",
        "vaste commissie voor Volksgezondheid, Welzijn en Sport",
        (
            "de wachtlijsten in de jeugdzorg",
            "de hervormingsagenda jeugd",
            "de inkoop van specialistische jeugdhulp",
            "de positie van pleegouders",
            "de uithuisplaatsingen van kinderen",
        ),
        ("gemeenten", "jeugdzorgaanbieders", "pleegzorgorganisaties", "de inspectie"),
        ("jeugdhulp", "pleegzorg", "gezinshuis", "wijkteam", "zorgroute", "opvoedsteun"),
    ),
    Theme(
        "defensie",
        "Defensie",
        "vaste commissie voor Defensie",
        (
            "de werving en het behoud van militair personeel",
            "de aanschaf van nieuwe fregatten",
            "de munitievoorraden van de krijgsmacht",
            "de steun aan Oekraïne",
            "de bijdrage aan de NAVO-norm",
        ),
        ("de NAVO", "de defensie-industrie", "reservisten", "bondgenoten"),
        ("munitie", "reservisten", "kazerne", "fregat", "vlootplan", "oefenterrein"),
    ),
    Theme(
        "klimaat",
        "Klimaat en Groene Groei",
        "vaste commissie voor Klimaat en Groene Groei",
        (
            "de uitrol van warmtenetten",
            "de netcongestie op het elektriciteitsnet",
            "de subsidie voor zonnepanelen op daken",
            "de verduurzaming van de industrie",
            "de opslag van CO₂ onder de Noordzee",
        ),
        ("netbeheerders", "energiecoöperaties", "de industrie", "huishoudens"),
        ("warmtenet", "netcongestie", "laadpaal", "waterstof", "zonnedak", "aardwarmte"),
    ),
    Theme(
        "onderwijs",
        "Onderwijs, Cultuur en Wetenschap",
        "vaste commissie voor Onderwijs, Cultuur en Wetenschap",
        (
            "het lerarentekort in het basisonderwijs",
            "de basisvaardigheden van leerlingen",
            "de bekostiging van het middelbaar beroepsonderwijs",
            "de internationalisering van het hoger onderwijs",
            "de kansengelijkheid bij de schoolkeuze",
        ),
        ("schoolbesturen", "leraren", "ouders", "de onderwijsinspectie"),
        ("lerarentekort", "leesvaardigheid", "schooladvies", "studiefinanciering", "stage"),
    ),
    Theme(
        "zorg",
        "Volksgezondheid, Welzijn en Sport",
        "vaste commissie voor Volksgezondheid, Welzijn en Sport",
        (
            "het eigen risico in de zorgverzekering",
            "de personeelstekorten in de ouderenzorg",
            "de bereikbaarheid van spoedeisende hulp",
            "de wachttijden in de ggz",
            "de prijzen van geneesmiddelen",
        ),
        ("zorgverzekeraars", "ziekenhuizen", "huisartsen", "patiëntenorganisaties"),
        ("mantelzorg", "wijkverpleging", "huisartsenpost", "ggz", "zorgkantoor"),
    ),
    Theme(
        "asiel",
        "Asiel en Migratie",
        "vaste commissie voor Asiel en Migratie",
        (
            "de opvang van asielzoekers",
            "de huisvesting van statushouders",
            "de doorlooptijden bij de IND",
            "de terugkeer van uitgeprocedeerde vreemdelingen",
            "de spreiding van opvangplekken over gemeenten",
        ),
        ("het COA", "de IND", "gemeenten", "vluchtelingenorganisaties"),
        ("statushouder", "opvanglocatie", "nareis", "aanmeld", "spreidings"),
    ),
    Theme(
        "veiligheid",
        "Justitie en Veiligheid",
        "vaste commissie voor Justitie en Veiligheid",
        (
            "de capaciteit van de politie",
            "de aanpak van ondermijnende criminaliteit",
            "de achterstanden in de strafrechtketen",
            "de bescherming van vitale infrastructuur",
            "de aanpak van online oplichting",
        ),
        ("de politie", "het Openbaar Ministerie", "de rechtspraak", "slachtofferhulp"),
        ("wijkagent", "strafzaak", "ondermijning", "cybercrime", "reclassering"),
    ),
    Theme(
        "werk",
        "Sociale Zaken en Werkgelegenheid",
        "vaste commissie voor Sociale Zaken en Werkgelegenheid",
        (
            "de hoogte van het minimumloon",
            "de vereenvoudiging van de toeslagen",
            "de positie van flexwerkers",
            "de arbeidsmarktkrapte in technische beroepen",
            "de schuldhulpverlening aan huishoudens",
        ),
        ("werkgevers", "vakbonden", "het UWV", "gemeenten"),
        ("huurtoeslag", "bijstand", "flexwerk", "omscholing", "loonkosten"),
    ),
    Theme(
        "water",
        "Infrastructuur en Waterstaat",
        "vaste commissie voor Infrastructuur en Waterstaat",
        (
            "de versterking van de dijken langs de grote rivieren",
            "de droogte en de verzilting van grondwater",
            "het onderhoud van bruggen en sluizen",
            "de kwaliteit van het oppervlaktewater",
            "de bereikbaarheid van het openbaar vervoer in de regio",
        ),
        ("waterschappen", "Rijkswaterstaat", "vervoerders", "provincies"),
        ("grondwater", "dijkvak", "zoetwater", "sluiscomplex", "spoorboekje", "zeewier"),
    ),
    Theme(
        "financien",
        "Financiën",
        "vaste commissie voor Financiën",
        (
            "de vermogensrendementsheffing in box 3",
            "het toezicht op banken",
            "de uitvoeringsproblemen bij de Belastingdienst",
            "de herstelregeling voor gedupeerde ouders",
            "de staatsschuld en de begrotingsregels",
        ),
        ("de Belastingdienst", "De Nederlandsche Bank", "banken", "belastingadviseurs"),
        ("box3", "fiscaliteit", "heffings", "aangifte", "toeslagenherstel"),
    ),
    Theme(
        "digitaal",
        "Binnenlandse Zaken en Koninkrijksrelaties",
        "vaste commissie voor Digitale Zaken",
        (
            "het gebruik van algoritmes door de overheid",
            "de digitale weerbaarheid van gemeenten",
            "de bescherming van persoonsgegevens",
            "de toegankelijkheid van overheidswebsites",
            "de afhankelijkheid van Amerikaanse clouddiensten",
        ),
        ("gemeenten", "de Autoriteit Persoonsgegevens", "burgers", "leveranciers"),
        ("algoritme", "datakluis", "cloud", "inlog", "registerbeheer"),
    ),
)

# Second and third parts of invented compound nouns ("grondwater" + "boekhouding").
COMPOUND_MIDDLES: tuple[str, ...] = (
    "",
    "beleids",
    "registratie",
    "monitorings",
    "compensatie",
    "financierings",
    "handhavings",
    "uitvoerings",
    "transitie",
    "toezicht",
    "verdeel",
)
COMPOUND_TAILS: tuple[str, ...] = (
    "nota",
    "boekhouding",
    "regeling",
    "kader",
    "protocol",
    "fonds",
    "index",
    "loket",
    "toets",
    "agenda",
    "register",
    "pilot",
    "kaart",
    "akkoord",
    "scan",
    "plafond",
)

# Tails that take "het" (the rest take "de").
HET_TAILS: frozenset[str] = frozenset(
    {"kader", "protocol", "fonds", "loket", "register", "akkoord", "plafond"}
)

KAMER = "Tweede Kamer der Staten-Generaal"
VOORZITTER_KAMER = "de Voorzitter van de Tweede Kamer der Staten-Generaal"

MEDIA = ("NOS", "de Volkskrant", "NRC", "Trouw", "het Financieele Dagblad", "RTL Nieuws")
BERICHT_KOPPEN = (
    "{Partij} slaan alarm over {onderwerp}",
    "Onrust over {onderwerp}",
    "Kabinet schiet tekort bij {onderwerp}",
    "Rapport: aanpak van {onderwerp} stokt",
    "Zorgen over {onderwerp} nemen toe",
)

BRIEF_OPENINGEN = (
    "Met deze brief informeer ik uw Kamer over het onderwerp ‘{onderwerp}’.",
    "Hierbij bied ik uw Kamer de brief ‘{onderwerp}’ aan.",
    "In deze brief ‘{onderwerp}’ ga ik in op {kern}, zoals toegezegd tijdens het commissiedebat.",
    "Uw Kamer heeft gevraagd om een update over {kern}. Met deze brief ‘{onderwerp}’ voldoe ik aan dat verzoek.",
)
BRIEF_ZINNEN = (
    "Het kabinet hecht groot belang aan {kern} en werkt daarbij nauw samen met {partij}.",
    "Uit de eerste evaluatie blijkt dat {kern} nog onvoldoende resultaat oplevert.",
    "Samen met {partij} verken ik de mogelijkheden om {kern} te versnellen.",
    "De uitvoering van {kern} vraagt om een zorgvuldige afweging van kosten en baten.",
    "Voor {kern} is in de begroting voor volgend jaar € {bedrag} miljoen gereserveerd.",
    "Ik ben voornemens de Kamer voor de zomer opnieuw te informeren over {kern}.",
    "Het is van belang dat {partij} tijdig worden betrokken bij {kern}.",
    "De signalen van {partij} over {kern} neem ik serieus.",
    "Een onafhankelijk onderzoek naar {kern} wordt dit najaar afgerond.",
    "In de bijlage treft u een overzicht aan van de maatregelen rond {kern}.",
)
SLOTZINNEN = (
    "Ik vertrouw erop uw Kamer hiermee voldoende te hebben geïnformeerd.",
    "Ik zal uw Kamer op de hoogte houden van de verdere ontwikkelingen.",
    "Over de voortgang informeer ik uw Kamer in de volgende voortgangsrapportage.",
)
VRAAG_ZINNEN = (
    "Bent u bekend met het bericht ‘{kop}’ ({medium}, {datum})?",
    "Hoe beoordeelt u de gevolgen van {kern} voor {partij}?",
    "Kunt u aangeven hoeveel middelen er sinds vorig jaar zijn besteed aan {kern}?",
    "Deelt u de mening dat {kern} dringend verbetering behoeft? Zo nee, waarom niet?",
    "Welke maatregelen gaat u nemen om {kern} te verbeteren?",
    "Bent u bereid om in overleg te treden met {partij} over {kern}?",
    "Kunt u deze vragen afzonderlijk en binnen drie weken beantwoorden?",
)
# The possible answers to each question of VRAAG_ZINNEN, in the same order.
ANTWOORDEN = (
    ("Ja, ik ben bekend met dit bericht.",),
    (
        "Ik deel de zorgen over {kern}. Het kabinet neemt daarom aanvullende maatregelen.",
        "De gevolgen voor {partij} zijn beperkt, maar ik volg de ontwikkelingen rond {kern} nauwgezet.",
    ),
    (
        "Precieze cijfers over {kern} zijn niet beschikbaar; ik verwijs naar de brief die uw Kamer eerder ontving.",
        "Sinds vorig jaar is ongeveer € {bedrag} miljoen besteed aan {kern}.",
    ),
    (
        "Nee, die mening deel ik niet. Er is al veel in gang gezet rond {kern}.",
        "Ja, die mening deel ik. Daarom werk ik aan een verbetering van {kern}.",
    ),
    (
        "Ik verwijs naar de maatregelen rond {kern} die ik in mijn laatste brief heb aangekondigd.",
        "Samen met {partij} werk ik aan een plan voor {kern}; dat ontvangt uw Kamer voor de zomer.",
    ),
    (
        "Ja, daartoe ben ik bereid. Ik ben al in gesprek met {partij} over {kern}.",
        "Ik ben in gesprek met {partij} over {kern} en informeer uw Kamer over de uitkomst.",
    ),
    (
        "De vragen zijn zo spoedig mogelijk en afzonderlijk beantwoord.",
        "Het was helaas niet mogelijk de vragen binnen drie weken te beantwoorden.",
    ),
)
CONSTATERINGEN = (
    "constaterende dat {kern} onder druk staat;",
    "constaterende dat {partij} zich grote zorgen maken over {kern};",
    "constaterende dat eerdere toezeggingen over {kern} nog niet zijn nagekomen;",
)
OVERWEGINGEN = (
    "overwegende dat {kern} van groot belang is voor heel Nederland;",
    "overwegende dat duidelijkheid voor {partij} noodzakelijk is;",
    "overwegende dat de kosten van uitstel alleen maar toenemen;",
)
VERZOEKEN = (
    "verzoekt de regering om uiterlijk voor de begrotingsbehandeling met een plan te komen voor {kern},",
    "verzoekt de regering om in overleg met {partij} {kern} te verbeteren en de Kamer daarover te informeren,",
    "verzoekt de regering om geen onomkeerbare stappen te zetten rond {kern} voordat de Kamer zich heeft uitgesproken,",
)
DEBAT_ZINNEN = (
    "Voorzitter, ik wil het vandaag hebben over {kern}.",
    "Mijn fractie maakt zich grote zorgen over {kern}.",
    "Wat gaat de minister concreet doen voor {partij}?",
    "Ik heb daarover een aantal vragen aan de bewindspersoon.",
    "Het kan toch niet zo zijn dat {partij} moeten wachten tot volgend jaar?",
    "Wij hebben eerder een motie ingediend over {kern}; wat is daarmee gedaan?",
    "Ik vraag de minister om voor het volgende debat met een brief te komen.",
    "Tot zover mijn eerste termijn.",
)
