"""``grsd probe``: measure the four sufficient conditions on trained residual and plain networks.

Trains each architecture x depth x seed on the power-law teacher task (or a user trajectory
with ``--trajectory``), prints mean and spread over seeds of the Toeplitz deviation ``delta``
(energy-transfer ``K`` and overlap ``W`` estimators, with their permutation null baselines), the
fitted velocity exponent ``b`` and the three other diagnostics (docs/theory/conditions.md).
"""

from __future__ import annotations

import json
import math
import sys
from dataclasses import replace

import numpy as np

from grsd_sym.errors import InputError

HELP = "measure the four GRSD conditions (log-shift invariance, ...) on trained residual vs plain nets"


def _int_list(text: str, name: str) -> tuple[int, ...]:
    try:
        vals = tuple(int(x) for x in text.split(",") if x.strip())
    except ValueError:
        raise InputError(f"--{name} must be a comma-separated list of integers, got {text!r}") from None
    if not vals:
        raise InputError(f"--{name} is empty")
    return vals


def add_arguments(parser) -> None:
    parser.add_argument("--arch", default=None, help="comma-separated architectures: mlp,resnet (default both)")
    parser.add_argument("--depths", default=None, help="comma-separated depths (default 2,4,8; quick 2,4,8)")
    parser.add_argument("--seeds", default=None, help="comma-separated init seeds (default 0,1,2; quick 0,1)")
    parser.add_argument("--width", type=int, default=None, help="hidden width (default 32; quick 24)")
    parser.add_argument("--samples", type=int, default=None, help="training samples n (default 128; quick 96)")
    parser.add_argument("--steps", type=int, default=None, help="gradient-descent steps (default 2000; quick 1000)")
    parser.add_argument("--checkpoints", type=int, default=None, help="log-spaced checkpoints (default 16)")
    parser.add_argument("--shells", type=int, default=None, help="shells in the scaling window (default 6)")
    parser.add_argument("--activation", choices=["tanh", "relu"], default=None)
    parser.add_argument("--branch-scale", type=float, default=None,
                        help="residual branch scale alpha (default 1/sqrt(depth))")
    parser.add_argument("--quick", action="store_true", help="small configuration (< 3 min on 2 cores)")
    parser.add_argument("--trajectory", default=None,
                        help="diagnose a user trajectory .npz (keys t, e, J or M, optional Mdot, "
                             "grad_norms) instead of training")
    parser.add_argument("--json", action="store_true", help="one JSON document on stdout")
    parser.add_argument("--plot", metavar="DIR", default=None,
                        help="write figures to DIR (needs the 'plot' extra: matplotlib)")


def _config(args):
    from grsd_sym.probe.experiment import DEFAULT, QUICK

    cfg = QUICK if args.quick else DEFAULT
    upd = {}
    if args.arch is not None:
        upd["archs"] = tuple(a.strip() for a in args.arch.split(",") if a.strip())
    if args.depths is not None:
        upd["depths"] = _int_list(args.depths, "depths")
    if args.seeds is not None:
        upd["seeds"] = _int_list(args.seeds, "seeds")
    for opt, key in (("width", "width"), ("samples", "n_samples"), ("steps", "steps"),
                     ("checkpoints", "n_checkpoints"), ("shells", "n_shells"),
                     ("activation", "activation"), ("branch_scale", "branch_scale")):
        v = getattr(args, opt)
        if v is not None:
            upd[key] = v
    return replace(cfg, **upd).validate()


def _jsonable(x):
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    if isinstance(x, np.ndarray):
        return _jsonable(x.tolist())
    if isinstance(x, (np.floating, float)):
        x = float(x)
        return x if math.isfinite(x) else None
    if isinstance(x, np.integer):
        return int(x)
    return x


def _run_trajectory(args) -> int:
    from grsd_sym.probe.adapter import load_trajectory_npz
    from grsd_sym.probe.diagnostics import diagnose

    traj = load_trajectory_npz(args.trajectory)
    d = diagnose(traj, n_shells=args.shells or 6)
    s = _jsonable(d["summary"])
    if args.json:
        print(json.dumps({"trajectory": args.trajectory, "summary": s}, indent=2, sort_keys=True))
    else:
        for k in sorted(s):
            if k not in ("c_t", "window"):
                print(f"{k:>24}: {s[k]}")
        print(f"{'window':>24}: {s['window']}")
    if args.plot:
        from grsd_sym.probe.plots import plot_trajectory
        plot_trajectory(d, args.plot)
    return 0


def run(args) -> int:
    from grsd_sym.probe.blas import blas_threads

    with blas_threads(1):  # small matrices: one BLAS thread is much faster on a busy machine
        return _run(args)


def _run(args) -> int:
    if args.plot:
        from grsd_sym.probe.plots import require_matplotlib
        require_matplotlib()  # fail before the long work, not after
    if args.trajectory:
        return _run_trajectory(args)
    from grsd_sym.probe.experiment import format_table, run_experiment

    cfg = _config(args)

    def progress(msg):
        print(msg, file=sys.stderr, flush=True)

    doc = run_experiment(cfg, progress=progress, keep_arrays=bool(args.plot))
    arrays = doc.pop("_arrays", None)
    if args.plot:
        from grsd_sym.probe.plots import plot_experiment
        files = plot_experiment(doc, arrays, args.plot)
        progress(f"wrote {len(files)} figures to {args.plot}")
    if args.json:
        print(json.dumps(_jsonable(doc), indent=2, sort_keys=True))
    else:
        print(format_table(doc))
    return 0
