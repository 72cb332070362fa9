"""Extraction quality and speed on the labelled development set (tests/data/prose) and the sample reports.

Run by hand: ``python bench/extraction.py [--details] [--labelled DIR]``. Prints precision, recall and F1 per
metric and overall (a figure counts as found when metric and value agree), the share of found figures whose
qualifier, category, scope and period also agree, and the reader's throughput in MB of prose per second on one
core, on the development set and on the sample reports. ``--labelled DIR`` scores a folder of reports labelled
the same way (``tests/data/prose/README.md``) instead: reports kept outside the repository, say.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest.decode import decode_document  # noqa: E402
from ingest.extract import extract_figures  # noqa: E402
from ingest.prose import read_prose  # noqa: E402

SETS = [ROOT / "tests" / "data" / "prose", ROOT / "sample_inputs"]
PROSE_FORMATS = {".txt", ".md", ".html", ".htm", ".docx", ".pdf"}
ATTRIBUTES = ["qualifier", "category", "scope", "period_start", "period_end"]


def labelled_texts(folders: list[Path] = SETS) -> list[tuple[Path, list[dict]]]:
    """Each labelled report (.txt, .html, .docx, ...) with its expected figures."""
    cases = []
    for folder in folders:
        for text in sorted(folder.iterdir()):
            expected = text.with_name(text.stem + ".expected.jsonl")
            if text.suffix in PROSE_FORMATS and expected.exists():
                rows = [
                    json.loads(line)
                    for line in expected.read_text(encoding="utf-8").splitlines()
                    if line.strip()
                ]
                cases.append((text, rows))
    return cases


def key(row: dict) -> tuple[str, float]:
    return row["metric"], round(float(row["value"]), 3)


@dataclass
class Scores:
    true_pos: Counter = field(default_factory=Counter)
    false_pos: Counter = field(default_factory=Counter)
    false_neg: Counter = field(default_factory=Counter)
    agree: Counter = field(default_factory=Counter)
    compared: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        found = sum(self.true_pos.values()) + sum(self.false_pos.values())
        return sum(self.true_pos.values()) / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = sum(self.true_pos.values()) + sum(self.false_neg.values())
        return sum(self.true_pos.values()) / wanted if wanted else 1.0

    def agreement(self, attribute: str) -> float:
        return self.agree[attribute] / max(1, self.compared[attribute])


def evaluate(cases: list[tuple[Path, list[dict]]]) -> Scores:
    """Match found figures to labelled ones on (metric, value); count what agrees beyond that."""
    scores = Scores()
    for path, expected in cases:
        found = extract_figures(path.read_bytes(), path.name)
        rows = [{k: (None if v != v else v) for k, v in r.items()} for r in found.to_dict("records")]
        unmatched = defaultdict(list)
        for row in expected:
            unmatched[key(row)].append(row)
        for row in rows:
            candidates = unmatched.get(key(row))
            if not candidates:
                scores.false_pos[row["metric"]] += 1
                scores.notes.append(
                    f"+ {path.name} {row['locator']}: {row['metric']} {row['value']:g}  | {row['quote']}"
                )
                continue
            want = candidates.pop(0)
            scores.true_pos[row["metric"]] += 1
            for attribute in ATTRIBUTES:
                same = str(row.get(attribute)) == str(want.get(attribute))
                scores.compared[attribute] += 1
                scores.agree[attribute] += same
                if not same:
                    scores.notes.append(
                        f"  {path.name}: {row['metric']} {row['value']:g} {attribute} "
                        f"{row.get(attribute)!r} != {want.get(attribute)!r}"
                    )
        for rest in unmatched.values():
            for want in rest:
                scores.false_neg[want["metric"]] += 1
                scores.notes.append(f"- {path.name}: {want['metric']} {want['value']}  | {want.get('quote')}")
    return scores


def report(scores: Scores, details: bool) -> None:
    if details:
        print("\n".join(scores.notes))
    print(f"\n{'metric':<24}{'tp':>5}{'fp':>5}{'fn':>5}{'precision':>11}{'recall':>8}{'F1':>7}")
    metrics = set(scores.true_pos) | set(scores.false_pos) | set(scores.false_neg)
    for metric in sorted(metrics):
        print_row(metric, scores.true_pos[metric], scores.false_pos[metric], scores.false_neg[metric])
    print_row(
        "OVERALL",
        sum(scores.true_pos.values()),
        sum(scores.false_pos.values()),
        sum(scores.false_neg.values()),
    )
    print("\nattributes of found figures that also agree:")
    for attribute in ATTRIBUTES:
        print(f"  {attribute:<14}{scores.agreement(attribute):.3f} ({scores.compared[attribute]})")


def print_row(name: str, tp: int, fp: int, fn: int) -> None:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"{name:<24}{tp:>5}{fp:>5}{fn:>5}{precision:>11.3f}{recall:>8.3f}{f1:>7.3f}")


def throughput(label: str, texts: list[str], megabytes: float) -> None:
    """MB of prose read per CPU-second: the figure for one core, steady when other work shares the machine."""
    repeat = max(1, int(megabytes * 1e6 / len("\n\n".join(texts).encode())))
    documents = texts * repeat
    size = sum(len(t.encode()) for t in documents) / 1e6
    started = time.process_time()
    figures = sum(len(read_prose(text, "vi")) for text in documents)
    seconds = time.process_time() - started
    print(
        f"{label:<28}{size:5.1f} MB, {len(documents):5} documents, a figure every {size * 1e6 / figures:4.0f} "
        f"bytes: {seconds:5.2f} s = {size / seconds:.2f} MB/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--details", action="store_true", help="list every miss and every extra figure")
    parser.add_argument(
        "--megabytes", type=float, default=20.0, help="prose to read for the throughput figure"
    )
    parser.add_argument(
        "--labelled",
        type=Path,
        action="append",
        metavar="DIR",
        help="score the labelled reports in DIR instead of the development set (repeatable)",
    )
    args = parser.parse_args()
    cases = labelled_texts(args.labelled or SETS)
    print(f"{len(cases)} labelled texts, {sum(len(e) for _, e in cases)} figures")
    report(evaluate(cases), args.details)
    print("\nthroughput on one core:")
    plain = [path for path, _ in cases if path.suffix == ".txt"]
    if args.labelled:
        throughput("labelled texts given", [_text(p) for p in plain], args.megabytes)
        return
    development = [path for path in plain if path.parent.name == "prose"]
    samples = [path for path in plain if path.parent.name != "prose"]
    # The development set packs a figure every ~180 bytes; reports as published (the samples) are sparser.
    throughput("development set (dense)", [_text(p) for p in development], args.megabytes)
    throughput("sample reports", [_text(p) for p in samples], args.megabytes)


def _text(path: Path) -> str:
    """The text as the reader gets it (some are in Windows-1258, UTF-16 or TCVN3)."""
    return decode_document(path.read_bytes(), path.name).text


if __name__ == "__main__":
    main()
