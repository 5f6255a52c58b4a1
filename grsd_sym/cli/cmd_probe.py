"""``grsd probe``: measure the four sufficient conditions on trained residual and plain networks.

Trains each architecture x depth x seed in the gradient-flow regime on the power-law teacher
task or scikit-learn's digits (or diagnoses a user trajectory with ``--trajectory``), and prints
per architecture the verdict of the condition-4 test (supported / not supported / inconclusive,
with its permutation p-value, invariance p-value and split-half reproducibility) beside the
positive control of the same test at the same shell counts, the Toeplitz deviations of the raw
rates ``C``, of ``K`` and of the rescaled ``K``, the off-diagonal ``W``, the flux velocity
exponent and the three other conditions, and the residual-minus-plain differences with seed-
bootstrap intervals.  ``grsd probe calibrate`` measures the test's power and false-positive rate.
A run that fails or diverges makes the command exit with code 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from grsd_sym.errors import InputError

__all__ = ["HELP", "add_arguments", "run"]

HELP = "measure the four GRSD conditions (log-shift invariance, ...) on trained residual vs plain nets"


def _int_list(text: str, name: str) -> tuple[int, ...]:
    try:
        vals = tuple(int(x) for x in text.split(",") if x.strip())
    except ValueError:
        raise InputError(f"--{name} must be a comma-separated list of integers, got {text!r}") from None
    if not vals:
        raise InputError(f"--{name} is empty")
    return vals


_TASKS_HELP = (
    "comma-separated tasks of the experiment: teacher,digits (default teacher; digits needs the 'digits' extra)"
)
_WINDOW_HELP = (
    "intersect (default: one window, the intersection of the per-checkpoint power-law fits of every seed; "
    "refitted per checkpoint when they do not overlap) | refit (refit per checkpoint) | count "
    "(intersection, equal-count shells) | S_LO:S_HI (bounds in s = log lambda)"
)
_LR_BOUND_HELP = "bound on lr * lambda_max(t) of the adaptive gradient-flow step (default 0.5); 'none' = fixed --lr"
_CALIBRATION_TRIALS_HELP = (
    "positive-control tests per condition beside every architecture (default 20; quick 6; 0 = none)"
)
# the options of a run in --help order, as (flag, help) for a string or (flag, help, type); each defaults to None (not given)
_RUN_OPTIONS: tuple[tuple[str, str] | tuple[str, str, Callable[[str], Any]], ...] = (
    ("--arch", "comma-separated architectures: mlp,resnet (default both)"),
    ("--depths", "comma-separated depths (default 2,4,8,16; quick 2,4)"),
    ("--seeds", "comma-separated init seeds (default 0-7; quick 0-3)"),
    ("--tasks", _TASKS_HELP),
    ("--width", "hidden width (default 16; quick 12)", int),
    ("--samples", "training samples = modes n (default 1024; quick 256)", int),
    ("--steps", "steps of the --optimizer gd/sgd path (the gradient-flow experiment runs to --t-max instead)", int),
    ("--checkpoints", "log-spaced checkpoints after t = 0 (default 4)", int),
    ("--shells", "shells in the scaling window (default: the most with --min-count modes each)", int),
    ("--min-count", "minimum modes per shell at every checkpoint (default 30; quick 12)", int),
    ("--window", _WINDOW_HELP),
    ("--exclude-top", "top ranks never in the window (default max(2, 2%% of the modes))", int),
    ("--lr", "step cap (with --lr-bound) or the fixed step (with --lr-bound none)", float),
    ("--lr-bound", _LR_BOUND_HELP),
    ("--t-max", "final time in units of 1/lambda_max(M(0)) (default 30; quick 30)", float),
    ("--calibration-trials", _CALIBRATION_TRIALS_HELP, int),
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options and the ``sweep`` / ``report`` / ``calibrate`` sub-commands of ``grsd probe``.

    Parameters
    ----------
    parser : argparse.ArgumentParser

    Examples
    --------
    >>> p = argparse.ArgumentParser(); add_arguments(p)
    >>> p.parse_args(["--quick", "--arch", "resnet"]).arch
    'resnet'
    """
    for flag, text, *kind in _RUN_OPTIONS:
        parser.add_argument(flag, type=kind[0] if kind else str, default=None, help=text)
    parser.add_argument("--activation", choices=["tanh", "relu"], default=None)
    parser.add_argument(
        "--branch-scale", type=float, default=None, help="residual branch scale alpha (default 1/sqrt(depth))"
    )
    parser.add_argument("--quick", action="store_true", help="small configuration (about a minute)")
    parser.add_argument(
        "--trajectory",
        default=None,
        help="diagnose a user trajectory .npz (keys t, e, J or M, optional Mdot, grad_norms) instead of training",
    )
    parser.add_argument("--json", action="store_true", help="one JSON document on stdout")
    parser.add_argument(
        "--out", default=None, metavar="FILE", help="also write the JSON document to FILE after every group"
    )
    parser.add_argument(
        "--plot", metavar="DIR", default=None, help="write figures to DIR (needs the 'plot' extra: matplotlib)"
    )
    # --framework/--data/--optimizer and `grsd probe sweep|report` (issue 15)
    from grsd_sym.cli.cmd_probe_sweep import _add_probe_extensions, _probe_subparsers

    _add_probe_extensions(parser)
    cal = _probe_subparsers(parser).add_parser(
        "calibrate",
        help="power and false-positive rate of the condition-4 test on synthetic paths",
        description="Synthetic kernel paths with exactly log-shift-invariant couplings (positive "
        "control) and with controlled violations, through the probe's shell stage and "
        "condition-4 test: power = P(supported | invariant), false-positive rate = "
        "P(supported | violated).",
    )
    cal.add_argument("--modes", type=int, default=1024, help="modes n of the synthetic spectrum (default 1024)")
    cal.add_argument("--seeds", dest="cal_seeds", type=int, default=8, help="replicates per test (default 8)")
    cal.add_argument("--trials", type=int, default=30, help="tests per condition (default 30)")
    cal.add_argument("--noise", type=float, default=None, help="per-pair noise (default 3)")
    cal.add_argument(
        "--violation-q", type=float, default=None, help="violation: couplings scaled by lambda^q (default 0.5)"
    )
    cal.add_argument(
        "--min-count", dest="cal_min_count", type=int, default=30, help="minimum modes per shell (default 30)"
    )
    cal.add_argument("--beta", type=float, default=1.0, help="spectrum k^-beta (default 1)")
    cal.add_argument("--seed", type=int, default=0, help="random seed")
    cal.add_argument("--json", dest="cal_json", action="store_true", help="one JSON document")
    cal.set_defaults(_run=_run_calibrate)


