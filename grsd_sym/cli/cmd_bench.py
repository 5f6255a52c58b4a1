"""``grsd bench [--quick] [--json] [--only NAME ...]``: run the registered benchmarks.

Each benchmark (``grsd_sym/bench/bench_*.py``) compares a grsd_sym routine with a baseline run in
the same process and reports a ratio against its target; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import sys

HELP = "run the benchmarks (ratios against baselines measured in the same run)"

__all__ = ["HELP", "add_arguments", "run"]


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Declare ``--quick``, ``--json``, ``--only`` and ``--strict`` on ``grsd bench``.

    Parameters
    ----------
    p : argparse.ArgumentParser
        The ``grsd bench`` subparser.

    Examples
    --------
    >>> import argparse
    >>> add_arguments(p := argparse.ArgumentParser())
    >>> p.parse_args(["--only", "lower", "shells"]).only
    ['lower', 'shells']
    """
    p.add_argument("--quick", action="store_true", help="smaller sizes and fewer repeats (well under a minute)")
    p.add_argument("--json", action="store_true", help="one JSON document on stdout")
    p.add_argument("--only", nargs="+", metavar="NAME", help="run only these benchmarks")
    p.add_argument("--strict", action="store_true", help="exit code 1 if a target is missed")


def _jsonable(x):
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    if hasattr(x, "item") and callable(x.item):  # numpy scalars
        return x.item()
    return x


def run(args: argparse.Namespace) -> int:
    """Run the selected benchmarks and print a table or one JSON document.

    Parameters
    ----------
    args : argparse.Namespace
        ``quick``, ``json``, ``only`` and ``strict``.

    Returns
    -------
    int
        1 under ``--strict`` when a target is missed, else 0.

    Raises
    ------
    InputError
        An unknown benchmark name.

    Examples
    --------
    >>> import argparse
    >>> run(argparse.Namespace(quick=True, json=False, only=["nonexistent"], strict=False))
    Traceback (most recent call last):
    ...
    grsd_sym.errors.InputError: unknown benchmark(s) ['nonexistent']; known: [...]
    """
    from grsd_sym.bench import run_all

    def progress(msg: str) -> None:
        print(f"grsd bench: {msg}", file=sys.stderr, flush=True)

    results = [_jsonable(r) for r in run_all(quick=args.quick, names=args.only, progress=progress)]
    all_passed = all(r["passed"] for r in results)
    rc = 1 if (args.strict and not all_passed) else 0
    if args.json:
        from grsd_sym.cli._io import json_document

        missed = [f"{r['name']} missed its target ({r['target']})" for r in results if not r["passed"]]
        doc = json_document(
            "bench", rc == 0, {"quick": bool(args.quick), "all_passed": all_passed, "benchmarks": results}, missed
        )
        print(json.dumps(doc, indent=2, sort_keys=True))
    else:
        w = max([len(r["name"]) for r in results] + [4])
        for r in results:
            ratio = r["ratio"]
            rs = f"{ratio:.3g}" if isinstance(ratio, (int, float)) else "n/a"
            print(f"{r['name']:<{w}}  ratio {rs:>8}  {'passed' if r['passed'] else 'MISSED':<6}  target: {r['target']}")
            if "error" in (r.get("details") or {}):
                print(f"{'':<{w}}  error: {r['details']['error']}")
    return rc
