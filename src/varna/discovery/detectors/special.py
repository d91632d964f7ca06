"""Indicators of special categories of personal data (GDPR Art. 9(1)) in Swedish and English.

A word from these lists makes a text *likely to hold* special-category data about someone; it
is a signal for a human to review, not a finding that it does. The vocabularies are curated
from: Socialstyrelsen, ICD-10-SE (chapter titles and the most frequent diagnoses in Swedish
primary care); Läkemedelsverket / FASS and WHO's ATC index (the most dispensed active
substances in Sweden, Socialstyrelsen's Läkemedelsregistret); the union confederations LO, TCO
and Saco and their largest members; Myndigheten för stöd till trossamfund (religious
communities that receive state support); Diskrimineringslagen (2008:567) 1 kap. 5 § (the words
for ethnic origin).
"""

from __future__ import annotations

from typing import ClassVar

from varna.discovery.models import Detector, Pattern


def _alternation(words: tuple[str, ...]) -> str:
    return "(?i)(?:" + "|".join(sorted(words, key=len, reverse=True)) + ")"


HEALTH = (
    "diagnos",
    "diagnosen",
    "diagnosis",
    "diagnosed",
    "sjukskriven",
    "sjukskrivning",
    "sjukintyg",
    "läkarintyg",
    "sick leave",
    "depression",
    "deprimerad",
    "utbrändhet",
    "utmattningssyndrom",
    "ångest",
    "anxiety",
    "adhd",
    "autism",
    "diabetes",
    "cancer",
    "astma",
    "asthma",
    "epilepsi",
    "epilepsy",
    "hiv",
    "hepatit",
    "graviditet",
    "gravid",
    "pregnant",
    "pregnancy",
    "missbruk",
    "alkoholism",
    "schizofreni",
    "bipolär",
    "bipolar",
    "demens",
    "dementia",
    "alzheimer",
    "stroke",
    "hjärtinfarkt",
    "migrän",
    "reumatism",
    "allergi",
    "celiaki",
    "ms-skov",
    "parkinson",
    "funktionsnedsättning",
    "disability",
    "rehabilitering",
    "psykiatri",
    "psychiatric",
    "psykolog",
    "vårdcentral",
    "journal",
    "sertralin",
    "sertraline",
    "citalopram",
    "escitalopram",
    "fluoxetin",
    "venlafaxin",
    "metformin",
    "insulin",
    "levaxin",
    "levotyroxin",
    "levothyroxine",
    "waran",
    "warfarin",
    "alvedon",
    "paracetamol",
    "ipren",
    "ibuprofen",
    "oxikodon",
    "oxycodone",
    "tramadol",
    "morfin",
    "morphine",
    "zopiklon",
    "zopiclone",
    "propavan",
    "atarax",
    "lergigan",
    "concerta",
    "metylfenidat",
    "elvanse",
    "lithium",
    "litium",
    "antidepressiva",
    "antidepressant",
    "cytostatika",
    "chemotherapy",
    "cellgift",
    "kortison",
    "prednisolon",
    "omeprazol",
    "simvastatin",
    "atorvastatin",
    "enalapril",
    "metoprolol",
    "losartan",
    "salbutamol",
    "ventoline",
    "icd-10",
    "f32",
    "f41",
)
TRADE_UNION = (
    "fackförbund",
    "fackförening",
    "fackligt ansluten",
    "facklig",
    "medlem i facket",
    "trade union",
    "union member",
    "union membership",
    "a-kassa",
    "fackavgift",
    "lo-förbund",
)
UNION_NAMES = (
    "kommunal",
    "unionen",
    "if metall",
    "vision",
    "vårdförbundet",
    "lärarförbundet",
    "lärarnas riksförbund",
    "sveriges lärare",
    "seko",
    "handels",
    "byggnads",
    "transport",
    "ledarna",
    "akademikerförbundet ssr",
    "sveriges ingenjörer",
    "jusek",
    "saco",
    "tco",
)
RELIGION = (
    "religion",
    "religiös",
    "religious",
    "trossamfund",
    "svenska kyrkan",
    "katolik",
    "katolska kyrkan",
    "catholic",
    "muslim",
    "muslimsk",
    "moské",
    "mosque",
    "ramadan",
    "judisk",
    "jewish",
    "synagoga",
    "synagogue",
    "kosher",
    "halal",
    "ortodox",
    "orthodox",
    "pingstkyrkan",
    "jehovas vittnen",
    "buddhist",
    "hindu",
    "sikh",
    "ateist",
    "atheist",
    "konfirmation",
    "baptist",
    "frikyrka",
    "imam",
    "rabbin",
    "präst",
)
ETHNIC_ORIGIN = (
    "etnicitet",
    "etniskt ursprung",
    "ethnic origin",
    "ethnicity",
    "etnisk tillhörighet",
    "hudfärg",
    "skin colour",
    "skin color",
    "romsk",
    "samisk",
    "sámi",
    "tornedaling",
    "nationell minoritet",
    "national minority",
    "invandrarbakgrund",
    "utländsk bakgrund",
    "foreign background",
)
AMBIGUOUS_ORIGIN = ("ras", "race", "roma", "romer", "same", "samer")


