"""Spec writers shared by the optimisation tests."""

from __future__ import annotations

from pathlib import Path

HERE = str(Path(__file__).resolve().parent)


def zdt1_spec(
    folder: Path,
    *,
    n_var: int = 10,
    population: int = 20,
    evaluations: int = 100,
    seed: int = 1,
    model: str = "zdt1",
    extra: str = "",
    optimize_extra: str = "",
) -> Path:
    """A ZDT1 search spec in ``folder``: levers x1..xn on [0, 1], objectives f1, f2 (min)."""
    levers = "\n".join(f"x{i} = {{ low = 0.0, high = 1.0 }}" for i in range(1, n_var + 1))
    text = (
        f'name = "zdt1"\nmodel = "mo_models:{model}"\nseed = {seed}\n{extra}\n'
        f"[optimize]\nevaluations = {evaluations}\npopulation = {population}\n"
        'objectives = { f1 = "min", f2 = "min" }\nreference = { f1 = 1.1, f2 = 1.1 }\n'
        f"{optimize_extra}\n[optimize.levers]\n{levers}\n"
    )
    path = folder / "zdt1.toml"
    path.write_text(text)
    return path
