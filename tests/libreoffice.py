"""LibreOffice headless as the real spreadsheet client in tests: recalculate a workbook, print it to PDF.

Each call runs ``soffice`` with a throw-away profile (``-env:UserInstallation`` and ``HOME`` both point at a
fresh temporary folder), so two runs never hand work to each other, and the profile tells Calc to
recalculate every formula on load (``OOXMLRecalcMode`` = 0): openpyxl writes formulas without cached results.

    from tests.libreoffice import recalculate, to_pdf, pdf_text
    fresh = recalculate(xlsx, tmp_path)         # a copy with every formula computed
    text = pdf_text(to_pdf(xlsx, tmp_path))     # what a printed copy shows
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
TIMEOUT_SECONDS = 180
FORMULA_ERRORS = ("#NAME?", "#REF!", "#VALUE!", "#DIV/0!", "#N/A", "Err:")

# Recalculate formulas of .xlsx files on load, always (0 = always, 1 = never, 2 = ask).
_RECALC_ON_LOAD = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
</oor:items>
"""


# For tests that would rather skip than fail on a machine without LibreOffice (scripts/test.sh installs it).
needs_libreoffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")


def recalculate(xlsx: Path, out_dir: Path) -> Path:
    """A copy of ``xlsx`` in ``out_dir`` saved by LibreOffice after recalculating every formula."""
    return convert(xlsx, out_dir, "xlsx:Calc MS Excel 2007 XML", ".xlsx")


def to_pdf(xlsx: Path, out_dir: Path) -> Path:
    """``xlsx`` printed to PDF by LibreOffice (formulas recalculated first) in ``out_dir``."""
    return convert(xlsx, out_dir, "pdf:calc_pdf_Export", ".pdf")


def pdf_text(pdf: Path) -> str:
    """The text of a PDF as ``pdftotext -layout`` reads it."""
    done = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        check=True,
        timeout=TIMEOUT_SECONDS,
    )
    return done.stdout.decode("utf-8")


def convert(source: Path, out_dir: Path, target: str, suffix: str) -> Path:
    """Run ``soffice --convert-to target`` on ``source`` into ``out_dir``; returns the new file.

    The output keeps the source's stem; converting xlsx to xlsx into the source's own folder would overwrite
    it, so that is refused.
    """
    if SOFFICE is None:
        raise RuntimeError("LibreOffice (soffice) is not installed: see scripts/test.sh")
    source, out_dir = Path(source).resolve(), Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    result = out_dir / (source.stem + suffix)
    if result == source:
        raise ValueError(f"{source}: converting into its own folder would overwrite it; pass another out_dir")
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        home = Path(profile)
        (home / "user").mkdir()
        (home / "user" / "registrymodifications.xcu").write_text(_RECALC_ON_LOAD, encoding="utf-8")
        done = subprocess.run(
            [
                SOFFICE,
                f"-env:UserInstallation={home.as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                target,
                "--outdir",
                str(out_dir),
                str(source),
            ],
            capture_output=True,
            env={**os.environ, "HOME": str(home)},
            timeout=TIMEOUT_SECONDS,
        )
    if done.returncode != 0 or not result.exists():
        output = (done.stdout + done.stderr).decode("utf-8", "replace").strip()
        raise RuntimeError(f"{source.name}: LibreOffice could not convert to {suffix}: {output}")
    return result
