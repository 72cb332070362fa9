"""Thresholds and the registry of reporting units the checks use, taken from a plain mapping (config.toml)."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from functools import cached_property

PROVINCE_BODIES = ("Ban Chỉ đạo 389", "Ban Nội chính", "Tỉnh ủy", "UBND tỉnh", "Ủy ban nhân dân tỉnh")


@dataclass(frozen=True)
class CheckSettings:
    """What a reviewer tolerates; defaults match the ``[checks]`` section of a new workspace's config.toml."""

    approx_tolerance: float = 0.10
    change_factor: float = 3.0
    change_min_value: float = 20.0
    province_bodies: tuple[str, ...] = PROVINCE_BODIES
    registry: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def from_config(cls, config: Mapping[str, object] | None) -> CheckSettings:
        """Settings from a parsed config.toml: ``[checks]`` thresholds and ``[registry]`` province -> units."""
        config = config or {}
        checks = dict(config.get("checks", {}))  # type: ignore[arg-type]
        known = {f.name for f in fields(cls)} - {"registry"}
        values = {key: value for key, value in checks.items() if key in known}
        if "province_bodies" in values:
            values["province_bodies"] = tuple(values["province_bodies"])
        registry = {
            province: tuple(units)
            for province, units in dict(config.get("registry", {})).items()  # type: ignore[arg-type]
        }
        return cls(**values, registry=registry)

    def speaks_for_province(self, reporting_unit: object) -> bool:
        """A blank reporting unit (a table's province row) or a provincial body speaks for the whole province."""
        if not isinstance(reporting_unit, str) or not reporting_unit.strip():
            return True
        return self.folded_speaks_for_province(fold_name(reporting_unit))

    def folded_speaks_for_province(self, folded: str) -> bool:
        """``speaks_for_province`` for a name already folded with ``fold_name``."""
        return not folded or any(body in folded for body in self._folded_bodies)

    @cached_property
    def _folded_bodies(self) -> tuple[str, ...]:
        return tuple(fold_name(body) for body in self.province_bodies)


def fold_name(name: object) -> str:
    """A unit's name compared loosely: NFC, case-folded, single spaces."""
    if not isinstance(name, str):
        return ""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())
