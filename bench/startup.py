"""The fixed cost of `border-reports run` with the temporary local Prefect API: one small file, on a fresh
workspace (Prefect's database created and migrated) and on a warm one (the database exists), with the
start `local_api.configure_prefect` now makes against the previous one, forced back through the environment.

    python bench/startup.py [--runs 3] [--seed sample_inputs/cao-bang-2018-10-12.txt] [--try LABEL:K=V,K=V ...]

Prints, for each variant, the median wall seconds of the whole command on a fresh and on a warm workspace,
and the ratio against the previous defaults. `--try` adds variants (extra environment on top of the new
defaults), to measure one setting at a time. No PREFECT_API_URL and no serve: the local-API case only.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-c", "from flows.cli import main; main()", "run"]

# The behaviour before: Prefect starts its temporary API on first use (BORDER_REPORTS_EARLY_API=0), with its
# own values of the quick-start settings, which set in the environment win over `local_api.configure_prefect`'s.
PREVIOUS_DEFAULTS = {
    "BORDER_REPORTS_EARLY_API": "0",
    "PREFECT_SERVER_DATABASE_MIGRATE_ON_START": "true",
    "PREFECT_SERVER_REGISTER_BLOCKS_ON_START": "true",
    "PREFECT_SERVER_MEMOIZE_BLOCK_AUTO_REGISTRATION": "true",
}


def run_once(seed: Path, workspace: Path, extra: dict[str, str]) -> float:
    """Wall seconds of one `border-reports run SEED` on WORKSPACE (exit 0 or 1: a run that found issues)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "BORDER_REPORTS_"))}
    env.update(extra, BORDER_REPORTS_HOME=str(workspace))
    started = time.perf_counter()
    done = subprocess.run([*CLI, str(seed)], cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1) or "files:" not in done.stdout:
        raise SystemExit(f"run failed ({done.returncode}):\n{done.stdout[-1500:]}\n{done.stderr[-1500:]}")
    return seconds


def measure(seed: Path, variants: dict[str, dict[str, str]], runs: int, scratch: Path, fresh_too: bool):
    """Median seconds of each variant on a fresh workspace (NaN when skipped) and on a warm one. The variants
    take turns, round after round, so that a busy spell on the machine does not fall on one of them only."""
    times = {label: {"fresh": [], "warm": []} for label in variants}
    spaces = {label: scratch / f"warm-{number}" for number, label in enumerate(variants)}
    for label in variants:  # primed with the defaults: a --try variant may not be able to create it
        run_once(seed, spaces[label], {})
    for number in range(runs):
        for label, extra in variants.items():
            if fresh_too:
                times[label]["fresh"].append(run_fresh(seed, scratch / f"fresh-{number}", extra))
            times[label]["warm"].append(run_once(seed, spaces[label], extra))
    return {
        label: {kind: statistics.median(got or [math.nan]) for kind, got in row.items()}
        for label, row in times.items()
    }


def run_fresh(seed: Path, workspace: Path, extra: dict[str, str]) -> float:
    try:
        return run_once(seed, workspace, extra)
    finally:
        shutil.rmtree(workspace, ignore_errors=True)


def parse_variant(text: str) -> tuple[str, dict[str, str]]:
    label, _, pairs = text.partition(":")
    return label, dict(pair.split("=", 1) for pair in pairs.split(",") if pair)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=Path, default=ROOT / "sample_inputs" / "cao-bang-2018-10-12.txt")
    parser.add_argument("--try", dest="variants", action="append", default=[], metavar="LABEL:K=V,K=V")
    parser.add_argument("--skip-fresh", action="store_true", help="Warm workspace only (quicker).")
    args = parser.parse_args()
    variants = {"previous defaults": PREVIOUS_DEFAULTS, "new defaults": {}}
    variants |= dict(parse_variant(text) for text in args.variants)
    print(f"border-reports run {args.seed.name}: median of {args.runs} runs, wall seconds")
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as scratch:
        medians = measure(args.seed.resolve(), variants, args.runs, Path(scratch), not args.skip_fresh)
    base = medians["previous defaults"]
    print(f"{'variant':<40} {'fresh':>7} {'warm':>7} {'fresh x':>8} {'warm x':>7}")
    for label, row in medians.items():
        fresh, warm = row["fresh"], row["warm"]
        print(f"{label:<40} {fresh:7.2f} {warm:7.2f} {fresh / base['fresh']:8.2f} {warm / base['warm']:7.2f}")


if __name__ == "__main__":
    main()
