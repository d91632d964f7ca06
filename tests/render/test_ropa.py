"""The Art. 30 record: every item of 30(1) per activity, 30(2) for processing done for others."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from varna.register import Register
from varna.render import RecordFormat, render_record
from varna.render.ropa import compose_record
from varna.render.wording import Lang

from .registers import ON

ART_30_1 = ["(a)", "(b)", "(c)", "(d)", "(e)", "(f)", "(g)"]


def test_one_row_per_activity_with_every_item(complete: Register) -> None:
    record = compose_record(complete, "sv", on=ON)
    controller, processor = record.sheets
    titles = " ".join(c.title for c in controller.columns)
    assert all(letter in titles for letter in ART_30_1)
    assert [row[0] for row in controller.rows] == [
        "Abonnemang",
        "Fakturering",
        "Larmhantering",
        "Prioritering av larm",
        "Nyhetsbrev",
        "Rekrytering",
        "Webbstatistik",
    ]
    assert [row[0] for row in processor.rows] == ["Journalföring åt kommuner"]
    for sheet in record.sheets:
        for row in sheet.rows:
            assert all(value.strip() for value in row), f"empty cell in {row[0]}"


@pytest.mark.parametrize(
    ("activity", "column", "expected"),
    [
        ("Abonnemang", "Överföringar till tredjeland (e)", "USA: Supportsystemet Helpdesk Inc."),
        ("Nyhetsbrev", "Överföringar till tredjeland (e)", "standardavtalsklausuler"),
        ("Fakturering", "Gallringsfrister (f)", "Sju år räknat från utgången av det kalenderår"),
        (
            "Fakturering",
            "Rättslig grund",
            "Rättslig förpliktelse (artikel\u00a06.1\u00a0c): "
            "7\u00a0kap.\u00a02\u00a0§\u00a0bokföringslagen",
        ),
        ("Webbstatistik", "Gallringsfrister (f)", "13 månader efter att uppgiften samlades in"),
        ("Abonnemang", "Dataskyddsombud (a)", "dpo@omsorgsteknik.example"),
        ("Abonnemang", "Källor", "SPAR"),
        ("Larmhantering", "Säkerhetsåtgärder (g)", "Särskild behörighet krävs för hälsouppgifter"),
        ("Rekrytering", "Mottagare (d)", "Inga mottagare"),
    ],
)
def test_cells(complete: Register, activity: str, column: str, expected: str) -> None:
    sheet = compose_record(complete, "sv", on=ON).sheets[0]
    index = [c.title for c in sheet.columns].index(column)
    row = next(r for r in sheet.rows if r[0] == activity)
    assert expected in row[index]


def test_processor_sheet_names_the_controllers(complete: Register) -> None:
    sheet = compose_record(complete, "sv", on=ON).sheets[1]
    row = dict(zip([c.title for c in sheet.columns], sheet.rows[0], strict=True))
    assert (
        "Kommuner som köper hemtjänstsystemet (registrator@kommun.example)"
        in row["Personuppgiftsansvariga (a)"]
    )
    assert row["Säkerhetsåtgärder (d)"].startswith("Kryptering")


def test_xlsx_is_readable(complete: Register) -> None:
    book = load_workbook(io.BytesIO(render_record(complete, on=ON).content))
    assert book.sheetnames == ["Personuppgiftsansvarig 30.1", "Personuppgiftsbiträde 30.2"]
    ws = book["Personuppgiftsansvarig 30.1"]
    assert ws.freeze_panes == "B2"
    assert all(c.font.b for c in ws[1])
    assert ws.max_row == 8
    assert ws.max_column == 14
    assert all(ws.column_dimensions[c].width >= 20 for c in "ABCDEFGHIJKLMN")
    for row in ws.iter_rows(min_row=2):
        for c in row:
            assert c.value
            assert c.alignment.wrap_text


def test_csv_holds_both_tables(complete: Register) -> None:
    text = render_record(complete, on=ON, fmt=RecordFormat.csv).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:2] == ["Artikel", "Behandling"]
    assert [r[0] for r in rows[1:]] == ["artikel 30.1"] * 7 + ["artikel 30.2"]


@pytest.mark.parametrize(
    ("lang", "delimiter", "expected"),
    [("sv", None, ";"), ("en", None, ","), ("sv", ",", ","), ("en", "\t", "\t")],
)
def test_csv_separator_suits_the_spreadsheet(
    complete: Register, lang: Lang, delimiter: str | None, expected: str
) -> None:
    raw = render_record(complete, on=ON, lang=lang, fmt=RecordFormat.csv, delimiter=delimiter)
    assert raw.content.startswith("\ufeff".encode())  # Excel reads the BOM as UTF-8
    text = raw.content.decode("utf-8-sig")
    header = text.split("\r\n")[0]
    assert header.split(expected)[0] in ("Artikel", "Article")
    rows = list(csv.reader(io.StringIO(text), delimiter=expected))
    assert len({len(r) for r in rows if r}) == 1  # every row has the same columns


def test_html_shows_shared_items_once(complete: Register) -> None:
    page = render_record(complete, on=ON, fmt=RecordFormat.html).content.decode()
    assert page.count("Kryptering av data vid lagring och överföring") == 2  # 30(1) and 30(2)
    assert "Gemensamt för alla behandlingar" in page


def test_english_record(complete: Register) -> None:
    sheet = compose_record(complete, "en", on=ON).sheets[0]
    assert sheet.columns[11].title == "Time limits for erasure (f)"
    assert "until the data subject objects" in " ".join(r[11] for r in sheet.rows).lower()


def _seed_row(seed: str, activity: str, column: str, lang: Lang = "sv") -> str:
    from varna.register import load_register

    from .registers import SEEDS

    register = load_register(next(p for p in SEEDS if p.name.startswith(seed)))
    sheet = compose_record(register, lang, on=ON).sheets[0]
    index = [c.title for c in sheet.columns].index(column)
    return next(r for r in sheet.rows if r[0] == activity)[index]


@pytest.mark.parametrize(
    ("seed", "activity", "column", "expected", "never"),
    [
        pytest.param(
            "001",
            "Leverans och administration av tjänsterna",
            "Personuppgiftsansvarig (a)",
            "Namn inte angivet i registret",
            "None",
            id="001-controller-not-named",
        ),
        pytest.param(
            "001",
            "Leverans och administration av tjänsterna",
            "Överföringar till tredjeland (e)",
            "Möjlig överföring, land inte angivet: Vår leverantör, ingen skyddsåtgärd angiven",
            "Inga överföringar",
            id="001-possible-transfer",
        ),
        pytest.param(
            "004",
            "Leverans av tjänster enligt leveransavtal",
            "Överföringar till tredjeland (e)",
            "Inte fastställt var mottagaren behandlar uppgifterna",
            "Inga överföringar",
            id="004-location-not-established",
        ),
        pytest.param(
            "003",
            "IT-support",
            "Gallringsfrister (f)",
            "Bara i ord: under kortare tid än kontaktuppgifterna",
            "6 månader",
            id="003-period-in-words",
        ),
    ],
)
def test_the_record_says_what_is_not_known(
    seed: str, activity: str, column: str, expected: str, never: str
) -> None:
    cell = _seed_row(seed, activity, column)
    assert expected in cell
    assert never not in cell
