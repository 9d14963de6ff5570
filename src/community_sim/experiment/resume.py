"""Resume: decide what an out folder already holds, and refuse to mix experiments.

Running the same spec again on the same folder computes only the runs that are
missing or failed. A folder written by a different spec (its hash differs) is
refused unless ``force`` is given, which clears the store's own files first.
So is a folder whose runs a different model made (its fingerprint differs: the
model's code changed since), since new runs would not match the stored ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from community_sim.errors import UserError
from community_sim.experiment.lock import LOCK
from community_sim.experiment.spec import ExperimentSpec
from community_sim.experiment.store import Store

MAX_KEYS = 6


def _leaves(value: Any, prefix: str = "") -> dict[str, Any]:
    """A nested mapping as dotted keys → values (lists are values)."""
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for k, v in value.items():
            out |= _leaves(v, f"{prefix}{k}.")
        return out
    return {prefix.rstrip("."): value}


def changed_keys(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """The dotted keys whose values differ between two specs (added or removed too)."""
    a, b = _leaves(old), _leaves(new)
    return sorted(k for k in a.keys() | b.keys() if a.get(k, _MISSING) != b.get(k, _MISSING))


_MISSING = object()


def _differences(store: Store, spec: ExperimentSpec) -> str:
    """What differs, for the refusal: the spec's keys, or its base scenario's contents."""
    try:
        old = store.read_manifest().get("spec") or {}
    except (OSError, ValueError):
        return "its manifest is unreadable"
    keys = changed_keys(old, spec.to_json())
    if not keys:
        return "its base scenario file changed"
    more = f" and {len(keys) - MAX_KEYS} more" if len(keys) > MAX_KEYS else ""
    return "differs in " + ", ".join(keys[:MAX_KEYS]) + more


def check_out_folder(
    store: Store, spec: ExperimentSpec, *, force: bool, fingerprint: str | None = None
) -> str:
    """What to do with ``store`` for ``spec``: ``"new"``, ``"resume"`` or ``"clear"``.

    Raises UserError when the folder may not take the spec, or when ``fingerprint``
    (the model's, from :func:`model_fingerprint`; None: not checked) differs from the
    stored runs'. Nothing is written or removed here; ``"clear"`` (only with ``force``)
    asks the caller to clear it.
    """
    out = store.out
    if out.exists() and not out.is_dir():
        raise UserError("exists and is not a folder; choose another --out", source=str(out))
    if store.exists():
        try:
            manifest = store.read_manifest()
        except (OSError, ValueError):
            manifest = {}
        old_hash = manifest.get("spec_hash")
        if force:
            return "clear"
        if old_hash == spec.spec_hash():
            old_print = manifest.get("model_fingerprint")
            if fingerprint is None or old_print == fingerprint:
                return "resume"
            made = f"model {old_print}" if old_print else "a model that recorded no fingerprint"
            raise UserError(
                f"holds runs of {made}, and the model now is {fingerprint} (its code changed "
                "since); use --force to run the experiment afresh or choose another --out",
                source=str(out),
            )
        raise UserError(
            f"holds results of a different experiment spec ({_differences(store, spec)}); "
            "use --force to start afresh or choose another --out",
            source=str(out),
        )
    if out.is_dir() and any(p.name != LOCK for p in out.iterdir()) and not force:
        raise UserError(
            "is not empty and holds no experiment; choose another --out or use --force",
            source=str(out),
        )
    return "new"


def model_fingerprint(spec: ExperimentSpec) -> str | None:
    """The spec's model's fingerprint (its adapter's), or None when it has none."""
    from community_sim.experiment.adapters import adapter_for

    return adapter_for(spec.model).fingerprint(spec.model)


def done_run_ids(store: Store) -> set[int]:
    """Run ids already recorded as ok (failed ones are run again)."""
    runs = store.read_runs()
    if runs.empty:
        return set()
    return set(runs.loc[runs["status"] == "ok", "run_id"].astype(int).tolist())


def default_out(spec: ExperimentSpec) -> Path:
    return Path("results") / spec.name
