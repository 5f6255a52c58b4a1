"""Framework, data and optimizer options of ``grsd probe``, and ``grsd probe sweep`` / ``report``.

Hooked into :mod:`grsd_sym.cli.cmd_probe` by two calls: ``_add_probe_extensions`` (adds the
options and the ``sweep`` / ``report`` sub-commands) and ``_wants_framework`` /
``_run_framework`` (runs the probe through :func:`grsd_sym.probe.runs.run_probe` when a
framework, data set, optimizer or architecture beyond the numpy teacher default is asked for).

* ``grsd probe --framework torch --arch rescnn,cnn --data digits --quick --json``
* ``grsd probe sweep CONFIG.toml --store DIR [--scheduler ADDRESS] [--workers N]``
* ``grsd probe report DIR [--json] [--figures DIR]``
"""

from __future__ import annotations

import argparse
import contextlib
import json
import signal
import sys
import time
from typing import Any

import numpy as np

from grsd_sym.errors import GRSDError, InputError

__all__ = ["FRAMEWORK_DEFAULT", "FRAMEWORK_QUICK"]

#: ``--quick`` sizes of the framework path (torch/jax/cnn/digits/sgd): < 5 min on 2 cores
FRAMEWORK_QUICK: dict[str, Any] = {
    "depths": (2, 4),
    "seeds": (0, 1),
    "width": 8,
    "samples": 96,
    "steps": 200,
    "checkpoints": 8,
    "shells": 4,
    "n_null": 50,
    "min_count": 3,
}
#: default sizes of the framework path
FRAMEWORK_DEFAULT: dict[str, Any] = {
    "depths": (2, 4, 8),
    "seeds": (0, 1, 2),
    "width": 16,
    "samples": 256,
    "steps": 1000,
    "checkpoints": 12,
    "shells": 4,
    "n_null": 200,
    "min_count": 10,
}


#: the flags this module added (a flag the probe command already had is shared, not re-added)
_OWN_FLAGS: set[str] = set()


def _add(parser, flag, **kw):
    """Add ``flag`` unless the probe command already has it (then the existing one is shared)."""
    if flag not in parser._option_string_actions:
        parser.add_argument(flag, **kw)
        _OWN_FLAGS.add(flag)


def _add_framework_arguments(parser) -> None:
    """``--framework``, ``--data``, ``--optimizer`` and the options that go with them."""
    _add(
        parser,
        "--framework",
        choices=["numpy", "torch", "jax"],
        default=None,
        help="network framework (default numpy; torch/jax need the extras of the same name)",
    )
    _add(parser, "--data", default=None, help="teacher (default) | digits (extra 'digits') | npz:PATH with arrays X, y")
    _add(
        parser,
        "--optimizer",
        choices=["gd", "gf", "sgd"],
        default=None,
        help="gd: full-batch fixed step; gf: gradient flow (step re-sized to "
        "gf_bound/lambda_max(t)); sgd: minibatch SGD",
    )
    _add(parser, "--lr", type=float, default=None, help="learning rate (default lr_scale/lambda_max(M(0)))")
    _add(parser, "--batch-size", type=int, default=None, help="sgd minibatch size")
    _add(parser, "--momentum", type=float, default=None, help="heavy-ball momentum in [0, 1)")
    _add(
        parser,
        "--mdot",
        choices=["jvp", "central"],
        default=None,
        help="kernel velocity: jvp (exact, default) or central differences (torch/jax)",
    )
    _add(
        parser,
        "--block-size",
        type=int,
        default=None,
        help="samples per Jacobian block (torch/jax; default from --max-memory)",
    )
    _add(
        parser,
        "--max-memory",
        type=int,
        default=None,
        help="bytes of Jacobian blocks held at once (torch/jax; default 1 GiB)",
    )


