"""Targets: SQL tables sampled on SQLite, PostgreSQL and MariaDB, and the files of a folder
(CSV, JSONL, XLSX, text, PDF, DOCX), each yielding (location, text) pieces."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from varna.connectors.sql import SQLConnector
from varna.discovery.targets import FolderTarget, Location, SqlTarget, document_text
from varna.errors import DiscoveryError

ROWS = 3000
PNR = "19850312-1231"


def _fill(url: str) -> None:
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "CREATE TABLE people (id INTEGER PRIMARY KEY, note VARCHAR(200), "
                "score FLOAT, code INTEGER)"
            )
        )
        conn.execute(
            sa.text("INSERT INTO people (id, note, score, code) VALUES (:id, :note, 1.5, 42)"),
            [{"id": i, "note": f"rad {i}: pnr {PNR}"} for i in range(ROWS)],
        )
    engine.dispose()


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgresql", marks=pytest.mark.postgres),
        pytest.param("mariadb", marks=pytest.mark.mariadb),
    ]
)
def db_url(request: pytest.FixtureRequest) -> str:
    fixture = {"sqlite": "sqlite_url", "postgresql": "pg_url", "mariadb": "mariadb_url"}
    url: str = request.getfixturevalue(fixture[request.param])
    _fill(url)
    if request.param == "postgresql":
        engine = sa.create_engine(url, poolclass=sa.NullPool)
        with engine.begin() as conn:
            conn.execute(sa.text("ANALYZE people"))
        engine.dispose()
    return url


@pytest.mark.parametrize(
    ("sample", "most", "least"),
    [(100, 100, 1), (10_000, ROWS, ROWS), (None, ROWS, ROWS)],
)
def test_sql_tables_are_sampled_or_read_in_full(
    db_url: str, sample: int | None, most: int, least: int
) -> None:
    target = SqlTarget(SQLConnector(db_url, name="app"), sample=sample)
    try:
        assert target.units() == ["people"]
        pieces = list(target.pieces("people"))
    finally:
        target.close()
    locations = {loc for loc, _ in pieces}
    # the float and the two-digit integer hold nothing discovery looks for
    assert locations == {Location("app", "people", "note")}
    assert least <= len(pieces) <= most
    assert len({text for _, text in pieces}) == len(pieces)  # distinct rows


def test_a_sample_is_not_the_first_rows(sqlite_url: str) -> None:
    _fill(sqlite_url)
    target = SqlTarget(SQLConnector(sqlite_url, name="app"), sample=50)
    try:
        texts = [text for _, text in target.pieces("people")]
    finally:
        target.close()
    assert len(texts) == 50
    assert texts != [f"rad {i}: pnr {PNR}" for i in range(50)]


def _pdf(path: Path, text: str) -> None:
    import typst

    source = path.with_suffix(".typ")
    source.write_text(text, encoding="utf-8")
    typst.compile(str(source), output=str(path))
    source.unlink()


def _docx(path: Path, text: str) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    document.save(str(path))


def _xlsx(path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Namn", "Personnummer"])
    sheet.append(["Anna Svensson", PNR])
    book.save(path)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "shared"
    (root / "sub").mkdir(parents=True)
    (root / "kunder.csv").write_text(f"namn,pnr\nAnna Svensson,{PNR}\n", encoding="utf-8")
    (root / "logg.jsonl").write_text(f'{{"msg": "pnr {PNR}"}}\n\n', encoding="utf-8")
    (root / "sub" / "brev.txt").write_text(f"Hej!\nMitt pnr är {PNR}\n", encoding="utf-8")
    (root / ".dold.txt").write_text(PNR, encoding="utf-8")
    (root / "bild.png").write_bytes(b"\x89PNG")
    _pdf(root / "avtal.pdf", f"Avtal för personnummer {PNR}")
    _docx(root / "intyg.docx", f"Intyg: personnummer {PNR}")
    _xlsx(root / "lista.xlsx")
    return root


def test_a_folder_yields_columns_of_tables_and_text_of_documents(folder: Path) -> None:
    target = FolderTarget("shared", folder)
    assert target.units() == [
        "avtal.pdf",
        "intyg.docx",
        "kunder.csv",
        "lista.xlsx",
        "logg.jsonl",
        "sub/brev.txt",
    ]
    holding = {
        str(loc) for unit in target.units() for loc, text in target.pieces(unit) if PNR in text
    }
    assert holding == {
        "shared/avtal.pdf",
        "shared/intyg.docx",
        "shared/kunder.csv/pnr",
        "shared/lista.xlsx/Personnummer",
        "shared/logg.jsonl/msg",
        "shared/sub/brev.txt",
    }


def test_a_csv_system_names_its_tables_by_file_stem(folder: Path) -> None:
    target = FolderTarget("files", folder, suffixes=frozenset({".csv"}), tables_by_stem=True)
    assert target.units() == ["kunder"]
    located = [str(loc) for loc, _ in target.pieces("kunder")]
    assert located == ["files/kunder/namn", "files/kunder/pnr"]


def test_document_text_reads_pdf_pages(folder: Path) -> None:
    assert any(PNR in page for page in document_text(folder / "avtal.pdf"))


def test_a_mailbox_yields_each_message_text_by_folder(tmp_path: Path) -> None:
    import mailbox
    from email.message import EmailMessage

    from varna.discovery.targets import open_target

    box = mailbox.Maildir(tmp_path / "support", create=True)
    bodies = ["Mitt personnummer är 19121212-1212.", "Tack för hjälpen!", "Ring mig."]
    for n, body in enumerate(bodies):
        message = EmailMessage()
        message["From"] = f"kund{n}@example.se"
        message["Subject"] = f"Ärende {n}"
        message.set_content(body)
        box.add(message)
    target = open_target(
        "support_mail", "mailbox", f"maildir:{tmp_path / 'support'}", base_dir=tmp_path, sample=2
    )
    try:
        assert target.units() == ["INBOX"]
        pieces = list(target.pieces("INBOX"))
        every = list(type(target)(target._connector, sample=None).pieces("INBOX"))  # type: ignore[attr-defined]
        with pytest.raises(DiscoveryError):
            list(target.pieces("Sent"))
    finally:
        target.close()
    assert len(pieces) == 2  # the sample
    assert {str(where) for where, _ in every} == {"support_mail/INBOX/text"}
    texts = [text for _, text in every]
    assert sum("19121212-1212" in t for t in texts) == 1
    assert all("@" not in str(where) for where, _ in every)  # no sender in a location