class _Vocabulary(Detector):
    """A curated word list; the span is the word, the score is modest (a signal, not proof)."""

    special_category = True
    words: ClassVar[tuple[str, ...]]
    min_score = 0.4


class HealthDetector(_Vocabulary):
    """Health: diagnoses, sick leave, pregnancy, the most dispensed medicines (Art. 9(1), 4(15)).

    Accuracy limits: a word is a signal; ``journal`` and ``stroke`` have everyday senses, and
    a diagnosis discussed in general (not about a person) is reported too.
    """

    label = "health"
    words = HEALTH
    patterns = (Pattern("health vocabulary", _alternation(HEALTH), 0.6),)
    context = ("patient", "patienten", "brukare", "vårdtagare", "har", "has", "tar", "takes")
    context_boost = 0.2


class TradeUnionDetector(_Vocabulary):
    """Trade-union membership (Art. 9(1)): unions of LO, TCO and Saco and words for membership.

    Accuracy limits: union names that are common words (``Vision``, ``Handels``,
    ``Transport``, ``Kommunal``) need a membership word nearby.
    """

    label = "trade_union"
    words = TRADE_UNION + UNION_NAMES
    patterns = (
        Pattern("membership words", _alternation(TRADE_UNION), 0.6),
        Pattern("union names", _alternation(UNION_NAMES), 0.3),
    )
    context = ("medlem", "member", "ansluten", "fackligt", "facket", "förbund", "union")
    context_window = 60
    context_boost = 0.3
    min_score = 0.5


class ReligionDetector(_Vocabulary):
    """Religious or philosophical beliefs (Art. 9(1)).

    Accuracy limits: ``halal``, ``kosher`` and holidays may describe food or calendars rather
    than a person's belief; a human reviews.
    """

    label = "religion"
    words = RELIGION
    patterns = (Pattern("religion vocabulary", _alternation(RELIGION), 0.55),)


class EthnicOriginDetector(_Vocabulary):
    """Racial or ethnic origin (Art. 9(1)) and Sweden's national minorities.

    Accuracy limits: ``ras``, ``race`` and ``same`` are common words in other senses
    (``same`` in English), so they count only near a context word.
    """

    label = "ethnic_origin"
    words = ETHNIC_ORIGIN + AMBIGUOUS_ORIGIN
    patterns = (
        Pattern("ethnic origin words", _alternation(ETHNIC_ORIGIN), 0.6),
        Pattern("ambiguous words", _alternation(AMBIGUOUS_ORIGIN), 0.2),
    )
    context = ("ursprung", "origin", "bakgrund", "background", "tillhör", "född i", "minoritet")
    context_window = 60
    context_boost = 0.3
    min_score = 0.5
