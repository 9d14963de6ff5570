"""Serving the dashboard: bind a loopback port, then run Solara's Starlette app.

The server runs in this process under uvicorn, as ``solara run`` does, but
with the port bound first so that a busy port is a one-line user error,
without ``solara run``'s PyPI version check, and with Solara's usage telemetry
off: the dashboard makes no network requests beyond the loopback interface
(its page assets come from the ``solara-assets`` package).
"""

from __future__ import annotations

import errno
import logging
import os
import socket
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

from community_sim.errors import UserError
from community_sim.params import Value, parse_assignment, validate_params
from community_sim.params.scenarios import load_scenario

log = logging.getLogger(__name__)

APP = "community_sim.dashboard.app"
"""The Solara app module served by default."""
CONFIG_ENV = "COMMUNITY_SIM_DASHBOARD_CONFIG"
"""Environment variable naming the scenario file the app starts from ('' for defaults)."""
SEED_ENV = "COMMUNITY_SIM_DASHBOARD_SEED"
"""Environment variable holding the app's initial seed."""
SET_ENV = "COMMUNITY_SIM_DASHBOARD_SET"
"""Environment variable holding ``name=value`` overrides, one a line."""
SESSION_TIMEOUT = "5m"
"""How long a closed browser tab's session (and its model) is kept for a reconnect.

Solara's default is 24 h; on a researcher's machine every reload would keep a
model alive that long.
"""


def start_params(config: str | Path | None, assignments: Sequence[str] = ()) -> dict[str, Value]:
    """Validated parameters from a scenario file (or the defaults) and ``name=value`` strings."""
    extra = dict(parse_assignment(a) for a in assignments)
    if config:
        return dict(load_scenario(config, extra).params)
    return validate_params(extra, source="--set")


def app_settings() -> tuple[dict[str, Value], int]:
    """The parameters and seed the served app starts from, as :func:`serve` set them."""
    assignments = [a for a in os.environ.get(SET_ENV, "").splitlines() if a]
    params = start_params(os.environ.get(CONFIG_ENV, ""), assignments)
    return params, int(os.environ.get(SEED_ENV, "0"))


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (port 0: any free port), or a UserError."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            msg = f"port {port} on {host} is already in use; choose another with --port"
        else:
            msg = f"cannot listen on {host}:{port}: {exc.strerror}; choose another --port"
        raise UserError(msg, source="--port") from None
    return sock


def serve(
    config: str | Path | None = None,
    *,
    assignments: Sequence[str] = (),
    port: int = 8765,
    host: str = "127.0.0.1",
    seed: int = 0,
    app: str = APP,
    on_ready: Callable[[str], None] | None = None,
) -> bool:
    """Serve the dashboard until interrupted.

    ``config`` (a scenario file) and ``assignments`` (``name=value``, as
    ``--set``) are validated before anything is bound; the resulting values
    become the controls' initial values. ``on_ready`` is called with the URL
    once the port is bound. ``app`` is a Solara app (module name or ``.py``
    path) defining ``Page``. Returns False if the app failed to start.
    """
    start_params(config, assignments)
    if seed < 0:
        raise UserError("must be a non-negative integer", source="--seed")
    sock = bind(host, port)
    url = f"http://{host}:{sock.getsockname()[1]}"
    os.environ[CONFIG_ENV] = str(config) if config is not None else ""
    os.environ[SEED_ENV] = str(seed)
    os.environ[SET_ENV] = "\n".join(assignments)
    os.environ["SOLARA_APP"] = app
    os.environ["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] = "False"
    os.environ["SERVER_NAME"] = host
    os.environ["SERVER_PORT"] = str(sock.getsockname()[1])
    import uvicorn
    from solara.server import settings

    settings.telemetry.mixpanel_enable = False
    settings.main.mode = "production"
    settings.kernel.cull_timeout = SESSION_TIMEOUT
    # Plain-http loopback serving makes Solara warn about cookies on every request.
    warnings.filterwarnings("ignore", message="Cookies with samesite=none", category=UserWarning)
    # Solara's hook linter flags Mesa's own SolaraViz code; nothing a user can act on.
    warnings.filterwarnings("ignore", message=".*found despite early return", category=UserWarning)
    server = uvicorn.Server(
        uvicorn.Config("solara.server.starlette:app", log_config=None, log_level="warning")
    )
    if on_ready is not None:
        on_ready(url)
    log.info("serving %s at %s", app, url)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        # uvicorn re-raises the Ctrl-C it handled once it has shut down cleanly.
        log.info("dashboard stopped")
    finally:
        sock.close()
    return bool(server.started)
