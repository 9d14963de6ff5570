"""Importing this module loads the community model's compiled rules and kernels.

Listed in the worker pool's fork-server preload (``experiment.executors``) for the
community model, so that workers forked from the server start with the machine
code in memory instead of loading it in their first run.
"""

from community_sim.model import CommunityModel


def warm() -> None:
    """Load (or compile) every compiled rule and kernel, for the argument types a run uses.

    A compiled function's machine code is loaded from the disk cache on its first
    call in a process (about 0.2 s for all of them): a short run calls them all.
    """
    # Month 0 and month 12 are Septembers (placements, graduation): every kernel runs.
    model = CommunityModel(seed=0, horizon_months=14)
    while model.running:
        model.step()
    model.release()


warm()
