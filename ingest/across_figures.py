"""Decisions that look across a report's figures once they are read: a breakdown needs a total of its metric
before it, a breakdown's parts add up to the total they break down, a title restates a figure of the body."""

from __future__ import annotations

from ingest.cues import Cues

Row = dict[str, object]


def breakdowns_add_up(rows: list[Row], cue: Cues) -> list[Row]:
    """A breakdown on one line ("BĐBP 41 vụ; Công an 33 vụ; Hải quan 19 vụ; QLTT 32 vụ") breaks down the total
    it adds up to: where its parts sum to an earlier total of another metric of the same noun (125 cases
    found), and to none of its own, they take that metric."""
    noun_of = {metric: noun for (_, noun), metric in cue.rules.items()}
    for part in _breakdown_groups(rows):
        whole = sum(float(row["value"]) for row in part)  # type: ignore[arg-type]
        first = part[0]
        totals = [
            row["metric"]
            for row in rows
            if row["scope"] == "period_total"
            and int(row["span_start"]) < int(first["span_start"])  # type: ignore[call-overload]
            and noun_of.get(str(row["metric"])) == noun_of.get(str(first["metric"]))
            and abs(float(row["value"]) - whole) < 1e-6  # type: ignore[arg-type]
        ]
        if totals and first["metric"] not in totals:
            for row in part:
                row["metric"] = totals[-1]
    return rows


def _breakdown_groups(rows: list[Row]) -> list[list[Row]]:
    """Runs of two or more breakdown figures of one metric on one line."""
    groups: list[list[Row]] = []
    for row in rows:
        run = groups[-1] if groups else None
        if (
            run
            and row["scope"] == "subset"
            and (row["metric"], row["line"]) == (run[0]["metric"], run[0]["line"])
        ):
            run.append(row)
        elif row["scope"] == "subset":
            groups.append([row])
    return [group for group in groups if len(group) > 1]


def headlines_take_the_body_period(rows: list[Row]) -> list[Row]:
    """A title that states no period ("Bắt giữ đối tượng vận chuyển 4 bánh heroin") restates a figure of the
    body: it takes the period of the body figure it restates (of its metric; of its value, if one is), inferred."""
    for row in rows:
        if row["scope"] != "headline" or row["period_start"] is not None:
            continue
        same = [other for other in rows if other["scope"] != "headline" and other["metric"] == row["metric"]]
        body = min(same, key=lambda other: other["value"] != row["value"], default=None)
        if body is not None and body["period_start"] is not None:
            row |= {key: body[key] for key in ("period_start", "period_end", "period_label")}
            row["period_inferred"] = True
    return rows


def subsets_need_a_total(rows: list[Row]) -> list[Row]:
    """A "trong đó" figure is a breakdown only of a metric already stated as a total; else it is a total itself.
    A breakdown that names no domain ("Trong số này, BĐBP bắt 19 vụ") has its total's."""
    totals: dict[object, Row] = {}
    for row in rows:
        if row["scope"] == "subset":
            total = totals.get(row["metric"])
            if total is None:
                row["scope"] = "period_total"
            elif row["category"] == "all":
                row["category"] = total["category"]
        if row["scope"] == "period_total":
            totals[row["metric"]] = row
    return rows
