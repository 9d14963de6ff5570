"""Run the registered benchmarks and write benchmarks/report.md and report.json.

Running a subset (``python -m benchmarks engine``) updates those benchmarks'
entries and keeps the others' last results, each with its own date and machine.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks import REGISTRY

HERE = Path(__file__).resolve().parent
REPORT_JSON = HERE / "report.json"


def _previous() -> dict[str, Any]:
    try:
        entries = json.loads(REPORT_JSON.read_text()).get("benchmarks", {})
    except (OSError, ValueError):
        return {}
    # entries without their own Markdown (an older report) cannot be shown again
    return {k: v for k, v in entries.items() if isinstance(v, dict) and "markdown" in v}


def _markdown(entries: dict[str, Any]) -> str:
    md = ["# Benchmark report\n"]
    for name in [n for n in REGISTRY if n in entries] + [n for n in entries if n not in REGISTRY]:
        e = entries[name]
        md.append(f"## {e['title']}\n")
        md.append(f"*{e['generated']} — {e['machine']}{' (quick)' if e.get('quick') else ''}*\n")
        md.append(e["markdown"].strip() + "\n")
        if e.get("checks"):
            md.append(
                "\n".join(f"- {'met' if ok else 'NOT met'}: {c}" for c, ok in e["checks"].items())
            )
            md.append("")
    return "\n".join(md) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "names", nargs="*", help=f"benchmarks to run (default: all of {list(REGISTRY)})"
    )
    parser.add_argument("--quick", action="store_true", help="smaller workloads, for a smoke check")
    args = parser.parse_args(argv)
    names = args.names or list(REGISTRY)
    unknown = [n for n in names if n not in REGISTRY]
    if unknown:
        parser.error(f"unknown benchmark(s) {unknown}; choose from {list(REGISTRY)}")

    entries = _previous()
    for name in names:
        load_before = os.getloadavg()[0]
        t0 = time.perf_counter()
        print(f"benchmark {name} …", file=sys.stderr, flush=True)
        r = importlib.import_module(REGISTRY[name]).run(quick=args.quick)
        print(f"benchmark {name}: {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        machine = (
            f"{platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} cores; "
            f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after "
            "(other work on the machine slows the figures, the parallel ones most)"
        )
        entries[name] = {
            "title": r.title,
            "generated": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": machine,
            "quick": args.quick,
            "figures": r.figures,
            "checks": r.checks,
            "markdown": r.markdown,
        }
    text = _markdown(entries)
    (HERE / "report.md").write_text(text)
    REPORT_JSON.write_text(json.dumps({"benchmarks": entries}, indent=2) + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
