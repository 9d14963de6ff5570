"""The README and the documentation pages stay true to the code.

Each test reads the pages (README.md and every ``docs/**/*.md``) as a user
would and checks one kind of claim against the registries it describes
(``metrics``, ``cli.COMMANDS``, the Makefile, the specs in ``experiments/``),
or loads their annotated examples through the same code paths as
``community-sim``. ``tests/test_docs.py`` checks that every name they use
exists and that the site builds.
"""

from __future__ import annotations

import argparse
import re
import shlex
import shutil
import textwrap
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from community_sim.cli import COMMANDS
from community_sim.experiment import load_results, load_spec, plan_experiment, run_experiment
from community_sim.metrics import OUTCOMES, SERIES
from community_sim.params import PARAMS
from community_sim.params.scenarios import load_scenario

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
# README first, then the documentation site's pages (docs/, mkdocs.yml's docs_dir)
PAGES: dict[str, str] = {"README.md": README} | {
    p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8")
    for p in sorted((ROOT / "docs").rglob("*.md"))
}
ALL = "\n".join(PAGES.values())

# a fenced block, at the margin or indented in a list item (closed at the same indent)
FENCE = re.compile(r"^( *)```(\w*)\n(.*?)^\1```", re.MULTILINE | re.DOTALL)


def blocks(text: str) -> list[tuple[str, str]]:
    """(language, body) of every fenced code block of ``text``, bodies dedented."""
    return [(tag, textwrap.dedent(body)) for _, tag, body in FENCE.findall(text)]


def code_blocks(lang: str, text: str = ALL) -> list[str]:
    """The pages' fenced code blocks in ``lang`` (``""``: no language given)."""
    return [body for tag, body in blocks(text) if tag == lang]


def page(name: str) -> str:
    """The text of one page, e.g. ``docs/outputs.md``."""
    assert name in PAGES, f"no page {name}"
    return PAGES[name]


def section(heading: str, text: str | None = None) -> str:
    """The text under a Markdown heading, up to the next heading of any level.

    Without ``text``, the first page (README first) that has the heading.
    """
    for body in [text] if text is not None else PAGES.values():
        m = re.search(rf"^#+ {re.escape(heading)}\s*$", body, re.MULTILINE)
        if m:
            nxt = re.search(r"^#+ ", body[m.end() :], re.MULTILINE)
            return body[m.end() : m.end() + nxt.start()] if nxt else body[m.end() :]
    raise AssertionError(f"no page has a heading {heading!r}")


def table_rows(text: str) -> list[list[str]]:
    """Cells of every Markdown table row in ``text`` (header and rule lines skipped)."""
    rows = []
    for line in text.splitlines():
        if not line.startswith("|") or set(line) <= set("|-: "):
            continue
        rows.append([c.strip() for c in line.strip().strip("|").split("|")])
    return rows[1:] if rows else rows  # drop the header


def unquote(cell: str) -> str:
    return cell.strip("`")


# --- outputs ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("heading", "registry"),
    [
        ("Scalar outcomes (one per run)", OUTCOMES),
        ("Monthly series (one value per run and month)", SERIES),
    ],
)
def test_outputs_tables_list_every_name_with_its_unit(heading, registry):
    rows = {unquote(r[0]): r for r in table_rows(section(heading))}
    assert set(rows) == set(registry), "the docs' outputs table and metrics differ"
    for name, outcome in registry.items():
        unit, meaning, undefined = rows[name][1], rows[name][2], rows[name][3]
        assert unit == outcome.unit, f"{name}: the docs say {unit!r}, metrics {outcome.unit!r}"
        assert meaning, f"{name} has no meaning in the docs"
        # when an outcome is NaN is declared once, in metrics; the docs repeat it
        assert undefined == (outcome.undefined or "—"), f"{name}: the docs say {undefined!r}"


def test_parameter_count_is_current():
    m = re.search(r"The (\d+)\s+parameters", page("docs/model.md"))
    assert m and int(m.group(1)) == len(PARAMS)


# --- files ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "path",
    sorted(
        p.relative_to(ROOT).as_posix()
        for p in [*ROOT.glob("experiments/*.toml"), *ROOT.glob("configs/*.toml")]
    ),
)
def test_every_spec_and_scenario_is_mentioned(path):
    assert path in ALL, f"no page mentions {path}"


