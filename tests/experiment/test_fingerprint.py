"""A resume refuses an out folder whose runs another version of the model made."""

from __future__ import annotations

import json
import sys

import pytest
from engine_helpers import run_cli, write_spec

from community_sim.errors import UserError
from community_sim.experiment import adapters
from community_sim.experiment.engine import run_experiment
from community_sim.processes import technology

SPEC = """
name = "fp"
model = "fp_model:f"
[design]
kind = "lhs"
n = 6
[design.parameters]
x = {low = 0, high = 1}
"""


@pytest.fixture(autouse=True)
def _fresh_module(monkeypatch):
    """Each test imports its own folder's ``fp_model``, not an earlier test's."""
    monkeypatch.delitem(sys.modules, "fp_model", raising=False)
    yield
    sys.modules.pop("fp_model", None)


def _model(tmp_path, body: str) -> None:
    (tmp_path / "fp_model.py").write_text(f"def f(params, seed):\n    return {body}\n")


def test_a_changed_model_is_refused_and_nothing_stored_is_lost(tmp_path):
    _model(tmp_path, '{"y": params["x"]}')
    spec = write_spec(tmp_path, SPEC)
    out = tmp_path / "out"
    run_experiment(spec, out, workers=1)
    runs, manifest = (out / "runs.parquet").read_bytes(), (out / "manifest.json").read_bytes()
    assert json.loads(manifest)["model_fingerprint"]
    # the same model again: a resume that has nothing left to run
    assert run_experiment(spec, out, workers=1).resumed
    _model(tmp_path, '{"y": 2 * params["x"]}')  # the model's code changes
    with pytest.raises(UserError, match=r"holds runs of model \w+, and the model now is \w+"):
        run_experiment(spec, out, workers=1)
    assert (out / "runs.parquet").read_bytes() == runs
    res = run_cli("run", str(spec), "--out", str(out), "--workers", "1", "--no-progress")
    assert res.returncode == 2
    assert len(res.stderr.strip().splitlines()) == 1 and "--force" in res.stderr
    assert (out / "runs.parquet").read_bytes() == runs
    summary = run_experiment(spec, out, workers=1, force=True)
    assert not summary.resumed and summary.ran == 6


def test_a_folder_without_a_recorded_fingerprint_is_refused(tmp_path):
    _model(tmp_path, '{"y": params["x"]}')
    spec = write_spec(tmp_path, SPEC)
    out = tmp_path / "out"
    run_experiment(spec, out, workers=1)
    manifest = json.loads((out / "manifest.json").read_text())
    del manifest["model_fingerprint"]  # as written before fingerprints were recorded
    (out / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(UserError, match="a model that recorded no fingerprint"):
        run_experiment(spec, out, workers=1)


def test_the_community_fingerprint_follows_behaviour(monkeypatch):
    adapters.community_fingerprint.cache_clear()
    before = adapters.community_fingerprint()
    adapters.community_fingerprint.cache_clear()
    assert adapters.community_fingerprint() == before  # a model with a seed: reproducible
    drift = technology.drift

    def faster(tech, firms, p, rng, month):  # technology drifting at twice the rate
        return drift(tech, firms, {**p, "tech_drift": 2 * float(p["tech_drift"])}, rng, month)

    monkeypatch.setattr(technology, "drift", faster)
    adapters.community_fingerprint.cache_clear()
    try:
        assert adapters.community_fingerprint() != before
    finally:
        adapters.community_fingerprint.cache_clear()
