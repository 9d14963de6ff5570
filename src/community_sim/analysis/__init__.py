"""Sensitivity analysis and policy comparison of stored experiments.

Entry point: :func:`community_sim.analysis.api.analyze_experiment` (or
``community-sim analyze DIR``), the one writer of ``DIR/analysis/``. By job:
``sensitivity/`` (Sobol' estimators in ``sobol.py``, SALib's methods behind
``methods.py``, emulators, convergence, replicates, validity), ``comparison/``
(the paired policy comparison) and ``studies/`` (the ingredient
decomposition); ``outputs.py``, ``report.py`` and ``tables.py`` serve all three.
"""

METHOD_NAMES: tuple[str, ...] = ("sobol", "morris", "fast", "pawn", "delta")
"""The ``--method`` choices; the same keys as ``methods.METHODS`` (kept light to import)."""

#: design kind -> the method it implies (run automatically after ``community-sim run``)
IMPLIED_METHOD: dict[str, str] = {
    "sobol": "sobol",
    "saltelli": "sobol",
    "morris": "morris",
    "fast": "fast",
}

__all__ = ["IMPLIED_METHOD", "METHOD_NAMES"]