def test_every_scenario_is_in_the_scenarios_table():
    rows = {unquote(r[0]) for r in table_rows(page("docs/scenarios.md"))}
    assert rows == {p.relative_to(ROOT).as_posix() for p in ROOT.glob("configs/*.toml")}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_linked_files_and_images_exist(name):
    folder = (ROOT / name).parent
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", PAGES[name]):
        if "://" not in target:
            assert (folder / target).exists(), f"{name} links to missing {target}"


def test_gallery_shows_every_figure_make_gallery_writes():
    gallery = section("Gallery", page("docs/figures.md"))
    for name in ("series", "outcomes", "forest"):  # one file, or one per page (name_1.png, ...)
        files = sorted((ROOT / "docs" / "img").glob(f"{name}*.png"))
        assert files, name
        for f in files:
            assert f"](img/{f.name})" in gallery
    assert "](img/dashboard.png)" in page("docs/dashboard.md")


# --- commands -------------------------------------------------------------------
def shell_lines() -> list[str]:
    """Every command line of the pages' sh blocks, continuations joined, comments cut."""
    lines: list[str] = []
    for block in code_blocks("sh"):
        for line in block.replace("\\\n", " ").splitlines():
            line = line.split("  #", 1)[0].strip()
            if line and not line.startswith("#"):
                lines.append(line)
    return lines


def subparser(name: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"community-sim {name}")
    COMMANDS[name][1](parser)
    return parser


def test_readme_commands_name_real_subcommands_and_options():
    commands = [line for line in shell_lines() if line.startswith("community-sim")]
    assert len(commands) >= 10
    seen = set()
    for line in commands:
        words = [w for w in shlex.split(line.replace("[", " ").replace("]", " ")) if w != "-v"]
        name = words[1]
        assert name in COMMANDS, f"the docs run an unknown subcommand: {line}"
        seen.add(name)
        known = subparser(name)._option_string_actions
        for word in words[2:]:
            if word.startswith("--"):
                opt = word.split("=", 1)[0]
                assert opt in known, f"the docs use {opt}, unknown to `community-sim {name}`"
    assert seen == set(COMMANDS), f"the docs show no example of {set(COMMANDS) - seen}"


def test_readme_make_targets_exist():
    makefile = (ROOT / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z][\w-]*):", makefile, re.MULTILINE))
    used = {line.split()[1] for line in shell_lines() if line.startswith("make ")}
    assert {"demo", "test"} <= used
    assert used <= targets, f"the docs use make targets {used - targets} the Makefile lacks"


def test_two_commands_come_first():
    first = re.search(r"^## (.+)$", README, re.MULTILINE)
    assert first and first.group(1) == "The two commands"
    block = code_blocks("sh", README)[0]
    assert [line.split()[:2] for line in block.splitlines()] == [["make", "demo"], ["make", "test"]]


# --- studies ----------------------------------------------------------------------
def test_studies_table_states_each_specs_run_count():
    rows = {unquote(r[0]): r for r in table_rows(section("Studies", page("docs/studies.md")))}
    # sweeps only: a policy-design spec ([optimize]) is documented in docs/optimize.md
    specs = [
        p for p in sorted(ROOT.glob("experiments/*.toml")) if "[optimize]" not in p.read_text()
    ]
    assert set(rows) == {p.relative_to(ROOT).as_posix() for p in specs}
    for spec in specs:
        row = rows[spec.relative_to(ROOT).as_posix()]
        runs = int(row[2].replace(",", ""))
        assert runs == plan_experiment(spec).n_runs, f"{spec.name}: the docs say {runs} runs"
        assert re.search(r"\d", row[3]), f"{spec.name}: no measured time"


# --- annotated examples --------------------------------------------------------------
EXAMPLE_PAGES = ("docs/scenarios.md", "docs/running-experiments.md")


def toml_examples() -> tuple[list[tuple[str, str]], list[tuple[str, str]], list[str]]:
    """(scenarios, specs, design fragments); files named by each block's first comment."""
    scenarios, specs, fragments = [], [], []
    for block in code_blocks("toml", "\n".join(page(p) for p in EXAMPLE_PAGES)):
        raw = tomllib.loads(block)
        first = block.splitlines()[0]
        if "name" in raw:
            specs.append((first.lstrip("# ").strip(), block))
        elif "params" in raw:
            scenarios.append((first.lstrip("# ").strip(), block))
        else:
            assert set(raw) == {"design"}, f"TOML block of unknown kind: {first}"
            fragments.append(block)
    return scenarios, specs, fragments