def _run_calibrate(args) -> int:
    """``grsd probe calibrate``."""
    from grsd_sym.probe.blas import blas_threads
    from grsd_sym.probe.calibrate import DEFAULT_NOISE, DEFAULT_VIOLATION_Q, calibrate
    from grsd_sym.probe.experiment import jsonable

    with blas_threads(1):
        r = calibrate(
            n_modes=args.modes,
            n_seeds=args.cal_seeds,
            n_trials=args.trials,
            noise=DEFAULT_NOISE if args.noise is None else args.noise,
            violation_q=DEFAULT_VIOLATION_Q if args.violation_q is None else args.violation_q,
            min_count=args.cal_min_count,
            beta=args.beta,
            seed=args.seed,
        )
    if args.cal_json:
        print(json.dumps(jsonable(r), indent=2, sort_keys=True))
    else:
        print(
            f"condition-4 test calibration: n = {r['n_modes']} modes, {r['n_seeds']} seeds, "
            f"{r['n_trials']} tests per condition, per-pair noise {r['noise']}, violation "
            f"lambda^{r['violation_q']}"
        )
        print(f"shell counts {r['window']['counts_t0']} (h = {r['window']['h']:.3f})")
        for name, c in r["conditions"].items():
            print(f"  {name:<14} " + "  ".join(f"{k}: {v:.2f}" for k, v in c.items()))
        print(f"power {r['power']:.2f}   false-positive rate {r['false_positive_rate']:.2f}   ({r['seconds']:.0f} s)")
        print(r["definition"])
    return 0


