"""Model adapters: one per kind of model string, chosen from an explicit registry."""

from __future__ import annotations

from community_sim import params as params_module
from community_sim.experiment.adapters import ADAPTERS, adapter_for
from community_sim.experiment.mesa_models import MesaAdapter
from community_sim.experiment.models import COMMUNITY, ModelRef
from community_sim.experiment.tasks import Task, run_chunk


def test_each_kind_of_model_string_has_its_adapter():
    assert set(ADAPTERS) == {"community", "function", "mesa"}
    assert adapter_for(COMMUNITY) is ADAPTERS["community"]
    assert adapter_for("analytic_models:ishigami") is ADAPTERS["function"]
    assert isinstance(adapter_for(ModelRef("mesa:mesa_wealth:Wealth")), MesaAdapter)


def test_a_community_run_checks_its_parameters_once(monkeypatch):
    checked: list[str] = []
    original = params_module.check_name

    def counting(name, source=None):
        checked.append(name)
        return original(name, source)

    monkeypatch.setattr(params_module, "check_name", counting)
    task = Task(0, 0, 0, None, 3, {"tech_drift": 0.07, "n_smes": 4})
    (record,) = run_chunk(ModelRef(COMMUNITY, steps=2), [task])
    assert record.status == "ok", record.error
    assert checked.count("tech_drift") == 1 and checked.count("n_smes") == 1
