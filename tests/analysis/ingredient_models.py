"""A model with a known policy gap over the ingredient switches, for the decomposition tests.

gap(integrated − project) = Σ_i A_i · on_i + B · on_codesign · on_rotation (+ seeded noise),
so each ingredient's Shapley value is A_i, plus B/2 for codesign and rotation;
gap(transition − project) is half of it, so its Shapley values are halved.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from community_sim.params.integration import INGREDIENTS

A = {
    "codesign": -2.0, "rotation": 0.5, "screening": -1.0, "masters": 0.0,
    "teacher_placements": 0.25, "first_right": -0.75, "screening_tenure": -0.5,
    "modules": 0.75, "placement_priority": -0.25, "cofunding": 1.5,
}  # fmt: skip
B = 1.0
NOISE = 0.2
TRANSITION_SHARE = 0.5  # transition's gap to project is half integrated's, term by term


def on_bits(params: dict[str, Any]) -> dict[str, int]:
    out = {}
    for ing in INGREDIENTS.values():
        v = params.get(ing.switch, ing.off)
        out[ing.name] = int(v != ing.off) if isinstance(ing.off, bool) else int(float(v) != ing.off)
    return out


def true_shapley() -> dict[str, float]:
    return {k: a + (B / 2 if k in ("codesign", "rotation") else 0.0) for k, a in A.items()}


def gap_model(params: dict[str, Any], seed: int) -> dict[str, float]:
    rng = np.random.default_rng(seed)
    base = 10.0 + rng.normal(0.0, 1.0)  # shared by both policies on a seed (paired)
    share = {"integrated": 1.0, "transition": TRANSITION_SHARE}.get(str(params.get("policy")))
    if share is None:
        return {"cost": base}
    x = on_bits(params)
    gap = sum(A[k] * x[k] for k in A) + B * x["codesign"] * x["rotation"]
    return {"cost": base + share * gap + rng.normal(0.0, NOISE)}
