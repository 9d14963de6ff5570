"""Pure, vectorised numpy functions for the model's per-step maths.

Nothing here reads or writes a model: agents and the schedule call these
functions with arrays and parameters, so each rule can be unit-tested alone.
"""
