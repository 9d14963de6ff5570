"""The README stays true to the code: outputs, files, commands, studies and examples.

Each test reads README.md as a user would and checks one kind of claim
against the registries it describes (``metrics``, ``cli.COMMANDS``, the
Makefile, the specs in ``experiments/``), or loads its annotated examples
through the same code paths as ``community-sim``.
"""

from __future__ import annotations

import argparse
import re
import shlex
import shutil
import tomllib
from pathlib import Path

import pytest

from community_sim.cli import COMMANDS
from community_sim.experiment import load_results, load_spec, plan_experiment, run_experiment
from community_sim.metrics import OUTCOMES, SERIES
from community_sim.params import PARAMS
from community_sim.params.scenarios import load_scenario

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")

FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def code_blocks(lang: str) -> list[str]:
    """The README's fenced code blocks in ``lang`` (``""``: no language given)."""
    return [body for tag, body in FENCE.findall(README) if tag == lang]


def section(heading: str) -> str:
    """The text under a Markdown heading, up to the next heading of any level."""
    m = re.search(rf"^#+ {re.escape(heading)}\s*$", README, re.MULTILINE)
    assert m, f"README has no heading {heading!r}"
    nxt = re.search(r"^#+ ", README[m.end() :], re.MULTILINE)
    return README[m.end() : m.end() + nxt.start()] if nxt else README[m.end() :]


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
    assert set(rows) == set(registry), "README outputs table and metrics differ"
    for name, outcome in registry.items():
        unit, meaning, undefined = rows[name][1], rows[name][2], rows[name][3]
        assert unit == outcome.unit, f"{name}: README says {unit!r}, metrics {outcome.unit!r}"
        assert meaning, f"{name} has no meaning in the README"
        # when an outcome is NaN is declared once, in metrics; the README repeats it
        assert undefined == (outcome.undefined or "—"), f"{name}: README says {undefined!r}"


def test_parameter_count_is_current():
    m = re.search(r"The (\d+)\s+parameters", README)
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
    assert path in README, f"README does not mention {path}"


def test_linked_files_and_images_exist():
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", README):
        if "://" not in target:
            assert (ROOT / target).exists(), f"README links to missing {target}"


def test_gallery_shows_every_figure_make_gallery_writes():
    gallery = section("Gallery")
    for name in ("series", "outcomes", "forest"):
        assert f"](docs/img/{name}.png)" in gallery
    assert "](docs/img/dashboard.png)" in README


# --- commands -------------------------------------------------------------------
def shell_lines() -> list[str]:
    """Every command line of the README's sh blocks, continuations joined, comments cut."""
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
        assert name in COMMANDS, f"README runs unknown subcommand: {line}"
        seen.add(name)
        known = subparser(name)._option_string_actions
        for word in words[2:]:
            if word.startswith("--"):
                opt = word.split("=", 1)[0]
                assert opt in known, f"README uses {opt}, unknown to `community-sim {name}`"
    assert seen == set(COMMANDS), f"README shows no example of {set(COMMANDS) - seen}"


def test_readme_make_targets_exist():
    makefile = (ROOT / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z][\w-]*):", makefile, re.MULTILINE))
    used = {line.split()[1] for line in shell_lines() if line.startswith("make ")}
    assert {"demo", "test"} <= used
    assert used <= targets, f"README uses make targets {used - targets} that the Makefile lacks"


def test_two_commands_come_first():
    first = re.search(r"^## (.+)$", README, re.MULTILINE)
    assert first and first.group(1) == "The two commands"
    block = code_blocks("sh")[0]
    assert [line.split()[:2] for line in block.splitlines()] == [["make", "demo"], ["make", "test"]]


# --- studies ----------------------------------------------------------------------
def test_studies_table_states_each_specs_run_count():
    rows = {unquote(r[0]): r for r in table_rows(section("Studies"))}
    specs = sorted(ROOT.glob("experiments/*.toml"))
    assert set(rows) == {p.relative_to(ROOT).as_posix() for p in specs}
    for spec in specs:
        row = rows[spec.relative_to(ROOT).as_posix()]
        runs = int(row[2].replace(",", ""))
        assert runs == plan_experiment(spec).n_runs, f"{spec.name}: README says {runs} runs"
        assert re.search(r"\d", row[3]), f"{spec.name}: no measured time"


