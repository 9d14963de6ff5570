"""Sensitivity analysis: Sobol' estimators, SALib's methods, emulators, convergence, replicates.

Entry point: :func:`community_sim.analysis.sensitivity.core.analyze_outputs`,
called by :func:`community_sim.analysis.api.analyze_experiment`.
"""
