"""The shipped patterns table: complete against docs/ODD.md, sourced, validated."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from community_sim.errors import UserError
from community_sim.metrics import OUTCOMES
from community_sim.patterns import load_patterns
from community_sim.patterns.observe import STATISTICS

ROOT = Path(__file__).resolve().parents[2]


def test_every_odd_pattern_is_in_the_table():
    odd = (ROOT / "docs" / "ODD.md").read_text(encoding="utf-8")
    block = odd.split("**Patterns** (", 1)[1].split("## 2.", 1)[0]
    numbers = re.findall(r"(?m)^(\d)\. ", block)
    assert numbers == [str(n) for n in range(1, 9)]
    covered = {n.strip() for p in load_patterns().patterns for n in p.odd.split(",")}
    assert {f"1.{n}" for n in numbers} <= covered


def test_every_pattern_has_a_known_statistic_and_a_source():
    known = set(OUTCOMES) | set(STATISTICS)
    for p in load_patterns().patterns:
        assert p.statistic in known, p.name
        assert p.other is None or p.other in known, p.name
        assert (
            re.search(r"\(\d{4}\)", p.source)
            or "No representative" in p.source
            or "not an empirical figure" in p.source
        ), p.name


def test_issue_patterns_are_present():
    names = {p.statistic for p in load_patterns().patterns}
    assert {
        "external_hire_weeks", "external_search_share", "early_termination_share",
        "early_termination_year1_share", "relative_productivity_y2", "net_benefit_wage_share",
        "retention_training_firm", "placement_coverage", "sme_participation",
    } <= names  # fmt: skip


def test_bad_file_is_one_line_error_naming_the_key(tmp_path):
    f = tmp_path / "p.toml"
    f.write_text('[[pattern]]\nname = "x"\nstatistic = "skill_match"\nsource = "s"\n'
                 'kind = "difference"\nreference = "nowhere"\nhigh = 0.0\n')  # fmt: skip
    with pytest.raises(UserError, match=r"p.toml: key 'pattern\[0\].reference': unknown variant"):
        load_patterns(f)
    f.write_text('[[pattern]]\nname = "x"\nstatistic = "skill_match"\nsource = "s"\n')
    with pytest.raises(UserError, match="acceptance range"):
        load_patterns(f)
    f.write_text('[[pattern]]\nname = "x"\nstatistic = "s"\nsource = "s"\ncolour = 1\n')
    with pytest.raises(UserError, match=r"pattern\.0\.colour"):
        load_patterns(f)
