"""Scenario files: TOML parameter sets, parsed once into validated values.

A scenario file looks like::

    description = "Why this scenario exists"

    [params]
    policy = "integrated"
    tech_drift = 0.12

Keys not under ``[params]`` other than ``description`` are errors, as are
unknown parameters, wrong types and out-of-bounds values; each error names the
file and the key.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from community_sim.errors import UserError
from community_sim.params import Value, validate_params


class _ScenarioFile(BaseModel):
    """The file's shape; parameter values are checked against PARAMS afterwards."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    description: str = ""
    params: dict[str, Any] = {}


@dataclass(frozen=True)
class Scenario:
    """A validated scenario: every parameter's value, and where it came from."""

    path: Path | None
    description: str
    overrides: Mapping[str, Value]
    params: Mapping[str, Value] = field(repr=False)


def read_toml(path: str | Path) -> dict[str, Any]:
    """Parse a TOML file, turning I/O and syntax errors into one-line UserErrors."""
    p = Path(path)
    if not p.is_file():
        raise UserError("file not found; check the path", source=str(p))
    try:
        with p.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"invalid TOML: {exc}", source=str(p)) from None
    except OSError as exc:
        raise UserError(f"cannot read file: {exc.strerror}", source=str(p)) from None


def pydantic_error(exc: ValidationError, source: str) -> UserError:
    """The first pydantic error as a one-line UserError naming the key."""
    err = exc.errors()[0]
    key = ".".join(str(x) for x in err["loc"])
    msg = err["msg"]
    if err["type"] == "extra_forbidden":
        msg = "unknown key; remove it or check its spelling"
    return UserError(msg[0].lower() + msg[1:], source=source, key=key)


def load_scenario(path: str | Path, extra: Mapping[str, Any] | None = None) -> Scenario:
    """Load and validate a scenario file; ``extra`` (e.g. ``--set``) overrides it."""
    raw = read_toml(path)
    try:
        parsed = _ScenarioFile.model_validate(raw)
    except ValidationError as exc:
        raise pydantic_error(exc, str(path)) from None
    params = validate_params(parsed.params, source=str(path))
    overrides = dict(parsed.params)
    if extra:
        params = validate_params(extra, source="--set", base=params)
        overrides.update(extra)
    return Scenario(Path(path), parsed.description, overrides, params)