def _config(args):
    from grsd_sym.cli.cmd_probe_sweep import _given
    from grsd_sym.probe.experiment import DEFAULT, QUICK

    cfg = QUICK if args.quick else DEFAULT
    upd: dict = {}
    if args.arch is not None:
        upd["archs"] = tuple(a.strip() for a in args.arch.split(",") if a.strip())
    if args.tasks is not None:
        upd["tasks"] = tuple(a.strip() for a in args.tasks.split(",") if a.strip())
    if args.depths is not None:
        upd["depths"] = _int_list(args.depths, "depths")
    if args.seeds is not None:
        upd["seeds"] = _int_list(args.seeds, "seeds")
    if args.steps is not None:
        raise InputError(
            "--steps applies to --optimizer gd/sgd; the gradient-flow experiment runs "
            "to --t-max (in units of 1/lambda_max(M(0)))"
        )
    names = ("width", "min_count", "activation", "branch_scale", "lr", "exclude_top", "calibration_trials", "window")
    renamed = {"samples": "n_samples", "checkpoints": "n_checkpoints", "shells": "n_shells", "t_max": "t_max_scale"}
    upd.update(_given(args, *names, **renamed))
    if args.lr_bound is not None:
        if args.lr_bound.strip().lower() == "none":
            upd["lr_bound"] = None
        else:
            try:
                upd["lr_bound"] = float(args.lr_bound)
            except ValueError:
                raise InputError(f"--lr-bound must be a number in (0, 2) or 'none', got {args.lr_bound!r}") from None
    return replace(cfg, **upd).validate()


def _run_trajectory(args) -> int:
    from grsd_sym.probe.adapter import load_trajectory_npz
    from grsd_sym.probe.diagnostics import diagnose
    from grsd_sym.probe.experiment import jsonable

    traj = load_trajectory_npz(args.trajectory)
    kw = {"n_shells": args.shells, "min_count": args.min_count or 30}
    if args.exclude_top is not None:
        kw["exclude_top"] = args.exclude_top
    if args.window == "count":
        kw["shells"] = "count"
    d = diagnose(traj, **kw)
    s = jsonable(d["summary"])
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


def run(args: argparse.Namespace) -> int:
    """``grsd probe``: the experiment, a framework run, or the diagnosis of ``--trajectory``.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed by a parser set up with :func:`add_arguments`.

    Returns
    -------
    int
        Exit code: 0, or 1 when a run failed or diverged.

    Raises
    ------
    InputError
        Bad options, or a trajectory file that cannot be read.

    Examples
    --------
    >>> p = argparse.ArgumentParser(); add_arguments(p)
    >>> run(p.parse_args(["--trajectory", "no-such.npz"]))
    Traceback (most recent call last):
    ...
    grsd_sym.errors.InputError: trajectory file 'no-such.npz' does not exist
    """
    from grsd_sym.probe.blas import blas_threads

    with blas_threads(1):  # small matrices: one BLAS thread is much faster on a busy machine
        return _run(args)


def _run(args) -> int:
    if args.plot:
        from grsd_sym.probe.plots import require_matplotlib

        require_matplotlib()  # fail before the long work, not after
    if args.trajectory:
        return _run_trajectory(args)
    from grsd_sym.cli.cmd_probe_sweep import _run_framework, _wants_framework

    if _wants_framework(args):  # torch/jax, cnn/rescnn, digits/npz, sgd: one run_probe per net
        return _run_framework(args)
    from grsd_sym.probe.experiment import format_table, jsonable, run_experiment

    cfg = _config(args)

    def progress(msg):
        print(msg, file=sys.stderr, flush=True)

    doc = run_experiment(cfg, progress=progress, keep_arrays=bool(args.plot), out_path=args.out)
    arrays = doc.pop("_arrays", None)
    if args.plot:
        from grsd_sym.probe.plots import plot_experiment

        files = plot_experiment(doc, arrays, args.plot)
        progress(f"wrote {len(files)} figures to {args.plot}")
    if args.json:
        print(json.dumps(jsonable(doc), indent=2, sort_keys=True))
    else:
        print(format_table(doc))
    if doc.get("status") != "ok":
        failed = doc.get("failed_runs", [])
        progress(
            f"error: {len(failed)} run(s) failed or diverged (status 'failed'); first: "
            f"{failed[0]['error'] if failed else 'unknown'}"
        )
        return 1
    return 0
