"""Run seeds, derived from the master seed by :class:`numpy.random.SeedSequence` spawning.

The seed of run ``(point, replicate)`` is the first 63 bits of the state of
``SeedSequence(master, spawn_key=(point, replicate))`` — the same child that
``SeedSequence(master).spawn(...)[point].spawn(...)[replicate]`` gives, but
computed directly, so it does not depend on the executor, the worker count or
the order in which runs finish. Every policy of a ``compare`` list gets the same
seed at a given (point, replicate): common random numbers.

References
----------
O'Neill, M.E. (2015) PCG: a family of simple fast space-efficient statistically
    good algorithms for random number generation. HMC-CS-2014-0905 (the seed-
    sequence hashing NumPy implements).
"""

from __future__ import annotations

import numpy as np


def run_seed(master_seed: int, point: int, replicate: int) -> int:
    """The seed of one run: a non-negative integer below 2**63."""
    ss = np.random.SeedSequence(master_seed, spawn_key=(point, replicate))
    return int(ss.generate_state(1, np.uint64)[0] >> np.uint64(1))
