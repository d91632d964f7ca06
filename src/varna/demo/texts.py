"""Free text for the demo: care notes, support e-mails, CVs and cover letters, in Swedish.

Texts are built from templates with slots (times, doses, blood pressure, places). Each generator
first builds a pool of finished sentences from its own ``random.Random``, then draws from the
pool: cheap enough for millions of rows, varied enough to read like a real system's notes. The
care notes hold health data (GDPR Art. 9) on purpose: the demo must show how Varna treats it.
"""

from __future__ import annotations

import random

MEDICINES = (
    ("Alvedon", "500 mg"),
    ("Alvedon", "1 g"),
    ("Waran", "2,5 mg"),
    ("Eliquis", "5 mg"),
    ("Trombyl", "75 mg"),
    ("Metformin", "500 mg"),
    ("Levaxin", "50 mikrogram"),
    ("Enalapril", "10 mg"),
    ("Furix", "40 mg"),
    ("Omeprazol", "20 mg"),
    ("Simvastatin", "20 mg"),
    ("Sertralin", "50 mg"),
    ("Madopark", "125 mg"),
    ("Donepezil", "5 mg"),
    ("Bisoprolol", "2,5 mg"),
    ("Kalcipos-D", "1 tablett"),
    ("Atacand", "8 mg"),
    ("Oxascand", "5 mg"),
)
ROOMS = ("badrummet", "köket", "hallen", "sovrummet", "vardagsrummet", "trappan")
RELATIVES = ("Dottern", "Sonen", "Maken", "Hustrun", "Sambon", "Barnbarnet", "Grannen")

CARE_TEMPLATES = (
    "Påminnelse om medicinen kl. {time} ({med} {dose}). Brukaren kvitterade i appen.",
    "Medicinpåminnaren larmade kl. {time} utan kvittens; personal ringde upp och brukaren "
    "hade tagit {med}.",
    "Missade kvällsmedicinen ({med} {dose}); påminnelsen skickades igen och kvitterades efter "
    "{minutes} minuter.",
    "Blodtryck {sys}/{dia} mmHg, puls {pulse}. Mätt sittande efter vila.",
    "Blodtryck {sys}/{dia} mmHg, något högre än förra veckan. Distriktssköterskan informerad.",
    "Trygghetslarmet utlöstes kl. {time}. Brukaren hade fallit i {room}, inga synliga skador. "
    "Personal på plats efter {minutes} minuter.",
    "Fall i {room} under natten. Brukaren kom upp själv men är öm i höger höft; "
    "distriktssköterskan kontaktad.",
    "Nattillsyn via kamera kl. {time}: brukaren sov lugnt.",
    "Nattillsyn kl. {time}: sängen tom, brukaren var vaken i köket. Inga åtgärder behövdes.",
    "Vikt {weight} kg. {relative} informerad om viktnedgången.",
    "Blodsocker {glucose} mmol/l före frukost.",
    "Temperatur {temp} °C. Brukaren känner sig trött och har dålig aptit.",
    "Brukaren uppger yrsel vid uppresning. Rådd att resa sig långsamt och dricka mer.",
    "Larmknappen testad kl. {time}, fungerar.",
    "Batteriet i larmet bytt, larmet provat och fungerar.",
    "{relative} ringde och frågade om dosettens innehåll; hänvisad till sjuksköterskan.",
    "Tog {med} {dose} vid behov mot smärta i ryggen.",
    "Såret på vänster underben omlagt, läker fint.",
    "Orolig under kvällen och ville prata; samtal i {minutes} minuter via surfplattan.",
    "Insulin {units} E givet enligt ordination kl. {time}.",
    "Har ätit dåligt de senaste dagarna; näringsdryck erbjuden och tagen.",
    "Dörrlarmet gick kl. {time}; brukaren hade gått ut med soporna och var tillbaka efter "
    "{minutes} minuter.",
    "Hemtjänsten meddelar att brukaren är inlagd på sjukhus; tillsynen pausad.",
    "Hemma igen efter sjukhusvistelsen; tillsynen återupptagen.",
    "Syremättnad {saturation} %, andningen utan anmärkning.",
    "Videosamtal med {relative_lower} genomfört. Brukaren på gott humör.",
    "Sömnen orolig tre nätter i rad enligt sängsensorn; kontakt tagen med sjuksköterskan.",
)