@pytest.fixture
def sandbox(tmp_path: Path) -> Path:
    """A copy of the repository's configs/ and an empty experiments/ in tmp_path."""
    shutil.copytree(ROOT / "configs", tmp_path / "configs")
    (tmp_path / "experiments").mkdir()
    return tmp_path


def test_annotated_scenario_is_the_shipped_file_and_validates():
    scenarios, _, _ = toml_examples()
    assert scenarios, "the docs have no annotated scenario"
    for rel, block in scenarios:
        assert rel.startswith("configs/") and rel.endswith(".toml")
        path = ROOT / rel
        assert path.read_text(encoding="utf-8") == block, f"{rel} differs from its annotated copy"
        scenario = load_scenario(path)
        raw = tomllib.loads(block)
        assert dict(scenario.overrides) == raw["params"]
        assert scenario.description == raw["description"]


def test_annotated_spec_is_the_shipped_file_and_design_alternatives_validate():
    _, specs, fragments = toml_examples()
    assert len(specs) == 1 and len(fragments) >= 2
    rel, block = specs[0]
    assert rel.startswith("experiments/") and rel.endswith(".toml")
    path = ROOT / rel
    assert path.read_text(encoding="utf-8") == block, f"{rel} differs from its annotated copy"
    plan = plan_experiment(path)
    text = page("docs/running-experiments.md")
    m = re.search(r"That is (\d+) points × (\d+) replicates × (\d+) policies = (\d+) runs", text)
    assert m, "the docs do not state the example's size"
    points, reps, pols, runs = map(int, m.groups())
    assert (len(plan.design), plan.spec.replicates, len(plan.spec.policies), plan.n_runs) == (
        points,
        reps,
        pols,
        runs,
    )
    kinds = set()
    for fragment in fragments:
        raw = tomllib.loads(block)
        raw["design"] = tomllib.loads(fragment)["design"]
        spec = load_spec(raw, base_dir=path.parent)
        kinds.add(spec.design.kind)
        assert plan_experiment(spec).n_runs > 0
    assert {"scenarios", "sobol"} <= kinds


def small_run(sandbox: Path, name: str, **changes) -> None:
    """A shipped spec, shortened (30 months, 6 of burn-in), run in ``sandbox``."""
    spec = tomllib.loads((ROOT / "experiments" / f"{name}.toml").read_text())
    spec |= {"steps": 30, "scenario": "../configs/baseline.toml", **changes}
    spec["overrides"] = spec.get("overrides", {}) | {"burn_in_months": 6}
    run_experiment(load_spec(spec, base_dir=sandbox / "experiments"), workers=1)


@pytest.mark.slow
def test_pandas_example_runs_on_stored_results(sandbox, monkeypatch):
    """The Outputs page's pandas snippet, on a small run of the demo's spec (3 policies)."""
    monkeypatch.chdir(sandbox)
    small_run(sandbox, "policy_comparison", replicates=2)
    demo = section("What `make demo` produces", page("docs/index.md"))
    for path in [unquote(r[0]) for r in table_rows(demo)]:
        if not path.endswith("figures/"):
            assert (sandbox / path).is_file(), f"the demo writes no {path}"
    (snippet,) = [b for b in code_blocks("python", page("docs/outputs.md")) if "load_results(" in b]
    scope: dict[str, object] = {}
    exec(compile(snippet, "docs/outputs.md", "exec"), scope)  # the page's own example
    ties = scope["ties"]
    assert sorted(ties.columns) == ["integrated", "project", "transition"]
    assert list(ties.index) == list(range(1, 31))
    assert len(scope["d"]) == 2 * 2  # 2 replicates × 2 contrasts to project


