"""The README's list of checks, rendered from the tables that define them: ``python -m schemas.check_docs``."""

from __future__ import annotations

from schemas.checks import relations
from schemas.cross_checks import CROSS_CHECKS
from schemas.issues import issue_kinds

SCOPE_NAMES = {"file": "file", "figure": "figure", "report": "one report", "across": "across reports"}


def rule_of(check: str) -> str:
    """A kind's rule: its catalogued rule, its relations, or its cross-report check's docstring."""
    stated = [f"`{r.rule}`" for r in relations() if r.check == check]
    if check in CROSS_CHECKS:
        stated.append((CROSS_CHECKS[check].__doc__ or "").strip().rstrip("."))
    return "; ".join(stated) or issue_kinds()[check].rule


def checks_markdown() -> str:
    """A Markdown table of the checks (the readers' own cell and row issues are not checks): key, severity, rule."""
    lines = ["| check | severity | level | rule |", "| --- | --- | --- | --- |"]
    for check, kind in issue_kinds().items():
        if kind.scope not in SCOPE_NAMES:
            continue
        lines.append(f"| `{check}` | {kind.severity} | {SCOPE_NAMES[kind.scope]} | {rule_of(check)} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(checks_markdown())
