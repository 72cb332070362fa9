from __future__ import annotations

import tomllib
from importlib import resources

from schemas.catalog import CATEGORIES, GROUP_LABELS, metrics


def test_every_metric_has_both_labels_a_known_unit_and_group():
    for key, metric in metrics().items():
        assert metric.label_vi and metric.label_en, key
        assert metric.unit in {"count", "VND", "g", "kg", "km"}, key
        assert metric.group in GROUP_LABELS, key
        assert metric.default_category in CATEGORIES, key


def test_every_cue_rule_names_a_catalog_metric_and_a_known_action_and_noun():
    cues = tomllib.loads(resources.files("ingest").joinpath("cues.toml").read_text(encoding="utf-8"))
    for metric, action, noun in cues["rules"]["table"]:
        assert metric in metrics() or metric == "@substance", metric
        assert action == "*" or action in cues["actions"], action
        assert noun in cues["nouns"], noun


def test_every_flow_metric_can_be_read_from_prose():
    cues = tomllib.loads(resources.files("ingest").joinpath("cues.toml").read_text(encoding="utf-8"))
    readable = {metric for metric, _, _ in cues["rules"]["table"]} | set(cues["substances"])
    assert set(cues["substances"]) <= set(metrics())
    assert set(metrics()) - readable == set()
