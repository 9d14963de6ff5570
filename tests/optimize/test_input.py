"""Bad ``[optimize]`` input: one line naming the file and the key, exit 2, nothing written."""

from __future__ import annotations

import pytest
from optimize_helpers import zdt1_spec

from community_sim.cli import main


def _spec(tmp_path, body: str, extra: str = "", model: str = "mo_models:zdt1"):
    path = tmp_path / "bad.toml"
    path.write_text(f'name = "bad"\nmodel = "{model}"\n{extra}\n{body}')
    return path


GOOD_LEVERS = "[optimize.levers]\nx1 = { low = 0.0, high = 1.0 }\nx2 = { low = 0.0, high = 1.0 }\n"
HEAD = '[optimize]\nevaluations = 40\npopulation = 20\nobjectives = { f1 = "min", f2 = "min" }\n'


@pytest.mark.parametrize(
    ("body", "key", "extra"),
    [
        (HEAD.replace('f2 = "min"', 'f2 = "maximise"') + GOOD_LEVERS, "optimize.objectives.f2", ""),
        (HEAD + 'robustness = "worst"\n' + GOOD_LEVERS, "optimize.robustness", ""),
        (HEAD + 'robustness = "percentile:150"\n' + GOOD_LEVERS, "optimize.robustness", ""),
        (HEAD + 'constraints = ["f1 << 3"]\n' + GOOD_LEVERS, "optimize.constraints.0", ""),
        (HEAD + "reference = { f1 = 1.1 }\n" + GOOD_LEVERS, "optimize.reference", ""),
        (HEAD + 'algorithm = "nsga4"\n' + GOOD_LEVERS, "optimize.algorithm", ""),
        (HEAD + "scenarios = 8\n" + GOOD_LEVERS, "optimize.scenarios", ""),
        (
            HEAD.replace("population = 20", "population = 50") + GOOD_LEVERS,
            "optimize.evaluations",
            "",
        ),
        (HEAD.replace("evaluations = 40\n", "") + GOOD_LEVERS, "optimize.evaluations", ""),
        (
            HEAD + "[optimize.levers]\nx1 = { low = 1.0, high = 0.0 }\n",
            "optimize.levers.x1.low",
            "",
        ),
        (HEAD + "[optimize.levers]\nx1 = { lo = 0.0, high = 1.0 }\n", "optimize.levers.x1.lo", ""),
        (
            HEAD + GOOD_LEVERS + "[optimize.uncertainties]\nx2 = { low = 0.0, high = 1.0 }\n",
            "optimize.uncertainties.x2",
            "",
        ),
        (HEAD + GOOD_LEVERS, "replicates", "replicates = 3"),
        (HEAD + GOOD_LEVERS + '[design]\nkind = "lhs"\nn = 4\n', "design", ""),
        ("", "optimize", ""),
    ],
)
def test_bad_optimize_input_is_one_line_naming_file_and_key(tmp_path, capsys, body, key, extra):
    path = _spec(tmp_path, body, extra)
    out = tmp_path / "out"
    assert main(["optimize", str(path), "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert str(path) in err and f"key '{key}'" in err, err
    assert not out.exists()


def test_community_model_objectives_and_levers_are_checked_by_name(tmp_path, capsys):
    body = (
        "[optimize]\nevaluations = 40\npopulation = 20\n"
        'objectives = { partnership_survival_5y = "max", "diff:skill_match" = "max" }\n'
        "[optimize.levers]\nretention_bonus = { low = 0.0, high = 500.0 }\n"
    )
    path = _spec(tmp_path, body, model="community")
    assert main(["optimize", str(path), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "key 'optimize.objectives.diff:skill_match'" in err and "needs compare" in err
    path = _spec(tmp_path, body.replace("retention_bonus", "retention_bonnus"), model="community")
    assert main(["optimize", str(path), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "optimize.levers" in err and "did you mean 'retention_bonus'" in err


def test_run_refuses_an_optimize_spec_and_optimize_a_sweep(tmp_path, capsys):
    spec = zdt1_spec(tmp_path)
    assert main(["run", str(spec), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "key 'optimize'" in err and "community-sim optimize" in err
    sweep = tmp_path / "sweep.toml"
    sweep.write_text(
        'name = "s"\nmodel = "mo_models:zdt1"\n[design]\nkind = "lhs"\nn = 4\n'
        "[design.parameters]\nx1 = { low = 0.0, high = 1.0 }\n"
    )
    assert main(["optimize", str(sweep), "--out", str(tmp_path / "o")]) == 2
    assert "missing the [optimize] table" in capsys.readouterr().err


def test_another_spec_is_refused_on_a_search_folder(tmp_path, capsys):
    out = tmp_path / "o"
    assert (
        main(
            [
                "optimize",
                str(zdt1_spec(tmp_path, evaluations=20)),
                "--out",
                str(out),
                "--format",
                "",
                "--no-progress",
            ]
        )
        == 0
    )
    other = zdt1_spec(tmp_path, evaluations=20, seed=2)
    assert main(["optimize", str(other), "--out", str(out), "--no-progress"]) == 2
    assert "holds a search of a different spec" in capsys.readouterr().err
    # a larger budget is the same search, carried on
    more = zdt1_spec(tmp_path, evaluations=40)
    assert main(["optimize", str(more), "--out", str(out), "--format", "", "--no-progress"]) == 0
    assert "40 evaluations (40 runs, 2 generations, 1 found stored)" in capsys.readouterr().out
