"""Extraction quality and speed on the labelled development set (tests/data/prose) and the sample reports.

Run by hand: ``python bench/extraction.py [--details]``. Prints precision, recall and F1 per metric and overall
(a figure counts as found when metric and value agree), the share of found figures whose qualifier, category,
scope and period also agree, and the reader's throughput in MB of prose per second on one core.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest.extract import extract_figures  # noqa: E402
from ingest.prose import read_prose  # noqa: E402

SETS = [ROOT / "tests" / "data" / "prose", ROOT / "sample_inputs"]
ATTRIBUTES = ["qualifier", "category", "scope", "period_start", "period_end"]


def labelled_texts() -> list[tuple[Path, list[dict]]]:
    cases = []
    for folder in SETS:
        for text in sorted(folder.glob("*.txt")):
            expected = text.with_name(text.stem + ".expected.jsonl")
            if expected.exists():
                rows = [
                    json.loads(line)
                    for line in expected.read_text(encoding="utf-8").splitlines()
                    if line.strip()
                ]
                cases.append((text, rows))
    return cases


def key(row: dict) -> tuple[str, float]:
    return row["metric"], round(float(row["value"]), 3)


def score(cases, details: bool) -> None:
    true_pos, false_pos, false_neg = Counter(), Counter(), Counter()
    agree, compared = Counter(), Counter()
    for path, expected in cases:
        found = extract_figures(path.read_bytes(), path.name)
        rows = [{k: (None if v != v else v) for k, v in r.items()} for r in found.to_dict("records")]
        unmatched = defaultdict(list)
        for row in expected:
            unmatched[key(row)].append(row)
        for row in rows:
            candidates = unmatched.get(key(row))
            if candidates:
                want = candidates.pop(0)
                true_pos[row["metric"]] += 1
                for attribute in ATTRIBUTES:
                    compared[attribute] += 1
                    same = str(row.get(attribute)) == str(want.get(attribute))
                    agree[attribute] += same
                    if details and not same:
                        print(
                            f"  {path.name}: {row['metric']} {row['value']:g} {attribute} "
                            f"{row.get(attribute)!r} != {want.get(attribute)!r}"
                        )
            else:
                false_pos[row["metric"]] += 1
                if details:
                    print(
                        f"+ {path.name} {row['locator']}: {row['metric']} {row['value']:g}  | {row['quote']}"
                    )
        for rest in unmatched.values():
            for want in rest:
                false_neg[want["metric"]] += 1
                if details:
                    print(f"- {path.name}: {want['metric']} {want['value']}  | {want.get('quote')}")
    print(f"\n{'metric':<24}{'tp':>5}{'fp':>5}{'fn':>5}{'precision':>11}{'recall':>8}{'F1':>7}")
    for metric in sorted(set(true_pos) | set(false_pos) | set(false_neg)):
        print_row(metric, true_pos[metric], false_pos[metric], false_neg[metric])
    print_row("OVERALL", sum(true_pos.values()), sum(false_pos.values()), sum(false_neg.values()))
    print("\nattributes of found figures that also agree:")
    for attribute in ATTRIBUTES:
        print(
            f"  {attribute:<14}{agree[attribute] / max(1, compared[attribute]):.3f} ({compared[attribute]})"
        )


def print_row(name: str, tp: int, fp: int, fn: int) -> None:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"{name:<24}{tp:>5}{fp:>5}{fn:>5}{precision:>11.3f}{recall:>8.3f}{f1:>7.3f}")


def throughput(cases, megabytes: float = 20.0) -> None:
    texts = [path.read_text(encoding="utf-8") for path, _ in cases]
    corpus = "\n\n".join(texts)
    repeat = max(1, int(megabytes * 1e6 / len(corpus.encode())))
    documents = texts * repeat
    size = sum(len(t.encode()) for t in documents) / 1e6
    started = time.perf_counter()
    figures = sum(len(read_prose(text, "vi")) for text in documents)
    seconds = time.perf_counter() - started
    print(
        f"\nthroughput: {size:.1f} MB in {len(documents)} documents, {figures} figures, {seconds:.2f} s "
        f"= {size / seconds:.2f} MB/s on one core"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--details", action="store_true", help="list every miss and every extra figure")
    parser.add_argument(
        "--megabytes", type=float, default=20.0, help="prose to read for the throughput figure"
    )
    args = parser.parse_args()
    cases = labelled_texts()
    print(f"{len(cases)} labelled texts, {sum(len(e) for _, e in cases)} figures")
    score(cases, args.details)
    throughput(cases, args.megabytes)


if __name__ == "__main__":
    main()
