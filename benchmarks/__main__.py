"""Run the registered benchmarks and write benchmarks/report.md and report.json."""

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

from benchmarks import REGISTRY, BenchResult

HERE = Path(__file__).resolve().parent


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

    load_before = os.getloadavg()[0]
    results: dict[str, BenchResult] = {}
    for name in names:
        t0 = time.perf_counter()
        print(f"benchmark {name} …", file=sys.stderr, flush=True)
        results[name] = importlib.import_module(REGISTRY[name]).run(quick=args.quick)
        print(f"benchmark {name}: {time.perf_counter() - t0:.1f} s", file=sys.stderr)

    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    load = (load_before, os.getloadavg()[0])
    machine = (
        f"{platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} cores; "
        f"load average {load[0]:.1f} before, {load[1]:.1f} after (other work on the machine "
        "slows the parallel figures)"
    )
    md = [f"# Benchmark report\n\n{stamp} — {machine}{' (quick)' if args.quick else ''}\n"]
    for r in results.values():
        md.append(f"## {r.title}\n\n{r.markdown.strip()}\n")
        if r.checks:
            md.append(
                "\n".join(f"- {'met' if ok else 'NOT met'}: {c}" for c, ok in r.checks.items())
            )
            md.append("")
    (HERE / "report.md").write_text("\n".join(md) + "\n")
    payload = {
        "generated": stamp,
        "machine": machine,
        "quick": args.quick,
        "benchmarks": {n: {"figures": r.figures, "checks": r.checks} for n, r in results.items()},
    }
    (HERE / "report.json").write_text(json.dumps(payload, indent=2) + "\n")
    print("\n".join(md))
    return 0


if __name__ == "__main__":
    sys.exit(main())
