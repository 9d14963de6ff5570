"""Scenario discovery: where in the parameter space a condition on an output holds.

Entry point: :func:`community_sim.discovery.api.discover_experiment` (or
``community-sim discover DIR --target EXPR``). The case of interest per design
point comes from ``target.py`` (replicate-aware), the typed space from
``space.py``, boxes and their statistics from ``boxes.py``; PRIM (EMA
Workbench) is wrapped in ``prim.py`` and CART (scikit-learn) in ``cart.py``,
both behind the optional extra ``community-sim[discovery]``.

References
----------
Friedman, J.H. & Fisher, N.I. (1999) Bump hunting in high-dimensional data.
    Statistics and Computing 9, 123–143.
Bryant, B.P. & Lempert, R.J. (2010) Thinking inside the box: a participatory,
    computer-assisted approach to scenario discovery. Technological
    Forecasting and Social Change 77, 34–49.
Breiman, L., Friedman, J.H., Olshen, R.A. & Stone, C.J. (1984) Classification
    and Regression Trees. Wadsworth.
"""

METHOD_NAMES: tuple[str, ...] = ("prim", "cart")
"""The ``--method`` choices; the same keys as ``api.METHODS`` (kept light to import)."""

__all__ = ["METHOD_NAMES"]
