"""Every file, command, option, parameter and Python name the pages use exists.

The pages are README.md and the documentation site (``docs/``, built by
MkDocs from ``mkdocs.yml``). Names are read from inline code spans and code
blocks; placeholders in capitals or angle brackets (``DIR``, ``<study>``) and
paths under an out folder (``results/``) are not names of anything shipped.
"""

from __future__ import annotations

import importlib
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from community_sim.cli import COMMANDS
from community_sim.experiment.spec import _DesignIn, _OutputsIn, _SpecIn
from community_sim.metrics import OUTCOMES, SERIES
from community_sim.params import PARAMS
from test_readme import FENCE, PAGES, README, ROOT, code_blocks, subparser

PROSE = {name: FENCE.sub("", text) for name, text in PAGES.items()}
SPANS = sorted({s for text in PROSE.values() for s in re.findall(r"`([^`\n]+)`", text)})
OPTIONS = {opt for name in COMMANDS for opt in subparser(name)._option_string_actions}
TARGETS = set(re.findall(r"^([a-z][\w-]*):", (ROOT / "Makefile").read_text(), re.MULTILINE))


def placeholder(word: str) -> bool:
    return bool(re.search(r"[<>*]|\.\.\.|…", word)) or word.isupper()


# --- files ------------------------------------------------------------------------
REPO_PATH = re.compile(r"(?<![\w./])((?:configs|experiments|docs|src|tests|benchmarks)/[\w./-]*)")


GENERATED = {"benchmarks/out/"}  # written by `make bench`, not shipped


def named_paths() -> set[str]:
    """Repository paths named in code spans and in shell and Python blocks."""
    texts = [*SPANS, *code_blocks("sh"), *code_blocks("python")]
    return {m.rstrip(".") for t in texts for m in REPO_PATH.findall(t) if not placeholder(t)}


def test_the_pages_name_files_that_exist():
    paths = named_paths()
    assert {"configs/baseline.toml", "experiments/drift_by_support.toml"} <= paths
    missing = sorted(p for p in paths - GENERATED if not (ROOT / p).exists())
    assert not missing, f"the docs name files that do not exist: {missing}"


# --- commands and options ------------------------------------------------------------
def test_inline_commands_name_real_subcommands_options_and_targets():
    checked = 0
    for span in SPANS:
        words = shlex.split(span.replace("[", " ").replace("]", " ")) or [""]
        if words[0] == "community-sim" and len(words) > 1:
            assert words[1] in COMMANDS, f"the docs name an unknown subcommand: {span}"
            known = subparser(words[1])._option_string_actions
            for word in words[2:]:
                if word.startswith("--"):
                    assert word.split("=")[0] in known, f"{span}: no option {word}"
            checked += 1
        elif words[0] == "make" and len(words) > 1:
            assert words[1] in TARGETS, f"the docs name an unknown make target: {span}"
            checked += 1
    assert checked >= 10


def test_inline_options_belong_to_some_command():
    options = [s.split()[0].split("=")[0] for s in SPANS if re.match(r"--[a-z]", s)]
    assert "--dry-run" in options
    unknown = sorted(set(options) - OPTIONS)
    assert not unknown, f"the docs name options no command has: {unknown}"


# --- parameters and outputs ------------------------------------------------------------
# the keys of an experiment spec, its [design] and [outputs] tables (their validation schema)
SPEC_KEYS = {key for model in (_SpecIn, _DesignIn, _OutputsIn) for key in model.model_fields} | {
    "running",
    "status",
    "patterns",
    "epsilon_target",
}  # a Mesa model's flag, a run's, calibration's
LITERAL = r"(-?[\d.]+|\"[^\"]*\"|True|False|true|false|\[.*\])$"


def test_set_options_and_assignments_name_real_parameters():
    """``--set NAME=V`` in a command and ``name = value`` in prose name a parameter or key."""
    names = set()
    for block in [*code_blocks("sh"), *SPANS]:
        names |= {n for n in re.findall(r"--set[ =]([A-Za-z_]\w*)=", block) if not n.isupper()}
    for span in SPANS:
        m = re.match(rf"([a-z_]\w*) = {LITERAL}", span)
        if m:
            names.add(m.group(1))
    assert "tech_drift" in names and "policy" in names
    unknown = sorted(n for n in names if n not in PARAMS and n not in SPEC_KEYS)
    assert not unknown, f"the docs set parameters that do not exist: {unknown}"