CARE_SERVICES = (
    "Trygghetslarm",
    "Trygghetslarm med GPS",
    "Digital nattillsyn",
    "Medicinpåminnare",
    "Surfplatta med omsorgsapp",
)


def care_sentences(rng: random.Random, count: int = 4096) -> list[str]:
    """A pool of ``count`` finished care-note sentences."""
    out = []
    for _ in range(count):
        med, dose = rng.choice(MEDICINES)
        relative = rng.choice(RELATIVES)
        out.append(
            rng.choice(CARE_TEMPLATES).format(
                time=f"{rng.randrange(6, 23):02d}:{rng.randrange(60):02d}",
                med=med,
                dose=dose,
                minutes=rng.randrange(3, 40),
                sys=rng.randrange(105, 175),
                dia=rng.randrange(60, 100),
                pulse=rng.randrange(52, 98),
                room=rng.choice(ROOMS),
                weight=rng.randrange(44, 96),
                relative=relative,
                relative_lower=relative.lower(),
                glucose=f"{rng.randrange(4, 14)},{rng.randrange(10)}",
                temp=f"{rng.choice((36, 37, 37, 38))},{rng.randrange(10)}",
                units=rng.randrange(4, 30),
                saturation=rng.randrange(89, 100),
            )
        )
    return out


#: (subject, body) of e-mails from customers; ``{no}`` is their customer number.
CUSTOMER_MAIL = (
    (
        "Fråga om faktura",
        "Jag har fått en faktura som jag inte förstår. Vad avser den? Mitt kundnummer är {no}.",
    ),
    (
        "Fel belopp på fakturan",
        "Fakturan är högre än vanligt. Kan ni kontrollera den? Kundnummer {no}.",
    ),
    ("Larmet piper", "Trygghetslarmet piper hela tiden sedan i går kväll. Vad ska jag göra?"),
    ("Larmknappen lyser inte", "Lampan på larmknappen har slutat lysa. Behöver batteriet bytas?"),
    ("Kan inte logga in", "Jag kommer inte in i appen längre, den säger att lösenordet är fel."),
    ("Surfplattan startar inte", "Surfplattan med omsorgsappen startar inte trots laddning."),
    ("Ny adress", "Vi flyttar nästa månad. Hur gör vi med larmet? Kundnummer {no}."),
    (
        "Uppsägning av abonnemang",
        "Mamma har fått plats på ett särskilt boende, så vi vill säga "
        "upp trygghetslarmet. Kundnummer {no}.",
    ),
    ("Autogiro", "Jag vill betala med autogiro i stället för faktura. Hur gör jag?"),
    ("Ny anhörig ska få tillgång", "Min bror ska också kunna se larmen i appen. Går det?"),
    (
        "Begäran om registerutdrag",
        "Jag vill få veta vilka personuppgifter ni har om mig "
        "(artikel 15 i dataskyddsförordningen).",
    ),
    ("Radera mina uppgifter", "Jag är inte längre kund och vill att ni raderar mina uppgifter."),
)

#: (subject, body) of e-mails from people who are not customers.
OTHER_MAIL = (
    (
        "Fråga om era tjänster",
        "Hej! Min pappa behöver tillsyn på natten. Vad kostar er "
        "digitala tillsyn, och hur snabbt kan den installeras?",
    ),
    (
        "Offertförfrågan",
        "Vi är ett omsorgsföretag med ett fyrtiotal brukare och vill ha en "
        "offert på trygghetslarm.",
    ),
    ("Spontanansökan", "Jag är undersköterska och undrar om ni söker personal till larmcentralen."),
    ("Samarbete", "Vi utvecklar sensorer för fallupptäckt och vill gärna boka ett möte."),
    ("Pressfråga", "Jag skriver en artikel om välfärdsteknik och vill ställa några frågor."),
    ("Felaktigt utskick", "Jag har fått ett nyhetsbrev från er men har aldrig anmält mig."),
)

