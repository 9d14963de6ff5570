"""Calibration of the community model to empirical patterns by ABC-SMC (pyabc).

``community-sim calibrate SPEC`` (see :mod:`community_sim.calibration.spec`).
"""