def _probe_subparsers(parser):
    """The (single) sub-command group of ``grsd probe``; created on first use, then shared.

    ``grsd probe`` without a sub-command keeps working (the group is optional).
    """
    sub = getattr(parser, "_grsd_probe_sub", None)
    if sub is None:
        sub = parser.add_subparsers(dest="probe_command", metavar="{sweep,report,...}", parser_class=type(parser))
        sub.required = False
        parser._grsd_probe_sub = sub
    return sub


def _add_probe_extensions(parser) -> None:
    """Everything this module adds to the ``grsd probe`` parser."""
    _add_framework_arguments(parser)
    sub = _probe_subparsers(parser)
    sw = sub.add_parser(
        "sweep",
        help="run a grid of probe runs on Dask into a Parquet store",
        description="Run the grid of CONFIG (TOML: probe options; lists are swept) "
        "on a Dask cluster; each finished run is written to DIR at once; "
        "a restarted sweep skips what is done.",
    )
    sw.add_argument("config", help="sweep configuration (TOML)")
    sw.add_argument("--store", required=True, metavar="DIR", help="results directory")
    sw.add_argument(
        "--scheduler", default=None, metavar="ADDRESS", help="existing Dask scheduler (default: a LocalCluster here)"
    )
    sw.add_argument("--workers", type=int, default=2, help="local cluster worker processes (default 2)")
    sw.add_argument("--retry-failed", action="store_true", help="run failed runs again")
    sw.set_defaults(_run=_run_sweep_command)
    rp = sub.add_parser(
        "report",
        help="read a sweep store: table, confidence intervals, figures",
        description="Read the store DIR of grsd probe sweep.",
    )
    rp.add_argument("store", metavar="DIR", help="sweep store")
    rp.add_argument("--json", action="store_true", help="one JSON document (with a 'runs' list)")
    rp.add_argument(
        "--figures",
        default=None,
        metavar="DIR",
        help="write figures to DIR (default DIR/figures when matplotlib is installed)",
    )
    rp.add_argument("--no-figures", action="store_true", help="do not write figures")
    rp.set_defaults(_run=_run_report_command)


def _archs(args) -> list[str]:
    text = getattr(args, "arch", None)
    return [a.strip() for a in text.split(",") if a.strip()] if text else []


def _wants_framework(args) -> bool:
    """True when the run needs :func:`_run_framework` rather than the numpy teacher experiment."""
    fw = getattr(args, "framework", None)
    return bool(
        (fw not in (None, "numpy"))
        or getattr(args, "data", None) not in (None, "teacher")
        or getattr(args, "optimizer", None) is not None
        or any(a in ("cnn", "rescnn") for a in _archs(args))
        or any(
            getattr(args, f[2:].replace("-", "_"), None) is not None
            for f in _OWN_FLAGS
            if f not in ("--framework", "--data", "--optimizer")
        )
    )


def _ints(text: object, name: str) -> tuple[int, ...]:
    try:
        vals = tuple(int(x) for x in str(text).split(",") if x.strip())
    except ValueError:
        raise InputError(f"--{name} must be a comma-separated list of integers, got {text!r}") from None
    if not vals:
        raise InputError(f"--{name} is empty")
    return vals


def _given(args: argparse.Namespace, *names: str, **renamed: str) -> dict[str, Any]:
    """``{key: value}`` of the options given (not ``None``); ``renamed`` maps an option to its key."""
    pairs = [(n, n) for n in names] + list(renamed.items())
    return {key: v for opt, key in pairs if (v := getattr(args, opt, None)) is not None}


