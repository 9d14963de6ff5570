"""Paired policy comparison under common random numbers (:mod:`.compare`)."""
