"""The legal sources Varna cites, as data: one :class:`Citation` per stable key.

Sources are the texts themselves: Regulation (EU) 2016/679 (GDPR) on EUR-Lex, Swedish statutes
in Svensk författningssamling (SFS; links go to lagen.nu, which anchors chapters and sections),
and CJEU judgments on curia.europa.eu. ``STATUTES`` holds the Swedish statutes a register names
in its ``statute:`` fields (a legal obligation, Art. 6(1)(c), or a retention minimum);
``CITATIONS`` holds everything, GDPR articles under keys such as ``gdpr-6-1-a``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True, slots=True)
class Citation:
    """One legal source, named in Swedish and English."""

    key: str
    short: str
    full_sv: str
    full_en: str
    url: str | None = None


GDPR_URL = "https://eur-lex.europa.eu/eli/reg/2016/679/oj"

# (article reference as written in English, Swedish reference, topic in Swedish, topic in English)
_GDPR_ARTICLES = (
    ("6(1)(a)", "6.1 a", "samtycke", "consent"),
    ("6(1)(b)", "6.1 b", "avtal", "contract"),
    ("6(1)(c)", "6.1 c", "rättslig förpliktelse", "legal obligation"),
    ("6(1)(d)", "6.1 d", "grundläggande intressen", "vital interests"),
    ("6(1)(e)", "6.1 e", "allmänt intresse eller myndighetsutövning", "public task"),
    ("6(1)(f)", "6.1 f", "berättigat intresse", "legitimate interests"),
    ("7(3)", "7.3", "återkallelse av samtycke", "withdrawal of consent"),
    ("9(2)(a)", "9.2 a", "uttryckligt samtycke", "explicit consent"),
    ("9(2)(b)", "9.2 b", "arbetsrätt och social trygghet", "employment and social security law"),
    ("9(2)(c)", "9.2 c", "grundläggande intressen", "vital interests"),
    ("9(2)(d)", "9.2 d", "ideella organisationers medlemmar", "members of not-for-profit bodies"),
    ("9(2)(e)", "9.2 e", "uppenbart offentliggjorda uppgifter", "manifestly made public"),
    ("9(2)(f)", "9.2 f", "rättsliga anspråk", "legal claims"),
    ("9(2)(g)", "9.2 g", "viktigt allmänt intresse", "substantial public interest"),
    ("9(2)(h)", "9.2 h", "hälso- och sjukvård, social omsorg", "health or social care"),
    ("9(2)(i)", "9.2 i", "folkhälsa", "public health"),
    ("9(2)(j)", "9.2 j", "arkiv, forskning och statistik", "archiving, research, statistics"),
    ("12(3)", "12.3", "tidsfrist för svar", "time limit for responding"),
    ("13", "13", "information vid insamling från den registrerade", "information, direct"),
    (
        "14",
        "14",
        "information när uppgifterna inte samlats in från den registrerade",
        "information, indirect",
    ),
    ("15", "15", "rätt till tillgång", "right of access"),
    ("16", "16", "rätt till rättelse", "right to rectification"),
    (
        "17(3)(b)",
        "17.3 b",
        "undantag från radering: rättslig förpliktelse",
        "erasure exception: legal obligation",
    ),
    (
        "17(3)(e)",
        "17.3 e",
        "undantag från radering: rättsliga anspråk",
        "erasure exception: legal claims",
    ),
    ("18", "18", "rätt till begränsning av behandling", "right to restriction"),
    ("19", "19", "anmälningsskyldighet till mottagare", "notifying recipients"),
    ("20", "20", "rätt till dataportabilitet", "right to data portability"),
    ("21", "21", "rätt att göra invändningar", "right to object"),
    ("22", "22", "automatiserat individuellt beslutsfattande", "automated decision-making"),
    ("28(3)", "28.3", "personuppgiftsbiträdesavtal", "processor contract"),
    ("30", "30", "register över behandling", "records of processing activities"),
    ("32", "32", "säkerhet i samband med behandlingen", "security of processing"),
    ("33(1)", "33.1", "anmälan av personuppgiftsincident", "breach notification"),
    ("44", "44", "allmän princip för överföringar", "general principle for transfers"),
    ("45", "45", "beslut om adekvat skyddsnivå", "adequacy decisions"),
    ("46", "46", "lämpliga skyddsåtgärder", "appropriate safeguards"),
    ("46(2)(c)", "46.2 c", "standardavtalsklausuler", "standard contractual clauses"),
    ("47", "47", "bindande företagsbestämmelser", "binding corporate rules"),
    (
        "48",
        "48",
        "utlämnande som inte är tillåtet enligt unionsrätten",
        "transfers not authorised by Union law",
    ),
    ("49", "49", "undantag i särskilda situationer", "derogations for specific situations"),
)


def _gdpr_key(article: str) -> str:
    return "gdpr-" + article.replace(")(", "-").replace("(", "-").replace(")", "")


def _gdpr(article: str, sv_ref: str, topic_sv: str, topic_en: str) -> Citation:
    return Citation(
        key=_gdpr_key(article),
        short=f"GDPR Art. {article}",
        full_sv=f"Artikel {sv_ref} i dataskyddsförordningen (EU) 2016/679 ({topic_sv})",
        full_en=f"Regulation (EU) 2016/679 (GDPR), Article {article} ({topic_en})",
        url=GDPR_URL,
    )


_SWEDISH_STATUTES = (
    Citation(
        "bokforingslagen",
        "BFL 7:2",
        "Bokföringslag (1999:1078) 7 kap. 2 § (arkivering av räkenskapsinformation)",
        "Swedish Accounting Act (1999:1078), chapter 7 section 2 (keeping accounting records)",
        "https://lagen.nu/1999:1078#K7P2",
    ),
    Citation(
        "dataskyddslagen-3-10",
        "DSL 3:10",
        "Lag (2018:218) med kompletterande bestämmelser till EU:s dataskyddsförordning, "
        "3 kap. 10 § (personnummer och samordningsnummer)",
        "Swedish Data Protection Act (2018:218), chapter 3 section 10 (identity numbers)",
        "https://lagen.nu/2018:218#K3P10",
    ),
    Citation(
        "patientdatalagen",
        "PDL 3:17",
        "Patientdatalag (2008:355) 3 kap. 17 § (bevarande av journalhandlingar)",
        "Swedish Patient Data Act (2008:355), chapter 3 section 17 (keeping patient records)",
        "https://lagen.nu/2008:355#K3P17",
    ),
    Citation(
        "diskrimineringslagen",
        "DL",
        "Diskrimineringslag (2008:567)",
        "Swedish Discrimination Act (2008:567)",
        "https://lagen.nu/2008:567",
    ),
    Citation(
        "marknadsforingslagen-19",
        "MFL 19 §",
        "Marknadsföringslag (2008:486) 19 § (e-post och sms i marknadsföring)",
        "Swedish Marketing Act (2008:486), section 19 (e-mail and SMS marketing)",
        "https://lagen.nu/2008:486#P19",
    ),
    Citation(
        "lek-9-28",
        "LEK 9:28",
        "Lag (2022:482) om elektronisk kommunikation 9 kap. 28 § (kakor och terminalutrustning)",
        "Swedish Electronic Communications Act (2022:482), chapter 9 section 28 (cookies)",
        "https://lagen.nu/2022:482#K9P28",
    ),
    Citation(
        "folkbokforingslagen-18",
        "FOL 18 §",
        "Folkbokföringslag (1991:481) 18 § (personnummer)",
        "Swedish Population Registration Act (1991:481), section 18 (personal identity numbers)",
        "https://lagen.nu/1991:481#P18",
    ),
)

_OTHER_SOURCES = (
    Citation(
        "cjeu-c-311-18",
        "CJEU C-311/18 (Schrems II)",
        "EU-domstolens dom den 16 juli 2020, Facebook Ireland och Schrems, C-311/18, EU:C:2020:559",
        "Judgment of the Court of Justice of 16 July 2020, Facebook Ireland and Schrems, "
        "C-311/18, EU:C:2020:559",
        "https://curia.europa.eu/juris/liste.jsf?num=C-311/18",
    ),
    Citation(
        "cjeu-c-362-14",
        "CJEU C-362/14 (Schrems I)",
        "EU-domstolens dom den 6 oktober 2015, Schrems, C-362/14, EU:C:2015:650",
        "Judgment of the Court of Justice of 6 October 2015, Schrems, C-362/14, EU:C:2015:650",
        "https://curia.europa.eu/juris/liste.jsf?num=C-362/14",
    ),
    Citation(
        "scc-2021-914",
        "Decision (EU) 2021/914",
        "Kommissionens genomförandebeslut (EU) 2021/914 om standardavtalsklausuler",
        "Commission Implementing Decision (EU) 2021/914 on standard contractual clauses",
        "https://eur-lex.europa.eu/eli/dec_impl/2021/914/oj",
    ),
    Citation(
        "dpf-2023-1795",
        "Decision (EU) 2023/1795 (DPF)",
        "Kommissionens genomförandebeslut (EU) 2023/1795 om EU–US Data Privacy Framework",
        "Commission Implementing Decision (EU) 2023/1795 on the EU-US Data Privacy Framework",
        "https://eur-lex.europa.eu/eli/dec_impl/2023/1795/oj",
    ),
    Citation(
        "regulation-1182-71",
        "Regulation 1182/71",
        "Rådets förordning (EEG, Euratom) nr 1182/71 om regler för bestämning av perioder, "
        "datum och tidsfrister",
        "Regulation (EEC, Euratom) No 1182/71 determining the rules applicable to periods, "
        "dates and time limits",
        "https://eur-lex.europa.eu/eli/reg/1971/1182/oj",
    ),
)

STATUTES: Mapping[str, Citation] = MappingProxyType({c.key: c for c in _SWEDISH_STATUTES})
"""Swedish statutes by the key a register's ``statute:`` field uses."""

CITATIONS: Mapping[str, Citation] = MappingProxyType(
    {
        c.key: c
        for c in (*(_gdpr(*row) for row in _GDPR_ARTICLES), *_SWEDISH_STATUTES, *_OTHER_SOURCES)
    }
)
"""Every source Varna cites, by key."""


def gdpr(article: str) -> Citation:
    """The citation for a GDPR article written as in the text, e.g. ``gdpr("6(1)(a)")``."""
    try:
        return CITATIONS[_gdpr_key(article)]
    except KeyError:
        raise KeyError(f"Varna does not cite GDPR Art. {article}") from None
