"""Studies built on stored experiments: the ingredient decomposition (``ingredients``)."""
