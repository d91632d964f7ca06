"""Discovery quality and speed: Varna's detectors against Presidio with Swedish recognisers.

.venv/bin/python benchmarks/discovery.py [--records 20000] [--seed 42] [--free-mb 8]
    [--repeat 5] [--skip-presidio] [--presidio-records N] [--presidio-free-mb 1]

1. A labelled corpus (``varna.discovery.corpus``: notes, e-mails, log lines and form fields,
   Swedish-flavoured, with look-alike decoys: dates, version strings, order numbers, OCR
   references, Unix timestamps, numbers with a wrong checksum) is written to
   ``benchmarks/out/discovery-corpus.jsonl``.
2. Varna scans it on one core (one process, the Hyperscan first pass and then the pure-Python
   one) and is scored per label: a predicted span is a true positive when it overlaps an unused
   planted span of the same label. Labels outside the twelve (street addresses, Art. 9 words)
   are not scored.
3. Free text: ``--free-mb`` of Swedish prose paragraphs with a corpus record every ~2 KB, in
   64 KB pieces, scanned for MB/s (UTF-8 bytes), ``--repeat`` times with the Hyperscan pass:
   the median and the best pass are shown (CPU time, like every figure here, but a shared
   machine still slows a process down through its caches).
4. Presidio: ``presidio-analyzer`` (``PRESIDIO_PIN``) is installed from PyPI into
   ``benchmarks/out/presidio-venv`` (once) and runs there in a child process on the same corpus
   file: an ``AnalyzerEngine`` for language ``sv`` whose registry holds Presidio's own Swedish
   recognisers (``SePersonnummerRecognizer``, ``SeOrganisationsnummerRecognizer``) and its
   generic e-mail, phone (regions SE, GB, US, DE), IBAN, credit-card and IP recognisers. No
   spaCy model can be downloaded here, so the NLP engine is ``SpacyNlpEngine`` with a blank
   Swedish pipeline (``spacy.blank("sv")``: tokenizer only, no named entities, so no
   ``PERSON``); the e-mail recogniser's public-suffix check uses the list bundled with
   ``tldextract`` instead of fetching it. Timed: ``analyzer.analyze(text, language="sv")`` per
   record, CPU time.

Targets: recall >= 0.95 and precision >= 0.90 per label; >= 30 MB/s on free text.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.table import Table

from varna.discovery.corpus import LABELS, Record, generate_corpus
from varna.discovery.engine import Scanner, ScanOptions

OUT = Path(__file__).resolve().parent / "out"
PRESIDIO_VENV = OUT / "presidio-venv"
PRESIDIO_PIN = "presidio-analyzer==2.2.366"
TARGET_RECALL, TARGET_PRECISION, TARGET_MBS = 0.95, 0.90, 30.0

Span = tuple[int, int, str]


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0


@dataclass
class Run:
    name: str
    seconds: float
    megabytes: float
    scores: dict[str, Score] = field(default_factory=dict)

    @property
    def mbs(self) -> float:
        return self.megabytes / self.seconds if self.seconds else 0.0


def score_spans(truth: Sequence[Span], predicted: Iterable[Span], scores: dict[str, Score]) -> None:
    """One-to-one matching by overlap and label; unmatched truth is a miss."""
    used = [False] * len(truth)
    for start, end, label in predicted:
        if label not in LABELS:
            continue
        score = scores.setdefault(label, Score())
        for index, (t_start, t_end, t_label) in enumerate(truth):
            if not used[index] and t_label == label and start < t_end and t_start < end:
                used[index] = True
                score.tp += 1
                break
        else:
            score.fp += 1
    for index, (_, _, label) in enumerate(truth):
        if not used[index]:
            scores.setdefault(label, Score()).fn += 1


def run_varna(records: Sequence[Record], backend: str) -> Run:
    scanner = Scanner.from_options(ScanOptions(backend=backend))  # type: ignore[arg-type]
    started = time.process_time()
    results = [scanner.scan(r.text) for r in records]
    seconds = time.process_time() - started
    run = Run(f"Varna ({scanner.backend})", seconds, _megabytes(r.text for r in records))
    for record, findings in zip(records, results, strict=True):
        score_spans(record.spans, [(f.start, f.end, f.label) for f in findings], run.scores)
    return run


def _megabytes(texts: Iterable[str]) -> float:
    return sum(len(t.encode("utf-8")) for t in texts) / 1e6


_PROSE = (
    "Mötet handlade om hur vi ska planera arbetet under våren och vem som ansvarar för vad.",
    "Leveransen försenades eftersom underleverantören hade problem med transporterna.",
    "Vi har gått igenom rutinerna för arkivering och kommit fram till att de fungerar bra.",
    "Kunden önskar att vi skickar en ny offert med uppdaterade priser före månadsskiftet.",
    "Enligt avtalet ska tjänsten granskas en gång per år av en oberoende part.",
    "The quarterly review showed that the support queue is shorter than last year.",
    "Det finns inga kända fel i den senaste versionen, men testerna fortsätter.",
    "Projektgruppen träffas varannan tisdag i det stora mötesrummet på tredje våningen.",
)


def free_text(records: Sequence[Record], megabytes: float, seed: int) -> list[str]:
    """64 KB pieces of prose with a corpus record every ~2 KB."""
    rng = random.Random(seed)
    pieces: list[str] = []
    piece: list[str] = []
    size = total = 0
    target = int(megabytes * 1e6)
    since = 0
    while total < target:
        sentence = rng.choice(_PROSE)
        if since > 2000:
            sentence = rng.choice(records).text
            since = 0
        piece.append(sentence)
        length = len(sentence.encode("utf-8")) + 1
        size, total, since = size + length, total + length, since + length
        if size >= 64_000:
            pieces.append(" ".join(piece))
            piece, size = [], 0
    if piece:
        pieces.append(" ".join(piece))
    return pieces


def run_free_text(pieces: Sequence[str], backend: str, repeat: int) -> tuple[float, list[float]]:
    """Megabytes and the CPU seconds of each of ``repeat`` passes over the pieces."""
    scanner = Scanner.from_options(ScanOptions(backend=backend))  # type: ignore[arg-type]
    times = []
    for _ in range(repeat):
        started = time.process_time()
        for piece in pieces:
            scanner.scan(piece)
        times.append(time.process_time() - started)
    return _megabytes(pieces), times


PRESIDIO_RUNNER = r"""
import json, sys, time
import spacy
import tldextract
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
from presidio_analyzer.nlp_engine import SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import (
    CreditCardRecognizer, EmailRecognizer, IbanRecognizer, IpRecognizer, PhoneRecognizer,
    SeOrganisationsnummerRecognizer, SePersonnummerRecognizer,
)