#: (subject, body) of e-mails from customer organisations' representatives.
CONTACT_MAIL = (
    (
        "Nya brukare",
        "Vi har tre nya brukare som behöver trygghetslarm från nästa vecka. "
        "Kan ni boka installation?",
    ),
    ("Larmstatistik", "Kan ni skicka statistik över larmen förra kvartalet till vår uppföljning?"),
    (
        "Avtalsförlängning",
        "Vårt avtal löper ut vid årsskiftet. Kan vi boka ett möte om förlängning?",
    ),
    ("Behörigheter i portalen", "En ny enhetschef ska få behörighet i kundportalen."),
)

GREETINGS = ("Hej!", "Hej,", "Hejsan!", "Goddag,")
CLOSINGS = ("Med vänliga hälsningar", "Vänliga hälsningar", "Hälsningar", "Mvh", "Tack på förhand!")

JOBS = (
    "Supporttekniker till kundtjänsten",
    "Installatör av trygghetslarm",
    "Systemutvecklare till omsorgsappen",
    "Sjuksköterska till larmcentralen",
    "Kundtjänstmedarbetare",
    "Säljare mot kommuner",
    "Ekonomiassistent",
    "Projektledare, digital tillsyn",
)
ROLES = (
    "undersköterska",
    "supporttekniker",
    "systemutvecklare",
    "sjuksköterska",
    "kundtjänstmedarbetare",
    "säljare",
    "installatör",
    "ekonomiassistent",
    "projektledare",
)
EMPLOYERS = (
    "hemtjänsten i {town}",
    "ett äldreboende i {town}",
    "{town}s larmcentral",
    "ett IT-konsultbolag i {town}",
    "en elektronikkedja i {town}",
    "regionens vårdcentral i {town}",
)
EDUCATIONS = (
    "Vård- och omsorgsprogrammet",
    "Sjuksköterskeprogrammet, 180 hp",
    "Systemvetenskapliga programmet, 180 hp",
    "Yrkeshögskola: IT-support",
    "Ekonomiprogrammet",
    "El- och energiprogrammet",
    "Civilingenjör, datateknik",
)
OUTCOMES = ("anställd", "intervju, ej aktuell", "ej aktuell", "ej aktuell", "ej aktuell")


def cv_text(rng: random.Random, towns: tuple[str, ...], end_year: int) -> str:
    """A short CV: two or three jobs, an education, languages and a driving licence."""
    lines = ["Arbetslivserfarenhet"]
    year = end_year
    for _ in range(rng.randrange(2, 4)):
        start = year - rng.randrange(1, 7)
        employer = rng.choice(EMPLOYERS).format(town=rng.choice(towns))
        lines.append(f"{start}–{year}: {rng.choice(ROLES).capitalize()}, {employer}")
        year = start
    lines += [
        "",
        "Utbildning",
        f"{year - 3}–{year}: {rng.choice(EDUCATIONS)}",
        "",
        f"Språk: svenska, engelska{rng.choice(('', '', ', arabiska', ', finska', ', spanska'))}",
        f"Körkort: {rng.choice(('B', 'B', 'inget'))}",
    ]
    return "\n".join(lines)


def cover_letter(rng: random.Random, job: str, name: str) -> str:
    """A cover letter for ``job`` signed by ``name``."""
    role = rng.choice(ROLES)
    return (
        f"Hej!\n\nJag söker tjänsten som {job.lower()}. Jag har arbetat som {role} i "
        f"{rng.randrange(2, 20)} år och vill använda min erfarenhet för att göra vardagen "
        "tryggare för äldre. Jag är noggrann, lugn och tycker om att lösa problem tillsammans "
        f"med andra.\n\nMed vänlig hälsning\n{name}"
    )