def _framework_plan(args: argparse.Namespace) -> tuple[dict[str, Any], list[str], tuple[int, ...], tuple[int, ...]]:
    sizes = FRAMEWORK_QUICK if getattr(args, "quick", False) else FRAMEWORK_DEFAULT
    common: dict[str, Any] = {
        "framework": getattr(args, "framework", None) or "numpy",
        "data": getattr(args, "data", None) or "teacher",
        "optimizer": getattr(args, "optimizer", None) or "gd",
    }
    for opt, key in (
        ("width", "width"),
        ("samples", "samples"),
        ("steps", "steps"),
        ("checkpoints", "checkpoints"),
        ("shells", "shells"),
    ):
        v = getattr(args, opt, None)
        common[key] = sizes[key] if v is None else v
    common["n_null"] = sizes["n_null"]
    mc = getattr(args, "min_count", None)  # --min-count belongs to the probe command (issue 14)
    common["min_count"] = sizes["min_count"] if mc is None else mc
    common.update(
        _given(args, "activation", "branch_scale", "lr", "batch_size", "momentum", "mdot", "block_size", "max_memory")
    )
    archs = _archs(args) or ["mlp", "resnet"]
    depths = _ints(args.depths, "depths") if getattr(args, "depths", None) else sizes["depths"]
    seeds = _ints(args.seeds, "seeds") if getattr(args, "seeds", None) else sizes["seeds"]
    return common, archs, depths, seeds


