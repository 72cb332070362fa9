"""``border-reports serve`` on a new workspace: start-up, drop-to-archive latency, and ``run`` beside it.

    python bench/serve.py [--drops 3]

Prints seconds until serve is ready (new Prefect database), for each dropped report the seconds until its
original is archived, then a ``border-reports run`` on the same workspace while serve runs (it shares the
server) and the seconds for serve to stop on SIGTERM.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SEED = Path(__file__).resolve().parents[1] / "sample_inputs" / "cao-bang-2018-10-12.txt"
CLI = [sys.executable, "-c", "from flows.cli import main; main()"]


def wait_for(condition, timeout: float = 300) -> float:
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise TimeoutError
        time.sleep(0.1)
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--drops", type=int, default=3)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp()) / "workspace"
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    log = (root.parent / "serve.log").open("ab")
    serve = subprocess.Popen(
        [*CLI, "serve", "--workspace", str(root)], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    ready = wait_for(lambda: (root / ".prefect" / "serve.json").exists())
    print(f"serve ready (new Prefect database): {ready:.1f} s")
    for n in range(args.drops):
        (root / "inbox" / f"bao-cao-{n}.txt").write_bytes(SEED.read_bytes() + b"\n" * n)
        seconds = wait_for(lambda n=n: any((root / "archive").rglob(f"*-bao-cao-{n}.txt")))
        print(f"drop {n + 1}: archived after {seconds:.1f} s")
        time.sleep(5)
    started = time.monotonic()
    subprocess.run(
        [*CLI, "run", "--workspace", str(root), str(SEED)], env=env, capture_output=True, check=False
    )
    print(f"border-reports run beside serve (shares its server): {time.monotonic() - started:.1f} s")
    api = json.loads((root / ".prefect" / "serve.json").read_text())["api_url"]
    serve.send_signal(signal.SIGTERM)
    started = time.monotonic()
    serve.wait(timeout=120)
    print(
        f"serve stopped on SIGTERM after {time.monotonic() - started:.1f} s (exit {serve.returncode}); API {api}"
    )


if __name__ == "__main__":
    main()
