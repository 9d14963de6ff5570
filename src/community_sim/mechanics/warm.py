"""Importing this module loads the model's compiled kernels (:func:`kernels.warm`).

Listed in the worker pool's fork-server preload (``experiment.executors``) for the
community model, so that workers forked from the server start with the kernels'
machine code in memory.
"""

from community_sim.mechanics.kernels import warm

warm()
