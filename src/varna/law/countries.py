"""Country codes for transfer rules: ISO 3166-1 alpha-2, the EU and the EEA.

Sources: ISO 3166-1 (officially assigned alpha-2 codes; user-assigned codes such as XK are not
included); TEU Art. 52 and TFEU Art. 349 and 355 (which territories the Treaties cover); the EEA
Agreement (the EU plus Iceland, Liechtenstein and Norway). Greece is GR here, as in ISO, not the
EU's EL.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

_ISO_CODES = """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR
    BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ
    EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW
    GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY
    KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV
    MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY
    QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG
    TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM
    ZW
"""
ISO_3166_ALPHA2 = frozenset(_ISO_CODES.split())
"""The 249 officially assigned ISO 3166-1 alpha-2 codes."""

_EU_CODES = "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK"
EU_MEMBER_STATES = frozenset(_EU_CODES.split())
"""The 27 member states of the European Union."""

EEA_COUNTRIES = EU_MEMBER_STATES | {"IS", "LI", "NO"}
"""The European Economic Area: the EU plus Iceland, Liechtenstein and Norway."""

EEA_TERRITORIES: Mapping[str, str] = MappingProxyType(
    {
        "AX": "FI",  # Åland (TFEU Art. 355(4))
        "GF": "FR",  # French Guiana, outermost region (TFEU Art. 349)
        "GP": "FR",  # Guadeloupe
        "MQ": "FR",  # Martinique
        "RE": "FR",  # Réunion
        "YT": "FR",  # Mayotte
        "MF": "FR",  # Saint-Martin
    }
)
"""Territories with their own ISO code that are part of an EU member state's EU territory.

Not here: Greenland, the Faroe Islands (FO has its own adequacy decision), the overseas countries
and territories (BL, NC, PF, PM, TF, WF, AW, BQ, CW, SX), Svalbard and Jan Mayen (SJ).
"""