# No network: the e-mail recogniser's public-suffix check uses the list bundled with tldextract.
tldextract.extract = tldextract.TLDExtract(suffix_list_urls=())
# No model download: a blank Swedish spaCy pipeline (tokenizer only) serves the NLP engine.
engine = SpacyNlpEngine(models=[{"lang_code": "sv", "model_name": "blank"}])
engine.nlp = {"sv": spacy.blank("sv")}
registry = RecognizerRegistry(supported_languages=["sv"])
for recognizer in (
    CreditCardRecognizer(supported_language="sv"),
    EmailRecognizer(supported_language="sv"),
    IbanRecognizer(supported_language="sv"),
    IpRecognizer(supported_language="sv"),
    PhoneRecognizer(supported_language="sv", supported_regions=("SE", "GB", "US", "DE")),
    SeOrganisationsnummerRecognizer(),
    SePersonnummerRecognizer(),
):
    registry.add_recognizer(recognizer)
analyzer = AnalyzerEngine(registry=registry, nlp_engine=engine, supported_languages=["sv"])
LABELS = {
    "SE_PERSONNUMMER": "personnummer", "SE_ORGANISATIONSNUMMER": "organisationsnummer",
    "EMAIL_ADDRESS": "email", "PHONE_NUMBER": "phone", "IBAN_CODE": "iban",
    "CREDIT_CARD": "card",
}
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8")]
analyzer.analyze(texts[0], language="sv")
cpu, wall = time.process_time(), time.perf_counter()
results = [analyzer.analyze(t, language="sv") for t in texts]
cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
spans = []
for text, found in zip(texts, results):
    row = []
    for r in found:
        label = LABELS.get(r.entity_type)
        if r.entity_type == "IP_ADDRESS":
            label = "ipv6" if ":" in text[r.start:r.end] else "ipv4"
        if label:
            row.append([r.start, r.end, label])
    spans.append(row)
free_cpu = free_mb = 0.0
if len(sys.argv) > 2:
    pieces = [json.loads(line)["text"] for line in open(sys.argv[2], encoding="utf-8")]
    free_mb = sum(len(p.encode("utf-8")) for p in pieces) / 1e6
    free_cpu = time.process_time()
    for piece in pieces:
        analyzer.analyze(piece, language="sv")
    free_cpu = time.process_time() - free_cpu
json.dump({"cpu": cpu, "wall": wall, "spans": spans, "free_cpu": free_cpu, "free_mb": free_mb},
          sys.stdout)
