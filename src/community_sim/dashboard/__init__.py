"""The interactive dashboard: a Solara app served on the loopback interface.

``community-sim dashboard [CONFIG.toml] [--port P]`` starts it (see :mod:`.server`).
Two runs of the community, one per policy on the same seed (:mod:`.pair`),
are stepped together; :mod:`.stepper` queues Step clicks; :mod:`.controls`
maps parameters to inputs, :mod:`.plots`, :mod:`.panels` and :mod:`.compare`
draw the figures and tables with matplotlib and HTML, :mod:`.view` is the
page, and :mod:`.app` is the module the Solara server loads. Importing this package
imports neither Solara nor the model.
"""

from community_sim.dashboard.server import serve

__all__ = ["serve"]