# --- annotated examples --------------------------------------------------------------
def toml_examples() -> tuple[list[tuple[str, str]], list[tuple[str, str]], list[str]]:
    """(scenarios, specs, design fragments); files named by each block's first comment."""
    scenarios, specs, fragments = [], [], []
    for block in code_blocks("toml"):
        raw = tomllib.loads(block)
        first = block.splitlines()[0]
        if str(raw.get("model", "")).startswith("mesa:"):
            continue  # the Mesa example: test_mesa_example_runs_as_shown
        if "name" in raw:
            specs.append((first.lstrip("# ").strip(), block))
        elif "params" in raw:
            scenarios.append((first.lstrip("# ").strip(), block))
        else:
            assert set(raw) == {"design"}, f"README TOML block of unknown kind: {first}"
            fragments.append(block)
    return scenarios, specs, fragments


@pytest.fixture
def sandbox(tmp_path: Path) -> Path:
    """A copy of the repository's configs/ and an empty experiments/ in tmp_path."""
    shutil.copytree(ROOT / "configs", tmp_path / "configs")
    (tmp_path / "experiments").mkdir()
    return tmp_path


def test_annotated_scenario_validates(sandbox):
    scenarios, _, _ = toml_examples()
    assert scenarios, "README has no annotated scenario"
    for rel, block in scenarios:
        assert rel.startswith("configs/") and rel.endswith(".toml")
        path = sandbox / rel
        path.write_text(block)
        scenario = load_scenario(path)
        raw = tomllib.loads(block)
        assert dict(scenario.overrides) == raw["params"]
        assert scenario.description == raw["description"]


def test_annotated_spec_and_design_alternatives_validate(sandbox):
    _, specs, fragments = toml_examples()
    assert len(specs) == 1 and len(fragments) >= 2
    rel, block = specs[0]
    assert rel.startswith("experiments/") and rel.endswith(".toml")
    path = sandbox / rel
    path.write_text(block)
    plan = plan_experiment(path)
    m = re.search(r"That is (\d+) points × (\d+) replicates × (\d+) policies = (\d+) runs", README)
    assert m, "README does not state the example's size"
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


@pytest.mark.slow
def test_pandas_example_runs_on_stored_results(sandbox, monkeypatch):
    """The README's pandas snippet, on a small run of the demo's spec (3 policies)."""
    spec = tomllib.loads((ROOT / "experiments" / "policy_comparison.toml").read_text())
    spec |= {"replicates": 2, "steps": 30, "scenario": "../configs/baseline.toml"}
    spec["overrides"] = {"burn_in_months": 6}
    monkeypatch.chdir(sandbox)
    run_experiment(load_spec(spec, base_dir=sandbox / "experiments"), workers=1)
    demo_files = [unquote(r[0]) for r in table_rows(section("What `make demo` produces"))]
    for path in demo_files:
        if not path.endswith("figures/"):
            assert (sandbox / path).is_file(), f"the demo writes no {path}"
    (snippet,) = [b for b in code_blocks("python") if "load_results(" in b]
    scope: dict[str, object] = {}
    exec(compile(snippet, "README.md", "exec"), scope)  # the README's own example
    ties = scope["ties"]
    assert sorted(ties.columns) == ["integrated", "project", "transition"]
    assert list(ties.index) == list(range(1, 31))
    assert len(scope["d"]) == 2 * 2  # 2 replicates × 2 contrasts to project


# --- sweeping a Mesa model ---------------------------------------------------------------
def chapter(heading: str) -> str:
    """The text under a ``## heading`` up to the next ``##`` heading outside code blocks."""
    lines, inside, fenced = [], False, False
    for line in README.splitlines(keepends=True):
        if line.startswith("```"):
            fenced = not fenced
        if not fenced and line.startswith("## "):
            if inside:
                break
            inside = line.strip() == f"## {heading}"
            continue
        if inside:
            lines.append(line)
    assert lines, f"README has no chapter {heading!r}"
    return "".join(lines)


def named_block(lang: str, text: str, name: str) -> str:
    """The code block of ``text`` in ``lang`` whose first line is the comment ``# name``."""
    blocks = [b for tag, b in FENCE.findall(text) if tag == lang]
    (block,) = [b for b in blocks if b.splitlines()[0].startswith(f"# {name}")]
    return block


@pytest.mark.slow
def test_mesa_example_runs_as_shown(tmp_path, monkeypatch):
    """The section's model, spec, commands and pandas lines, run in an empty folder.

    The spec runs with 2 replicates instead of 4, to keep the test short (with
    shorter runs the noise swamps the indices, which are then reported as
    undefined); its stated size is checked on the spec as written.
    """
    from community_sim.cli import main

    text = chapter("Sweeping your own Mesa model")
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
    (reading,) = [b for tag, b in FENCE.findall(text) if tag == "python" and "read_parquet" in b]
    scope: dict[str, object] = {}
    exec(compile(reading, "README.md", "exec"), scope)
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
    how = section("How to cite")
    assert "](CITATION.cff)" in how and f"version {__version__}" in how
    assert all(f"doi:{r['doi']}" in how for r in cff["references"] if "doi" in r)