def _run_framework(args) -> int:
    """``grsd probe`` through :func:`grsd_sym.probe.runs.run_probe` (torch/jax/cnn/digits/sgd)."""
    from grsd_sym.probe.runs import conditions, jsonable, normalize_options, run_probe

    if getattr(args, "plot", None):
        raise InputError(
            "--plot is for the numpy teacher experiment; for --framework/--data/"
            "--optimizer runs use grsd probe sweep and grsd probe report --figures"
        )
    common, archs, depths, seeds = _framework_plan(args)
    for a in archs:  # fail before any training
        normalize_options(dict(common, arch=a, depth=depths[0], seed=seeds[0]))
    if common["framework"] == "torch":
        import torch

        torch.set_num_threads(1)

    def say(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    t0 = time.perf_counter()
    runs: list[dict[str, Any]] = []
    results: dict[str, dict[str, Any]] = {}
    n_total, i = len(archs) * len(depths) * len(seeds), 0
    for arch in archs:
        results[arch] = {}
        for depth in depths:
            per = []
            for seed in seeds:
                i += 1
                opts = dict(common, arch=arch, depth=depth, seed=seed)

                def progress(m: str, tag: str = f"[{i}/{n_total}]") -> None:
                    say(f"{tag} {m}")

                try:
                    rec = run_probe(opts, progress=progress)
                    per.append(rec)
                    runs.append(
                        {
                            "arch": arch,
                            "depth": depth,
                            "seed": seed,
                            "diagnostics": rec["summary"],
                            "conditions": rec["conditions"],
                            "regime": rec["regime"],
                            "n_params": rec["n_params"],
                            "wall_time_s": rec["wall_time_s"],
                        }
                    )
                except GRSDError as exc:  # one run's failure (e.g. too few shells): recorded
                    say(f"[{i}/{n_total}] {arch} depth={depth} seed={seed}: failed: {exc}")
                    runs.append({"arch": arch, "depth": depth, "seed": seed, "error": f"{type(exc).__name__}: {exc}"})
            results[arch][str(depth)] = _aggregate(per, conditions)
    doc = {
        "framework": common["framework"],
        "data": common["data"],
        "optimizer": common["optimizer"],
        "options": jsonable(common),
        "archs": archs,
        "depths": list(depths),
        "seeds": list(seeds),
        "results": results,
        "conditions": {a: {d: results[a][d]["conditions"] for d in results[a]} for a in archs},
        "runs": runs,
        "wall_time_s": time.perf_counter() - t0,
    }
    if getattr(args, "json", False):
        print(json.dumps(jsonable(doc), indent=2, sort_keys=True))
    else:
        print(_format(doc))
    return 0


def _mean_std(vals):
    x = np.array([v for v in vals if isinstance(v, (int, float)) and np.isfinite(v)], dtype=float)
    if not x.size:
        return None, None
    return float(x.mean()), (float(x.std(ddof=1)) if x.size > 1 else None)


def _aggregate(per: list[dict], conditions) -> dict:
    from grsd_sym.probe.sweep import REPORT_METRICS

    mean, std = {}, {}
    for k in (*REPORT_METRICS, "grad_log_slope", "delta_W_offdiag_null"):
        mean[k], std[k] = _mean_std([r["summary"].get(k) for r in per])
    conds = conditions({k: v for k, v in mean.items() if v is not None})
    for c in conds.values():
        for k in list(c):
            c[k] = {"mean": mean.get(k), "std": std.get(k)}
    conds["4_log_shift_invariance"]["p_value"] = [
        (r["conditions"]["4_log_shift_invariance"].get("p_value")) for r in per
    ]
    return {
        "n_ok": len(per),
        "mean": mean,
        "std": std,
        "conditions": conds,
        "regime": sorted({r["regime"]["regime"] for r in per}),
    }


def _fmt(x):
    if x is None:
        return "n/a"
    return f"{x:.2e}" if (x != 0 and (abs(x) >= 1e4 or abs(x) < 1e-3)) else f"{x:.3f}"


def _format(doc: dict) -> str:
    cols = [
        ("grad_spread", "1:grad_spread"),
        ("rho0", "2:rho0"),
        ("kernel_movement_final", "3:dM/M0"),
        ("delta_K", "4:delta_K"),
        ("delta_K_null", "4:dK_null"),
        ("delta_W_offdiag", "4:dW_offdiag"),
    ]
    head = f"{'arch':<8}{'depth':>5} {'ok':>3}  " + "  ".join(f"{c[1]:>19}" for c in cols) + "  regime"
    lines = [f"framework {doc['framework']}, data {doc['data']}, optimizer {doc['optimizer']}", head, "-" * len(head)]
    for arch, byd in doc["results"].items():
        for depth, agg in byd.items():
            cells = [f"{_fmt(agg['mean'][k]) + ' +- ' + _fmt(agg['std'][k]):>19}" for k, _ in cols]
            lines.append(f"{arch:<8}{depth:>5} {agg['n_ok']:>3}  " + "  ".join(cells) + "  " + "; ".join(agg["regime"]))
    lines.append("")
    lines.append(
        "conditions (docs/theory/conditions.md): 1 bounded gradient propagation, 2 weak functional "
        "incoherence, 3 controlled Jacobian evolution, 4 log-shift invariance; "
        "mean +- std over seeds"
    )
    return "\n".join(lines)


# ----------------------------------------------------------------------------- sweep / report
def _sigterm_as_interrupt():
    def handler(signum, frame):
        raise KeyboardInterrupt

    with contextlib.suppress(ValueError):  # not the main thread
        signal.signal(signal.SIGTERM, handler)


def _run_sweep_command(args) -> int:
    from grsd_sym.probe.sweep import run_sweep

    _sigterm_as_interrupt()  # so that the local cluster is shut down on SIGTERM

    def say(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    counts = run_sweep(
        args.config,
        args.store,
        scheduler=args.scheduler,
        workers=args.workers,
        retry_failed=args.retry_failed,
        progress=say,
    )
    say(
        f"sweep finished: {counts['done']} done, {counts['failed']} failed, "
        f"{counts['skipped']} skipped (already in the store) of {counts['total']}"
    )
    return 0


def _run_report_command(args) -> int:
    from pathlib import Path

    from grsd_sym.probe.runs import jsonable
    from grsd_sym.probe.sweep import format_report, report

    figures = None
    if not args.no_figures:
        if args.figures is not None:
            figures = args.figures
        else:
            try:
                import matplotlib  # noqa: F401

                figures = str(Path(args.store) / "figures")
            except ImportError:
                figures = None
    doc = report(args.store, figures=figures)
    if args.json:
        print(json.dumps(jsonable(doc), indent=2, sort_keys=True))
    else:
        print(format_report(doc))
    return 0