@pytest.mark.slow
def test_conditional_question_howto_runs_and_pairs_by_level(sandbox, monkeypatch):
    """The how-to's snippet on a short run of its spec; each gap checked by hand."""
    monkeypatch.chdir(sandbox)
    small_run(sandbox, "drift_by_support", replicates=2)
    text = page("docs/howto/conditional-question.md")
    assert "community-sim run experiments/drift_by_support.toml" in text
    (snippet,) = code_blocks("python", text)
    scope: dict[str, object] = {}
    exec(compile(snippet, "conditional-question.md", "exec"), scope)
    gaps = scope["gaps"]
    assert len(gaps) == 3 * 2 * 2  # drift levels × support levels × outcomes (one contrast)
    # independent of the package: pair the runs by (point, replicate) in pandas
    runs = pd.read_parquet(sandbox / "results" / "drift_by_support" / "runs.parquet")
    keys = ["point", "replicate", "tech_drift", "subsidy_end_month"]
    wide = runs.pivot_table(index=keys, columns="policy", values="skill_match").reset_index()
    wide["d"] = wide["integrated"] - wide["project"]
    for row in gaps[gaps["outcome"] == "skill_match"].itertuples():
        level = (wide["tech_drift"] == row.tech_drift) & (
            wide["subsidy_end_month"] == row.subsidy_end_month
        )
        assert np.isclose(row.mean_diff, wide.loc[level, "d"].mean(), rtol=1e-12)


# --- sweeping a Mesa model ---------------------------------------------------------------
def named_block(lang: str, text: str, name: str) -> str:
    """The code block of ``text`` in ``lang`` whose first line is the comment ``# name``."""
    (block,) = [b for b in code_blocks(lang, text) if b.splitlines()[0].startswith(f"# {name}")]
    return block


@pytest.mark.slow
def test_mesa_example_runs_as_shown(tmp_path, monkeypatch):
    """The section's model, spec, commands and pandas lines, run in an empty folder.

    The spec runs with 2 replicates instead of 4, to keep the test short (with
    shorter runs the noise swamps the indices, which are then reported as
    undefined); its stated size is checked on the spec as written.
    """
    from community_sim.cli import main

    text = page("docs/mesa.md")
    folder = tmp_path / "my_model"
    folder.mkdir()
    (folder / "wealth.py").write_text(named_block("python", text, "my_model/wealth.py"))
    spec = named_block("toml", text, "my_model/wealth_sweep.toml")
    (folder / "wealth_sweep.toml").write_text(spec)

    plan = plan_experiment(folder / "wealth_sweep.toml")
    m = re.search(r"(\d+) Sobol' points × (\d+) replicates = (\d+) runs", text)
    assert m, "the section does not state the example's size"
    assert (len(plan.design), plan.spec.replicates, plan.n_runs) == tuple(map(int, m.groups()))

    short = spec.replace("replicates = 4 ", "replicates = 2 ")
    assert "replicates = 2 " in short
    (folder / "wealth_sweep.toml").write_text(short)
    monkeypatch.chdir(tmp_path)
    commands = [line for line in shell_lines() if "wealth_sweep" in line]
    assert len(commands) == 2
    for line in commands:
        assert main(shlex.split(line)[1:]) == 0, line

    out = tmp_path / "results" / "wealth_sweep"
    runs = load_results(out).ok
    assert len(runs) == len(plan.design) * 2
    assert {"n", "width", "height", "gini", "richest", "crowding"} <= set(runs.columns)
    series = load_results(out).series
    assert set(series["name"]) == {"gini"} and (series["step"] % 10 == 0).all()
    assert (out / "analysis" / "indices.parquet").is_file()
    assert list((out / "figures").glob("indices_sobol_*.png"))
    (reading,) = [b for b in code_blocks("python", text) if "read_parquet" in b]
    scope: dict[str, object] = {}
    exec(compile(reading, "docs/mesa.md", "exec"), scope)
    assert len(scope["runs"]) == len(runs)


# --- citation -----------------------------------------------------------------------------
def test_citation_file_matches_the_package_and_the_readme():
    import yaml

    from community_sim import __version__

    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert cff["cff-version"] == "1.2.0" and cff["type"] == "software"
    assert cff["version"] == __version__ == pyproject["project"]["version"]
    assert cff["license"] == pyproject["project"]["license"]["text"]
    assert cff["title"] and cff["authors"] and cff["message"]
    odd = [r for r in cff["references"] if "docs/ODD.md" in r.get("notes", "")]
    assert odd and (ROOT / "docs" / "ODD.md").is_file()
    how = page("docs/citing.md")
    assert "`CITATION.cff`" in how and f"version {__version__}" in how
    assert "](CITATION.cff)" in section("How to cite", README)
    assert all(f"doi:{r['doi']}" in how for r in cff["references"] if "doi" in r)
