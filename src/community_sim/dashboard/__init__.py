"""The interactive dashboard: a Mesa SolaraViz app served on the loopback interface.

``community-sim dashboard [CONFIG.toml] [--port P]`` starts it (see :mod:`.server`);
:mod:`.controls` maps parameters to controls, :mod:`.plots` draws the figures
with matplotlib, :mod:`.view` assembles them into Solara components, and
:mod:`.app` is the module the Solara server loads. Importing this package
imports neither Solara nor the model.
"""

from community_sim.dashboard.server import serve

__all__ = ["serve"]
