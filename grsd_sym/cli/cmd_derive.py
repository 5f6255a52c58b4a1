"""``grsd derive velocity --assume A,B,... [--discrete-shift h] [--degree b] [--check EXPR] [--timeout S] [--json]``.

Derives the forced form of the renormalized velocity ``v(lambda, t)`` under the named structural
assumptions (GRSD-T10, T11), with its free functions/constants, the assumptions used and the
certificate; or, with ``--check EXPR``, checks a claimed form: exit code 0 if verified, 1 if
refused (the residual that does not vanish is printed), 2 for unknown or contradictory
assumptions.  Assumptions: time-rescaling, log-shift, separable, autonomous, homogeneous.
``--check``, ``--discrete-shift`` and ``--degree`` are read by the safe parser
(:mod:`grsd_sym.parsing`; nothing is executed); the derivation runs in a child process stopped
after ``--timeout`` seconds (default 60).
"""

from __future__ import annotations

import argparse
import json
import sys

from grsd_sym.budget import DEFAULT_BUDGET_SECONDS, check_budget, run_with_budget
from grsd_sym.cli._io import NEGATIVE_NUMBER
from grsd_sym.derive.rigidity import ASSUMPTIONS, VelocityCheck, VelocityForm, check_velocity, derive_velocity

__all__ = ["HELP", "TARGETS", "add_arguments", "run"]

HELP = "derive a forced form from symmetry assumptions (velocity: GRSD-T10/T11), or check a claimed one"

#: what can be derived -> runner
TARGETS = ("velocity",)


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Add ``target``, ``--assume``, ``--discrete-shift``, ``--degree``, ``--check``, ``--timeout`` and ``--json``.

    Parameters
    ----------
    p : argparse.ArgumentParser
        Parser of ``grsd derive``.

    Examples
    --------
    >>> add_arguments(p := argparse.ArgumentParser())
    >>> vars(p.parse_args(["velocity", "--degree", "-1/2"]))["degree"]
    '-1/2'
    """
    p._negative_number_matcher = NEGATIVE_NUMBER  # accept --degree -1/2
    p.add_argument("target", choices=TARGETS, help="what to derive (velocity: v(lambda, t))")
    p.add_argument(
        "--assume",
        default="time-rescaling",
        metavar="A,B,...",
        help="comma-separated assumptions: " + ", ".join(ASSUMPTIONS) + " (default: time-rescaling)",
    )
    p.add_argument(
        "--discrete-shift",
        default=None,
        metavar="H",
        help="log shift only for a in H*Z (shell lattice), e.g. 1/2 or h (symbolic)",
    )
    p.add_argument(
        "--degree",
        default=None,
        metavar="B",
        help="homogeneity degree (with 'homogeneous'), e.g. 3/2; symbolic b if omitted",
    )
    p.add_argument(
        "--check",
        default=None,
        metavar="EXPR",
        help="check a claimed form, e.g. 'c0*lambda**b' (symbols lambda/lam, t, b, c0, h; "
        "functions Phi, c, P, Q -- P, Q are h-periodic under --discrete-shift)",
    )
    p.add_argument(
        "--timeout",
        default=str(int(DEFAULT_BUDGET_SECONDS)),
        metavar="SECONDS",
        help=f"stop after SECONDS (default {DEFAULT_BUDGET_SECONDS:g}; 0 or 'none': no limit)",
    )
    p.add_argument("--json", action="store_true", help="one JSON document on stdout")


def run(args: argparse.Namespace) -> int:
    """Run ``grsd derive`` on parsed ``args`` (GRSD-T10, T11); print the result (text or ``--json``).

    Parameters
    ----------
    args : argparse.Namespace
        From a parser set up by :func:`add_arguments`.

    Returns
    -------
    int
        0 if the derivation (or the ``--check``-ed claim) is verified, else 1.

    Raises
    ------
    InputError, AssumptionError
        On unreadable input, unknown or contradictory assumptions.

    Examples
    --------
    >>> add_arguments(p := argparse.ArgumentParser())
    >>> run(p.parse_args(["velocity", "--check", "c0*lambda**b*t**(b-2)"]))  # doctest: +ELLIPSIS
    VERIFIED: v(lambda, t) = c_0*lambda**b*t**(b - 2) under time-rescaling
    ...
    0
    """
    from grsd_sym.derive.rigidity import constraints_for, parse_velocity

    budget = check_budget(args.timeout)
    assume = [a.strip().lower() for a in args.assume.split(",") if a.strip()]
    # everything typed is parsed (and refused) here, before a child process is started
    constraints_for(assume, discrete_shift=args.discrete_shift, degree=args.degree)
    res: VelocityCheck | VelocityForm
    if args.check is not None:
        claim = parse_velocity(args.check)
        if not args.json:
            print("checking the claim ...", file=sys.stderr, flush=True)
        res = run_with_budget(
            check_velocity, claim, assume, args.discrete_shift, degree=args.degree, seconds=budget, what="the check"
        )
    else:
        res = run_with_budget(
            derive_velocity, assume, args.discrete_shift, degree=args.degree, seconds=budget, what="the derivation"
        )
    if args.json:
        from grsd_sym.cli._io import json_document

        what = "the claim" if args.check is not None else "the derivation"
        warn = [] if res.verified else [f"{what} was not verified"]
        doc = json_document(f"derive {args.target}", res.verified, res.to_dict(), warn)
        print(json.dumps(doc, indent=2, sort_keys=True, default=str))
    else:
        print(res.summary())
        print(f"  time: {res.seconds:.2f} s")
    return 0 if res.verified else 1