"""


def ensure_presidio(console: Console) -> Path:
    """The Python of a virtual environment with ``PRESIDIO_PIN``, created on first use."""
    python = PRESIDIO_VENV / "bin" / "python"
    probe = [str(python), "-c", "import presidio_analyzer, spacy"]
    if python.exists() and subprocess.run(probe, capture_output=True).returncode == 0:
        return python
    console.print(f"installing {PRESIDIO_PIN} into {PRESIDIO_VENV.relative_to(OUT.parent.parent)}")
    subprocess.run([sys.executable, "-m", "venv", str(PRESIDIO_VENV)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", PRESIDIO_PIN], check=True)
    return python


def run_presidio(
    console: Console, records: Sequence[Record], corpus: Path, free: Path
) -> tuple[Run, float]:
    """Presidio's run on the corpus, and its MB/s on the free-text sample."""
    python = ensure_presidio(console)
    done = subprocess.run(
        [str(python), "-c", PRESIDIO_RUNNER, str(corpus), str(free)],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(done.stdout)
    run = Run("Presidio-sv", result["cpu"], _megabytes(r.text for r in records))
    for record, spans in zip(records, result["spans"], strict=True):
        score_spans(record.spans, [(s, e, label) for s, e, label in spans], run.scores)
    return run, result["free_mb"] / result["free_cpu"]


def _cell(score: Score | None) -> str:
    if score is None or score.tp + score.fn == 0:
        return "-"
    ok = score.recall >= TARGET_RECALL and score.precision >= TARGET_PRECISION
    mark = "" if ok else " ✗"
    return f"{score.precision:.3f} / {score.recall:.3f}{mark}"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--free-mb", type=float, default=8.0)
    parser.add_argument(
        "--repeat", type=int, default=5, help="passes over the free text (median and best shown)"
    )
    parser.add_argument("--skip-presidio", action="store_true")
    parser.add_argument(
        "--presidio-free-mb", type=float, default=1.0, help="free text for Presidio (it is slow)"
    )
    parser.add_argument(
        "--presidio-records", type=int, default=None, help="score Presidio on the first N only"
    )
    args = parser.parse_args(argv)
    console = Console()
    records = list(generate_corpus(args.records, seed=args.seed))
    OUT.mkdir(exist_ok=True)
    corpus = OUT / "discovery-corpus.jsonl"
    with corpus.open("w", encoding="utf-8") as sink:
        for record in records:
            sink.write(json.dumps({"id": record.id, "text": record.text}, ensure_ascii=False))
            sink.write("\n")
    # Warm up once (gazetteer, phone metadata, IBAN registry load on first use).
    for backend in ("hyperscan", "python"):
        Scanner.from_options(ScanOptions(backend=backend)).scan(records[0].text + records[1].text)  # type: ignore[arg-type]
    runs = [run_varna(records, "hyperscan"), run_varna(records, "python")]
    pieces = free_text(records, args.free_mb, args.seed)
    free = [run_free_text(pieces, "hyperscan", args.repeat), run_free_text(pieces, "python", 1)]
    free_cells = [
        f"{mb / sorted(times)[len(times) // 2]:.1f} (best {mb / min(times):.1f})"
        if len(times) > 1
        else f"{mb / times[0]:.1f}"
        for mb, times in free
    ]
    if not args.skip_presidio:
        sample = OUT / "discovery-free-text.jsonl"
        with sample.open("w", encoding="utf-8") as sink:
            for piece in free_text(records, args.presidio_free_mb, args.seed):
                sink.write(json.dumps({"text": piece}, ensure_ascii=False) + "\n")
        subset = records[: args.presidio_records] if args.presidio_records else records
        if args.presidio_records:
            presidio_corpus = OUT / "discovery-corpus-presidio.jsonl"
            lines = corpus.read_text(encoding="utf-8").splitlines()[: args.presidio_records]
            presidio_corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
        else:
            presidio_corpus = corpus
        presidio_run, presidio_free = run_presidio(console, subset, presidio_corpus, sample)
        runs.append(presidio_run)
        free_cells.append(f"{presidio_free:.2f} ({args.presidio_free_mb:g} MB)")

    size = _megabytes(r.text for r in records)
    table = Table(
        title=f"Discovery, {len(records):,} records ({size:.1f} MB), precision / recall, "
        "one core (CPU time)"
    )
    table.add_column("label")
    for run in runs:
        table.add_column(run.name, justify="right")
    for label in LABELS:
        table.add_row(label, *(_cell(run.scores.get(label)) for run in runs))
    totals = []
    for run in runs:
        total = Score()
        for s in run.scores.values():
            total.tp, total.fp, total.fn = total.tp + s.tp, total.fp + s.fp, total.fn + s.fn
        totals.append(_cell(total))
    table.add_row("all twelve", *totals)
    table.add_row("MB/s, corpus records", *(f"{run.mbs:.2f}" for run in runs))
    table.add_row(f"MB/s, free text ({args.free_mb:g} MB; median of {args.repeat})", *free_cells)
    console.print(table)
    console.print(
        f"targets: precision >= {TARGET_PRECISION}, recall >= {TARGET_RECALL} per label (✗ = "
        f"missed); >= {TARGET_MBS:g} MB/s on free text"
    )


if __name__ == "__main__":
    main()