def test_policy_outputs_and_paired_differences_name_real_outcomes():
    """``diff:NAME`` and ``NAME@policy``, in prose and in commands."""
    texts = [*SPANS, *code_blocks("sh")]
    found = set()
    for text in texts:
        found |= set(re.findall(r"diff:([a-z_][a-z0-9_]*)", text))
        found |= set(re.findall(r"\b([a-z_][a-z0-9_]*)@[a-z]+", text))
    assert "trial_error_cost_per_hire_weeks" in found
    unknown = sorted(found - set(OUTCOMES))
    assert not unknown, f"the docs name outputs that do not exist: {unknown}"
    policies = {p for t in texts for p in re.findall(r"\b[a-z_0-9]+@([a-z]+)", t)}
    assert policies <= {"project", "integrated", "transition"}


def test_outputs_named_in_examples_exist():
    """Outcome and series names the Python and TOML examples read from stored results."""
    names = set()
    for block in code_blocks("python") + code_blocks("toml"):
        names |= set(re.findall(r"\"([a-z]+(?:_[a-z0-9]+)+)\"", block))
    known = set(OUTCOMES) | set(SERIES) | set(PARAMS)
    assert "ties_integrated" in names
    columns = {
        "run_id",
        "value",
        "name",
        "step",
        "policy",
        "point",
        "mean_diff",
        "ci_low",
        "ci_high",
    }
    specs = {p.stem for p in ROOT.glob("experiments/*.toml")}
    unknown = sorted(n for n in names - known - columns - specs if not n.startswith("wealth"))
    assert not unknown, f"the examples read names that do not exist: {unknown}"


# --- Python names ------------------------------------------------------------------------
def resolve(dotted: str) -> object:
    """Import the longest importable prefix of ``dotted`` and get the rest as attributes."""
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ModuleNotFoundError:
            continue
        for attr in parts[i:]:
            obj = getattr(obj, attr)
        return obj
    raise ModuleNotFoundError(dotted)


def test_python_names_in_the_pages_exist():
    dotted = {m for s in SPANS for m in re.findall(r"\bcommunity_sim(?:\.\w+)+", s)}
    for block in code_blocks("python"):
        for mod, names in re.findall(r"from (community_sim[\w.]*) import ([\w, ]+)", block):
            dotted |= {f"{mod}.{n.strip()}" for n in names.split(",")}
    assert "community_sim.analysis.comparison.compare.paired_differences" in dotted
    for name in sorted(dotted):
        resolve(name)  # raises if the module or attribute does not exist


# --- the README and the site ------------------------------------------------------------
def test_readme_is_short_and_points_to_every_how_to():
    assert len(README.splitlines()) <= 300
    for howto in sorted((ROOT / "docs" / "howto").glob("*.md")):
        assert f"](docs/howto/{howto.name})" in README, f"the README omits {howto.name}"


def nav_pages(nav: list) -> set[str]:
    found = set()
    for item in nav:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        found |= nav_pages(value) if isinstance(value, list) else {value}
    return found


class _Loader(yaml.SafeLoader):
    """Reads mkdocs.yml, leaving its ``!!python/...`` tags unevaluated."""


_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda *_: None)


def test_every_page_is_in_the_nav_and_nothing_is_fetched():
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=_Loader)
    pages = {p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*.md")}
    assert nav_pages(config["nav"]) == pages
    assert {"ODD.md", "architecture.md", "experiments.md", "api.md"} <= pages
    assert config["theme"]["font"] is False  # Material's default fonts come from Google
    plugins = {next(iter(p)) if isinstance(p, dict) else p for p in config["plugins"]}
    assert plugins <= {"search", "mkdocstrings"}  # neither fetches anything at build time


@pytest.mark.slow
def test_site_builds_strict(tmp_path: Path):
    """Broken links, anchors and API references are warnings, and --strict fails on them."""
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    api = (tmp_path / "site" / "api" / "index.html").read_text(encoding="utf-8")
    assert 'id="community_sim.analysis.comparison.compare.paired_differences"' in api
    assert "fonts.googleapis" not in (tmp_path / "site" / "index.html").read_text()


@pytest.mark.slow
def test_readme_example_runs(capsys):
    (example,) = code_blocks("python", README)
    exec(compile(example, "README.md", "exec"), {})
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0].strip() for line in lines] == ["project", "integrated"]
    assert all(
        re.search(r"\d+\.\d\d weeks of wages per hire, \d+ integrated ties", x) for x in lines
    )
