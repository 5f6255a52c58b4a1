"""``grsd solve transport --b B [--sigma S] [--d D] [--c-form const|self-similar] [--c0 C0] [--timeout S] [--json]``.

Solves the GRSD transport PDE (GRSD-T7, source-free)

    d_t g + d_lambda(sigma c(t) lambda^b g) = -d lambda g,   c = c0 or c = c0 t^(b-2)

with our method-of-characteristics solver (``grsd_sym.derive.characteristics``) and checks
the general solution by substitution.  ``--b b`` (or ``--c0 c_0``, ``--d d``) keeps the
parameter symbolic.  The JSON ``solution`` is a string that ``sympy.sympify`` parses (the
spectral variable is written ``Symbol('lambda')`` since ``lambda`` is a Python keyword).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

import sympy as sp

from grsd_sym import symbols as S
from grsd_sym.budget import DEFAULT_BUDGET_SECONDS, check_budget, run_with_budget
from grsd_sym.cli._io import NEGATIVE_NUMBER, json_document
from grsd_sym.conventions import Convention
from grsd_sym.errors import BudgetExceededError, RegionError
from grsd_sym.parsing import parse_number, parse_number_or_symbol

__all__ = ["HELP", "SOLVE_BUDGET_SECONDS", "MAX_INT", "add_arguments", "solve", "run"]

HELP = "solve the GRSD transport PDE by characteristics (general solution, checked by substitution)"


def _param(name: str, text, symbol: sp.Symbol) -> sp.Basic:
    """``--name`` as an exact number, or its symbol (``b``, ``d``, ``c0``/``c_0``) for symbolic."""
    names = {symbol.name: symbol, name: symbol}
    if name == "c0":
        names["c0"] = symbol
    return parse_number_or_symbol(text, name=f"--{name}", symbols=names)


#: wall-clock budget of one solve from the command line (closed forms for large or
#: high-denominator ``b`` can make SymPy's integrator or simplifier run for hours); the solve
#: runs in a child process killed at the deadline (:mod:`grsd_sym.budget`)
SOLVE_BUDGET_SECONDS = DEFAULT_BUDGET_SECONDS

#: exact parameters beyond this size make exact powers (and memory) explode
MAX_INT = 10**4


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Register the flags of ``grsd solve transport`` (``--b``, ``--sigma``, ``--d``, ``--c-form``, ``--c0``, ...) on ``p``.

    Parameters
    ----------
    p : argparse.ArgumentParser
        The parser of the ``solve`` sub-command.

    Examples
    --------
    >>> add_arguments(ap := argparse.ArgumentParser())
    >>> ap.parse_args(["transport", "--b", "-1/2", "--c", "CONST"]).c
    'const'
    """
    p._negative_number_matcher = NEGATIVE_NUMBER  # accept --b -1/2
    p.add_argument("equation", choices=["transport"], help="which PDE (only 'transport')")
    p.add_argument("--b", required=True, help="velocity exponent b (e.g. 3/2), or 'b' for symbolic")
    p.add_argument("--sigma", default="-1", help="sign of the velocity, -1 (default) or +1")
    p.add_argument("--d", default="2", help="dissipation factor d > 0 (default 2), or 'd'")
    p.add_argument(
        "--c-form",
        "--c",
        dest="c",
        default="self-similar",
        type=str.lower,
        choices=["const", "self-similar"],
        help="c(t) = c0 (const) or c0 t^(b-2) (self-similar, default); --c is an alias",
    )
    p.add_argument("--c0", default="c_0", help="velocity amplitude c0 > 0 (default symbolic c_0)")
    p.add_argument(
        "--timeout",
        default=str(int(SOLVE_BUDGET_SECONDS)),
        metavar="SECONDS",
        help=f"stop the solve after SECONDS (default {SOLVE_BUDGET_SECONDS:g}; 0 or 'none': "
        "no limit); the solve runs in a child process that is killed at the deadline",
    )
    p.add_argument("--json", action="store_true", help="print one JSON document")


def solve(
    b: Any, sigma: Any = -1, d: Any = "2", c: str = "self-similar", c0: Any = "c_0", *, budget: float | None = None
) -> dict[str, Any]:
    """Solve the transport PDE (GRSD-T7) by characteristics; the JSON-ready result of :func:`run`.

    Parameters
    ----------
    b, d, c0 : str or number
        Velocity exponent, dissipation factor, velocity amplitude; text ``'b'``, ``'d'``, ``'c_0'``
        keeps one symbolic.
    sigma : int or str
        Sign of the velocity, -1 or +1.
    c : str
        ``'const'`` (``c = c0``) or ``'self-similar'`` (``c = c0 t^(b-2)``).
    budget : float or None
        Seconds before the child process is stopped (``None``: no limit).

    Returns
    -------
    dict
        ``equation``, ``solution`` (``sympify``-able text), ``solution_text``, ``verified``, ... .

    Raises
    ------
    InputError, RegionError
        On an unreadable or out-of-range parameter.
    BudgetExceededError
        When the solve runs past ``budget``.

    Examples
    --------
    >>> out = solve("2", -1, "2", "const", "1")
    >>> out["verified"], out["solution_text"]
    (True, 'F(t - 1/lambda)')
    """
    from grsd_sym.derive.characteristics import solution_string, solve_transport

    sigma = parse_number(sigma, name="--sigma", integer=True)
    if sigma not in (-1, 1):
        raise RegionError(f"--sigma must be -1 or +1, got {sigma}")
    sigma = int(sigma)
    if c not in ("const", "self-similar"):
        raise RegionError(f"--c-form must be 'const' or 'self-similar', got {c!r}")
    bb = _param("b", b, S.b)
    dd = _param("d", d, S.d)
    cc = _param("c0", c0, S.c0)
    for nm, val in (("b", bb), ("d", dd), ("c0", cc)):
        if val.is_Rational and (abs(val.p) > MAX_INT or val.q > MAX_INT):
            raise RegionError(
                f"--{nm} = {val}: supported exact values have numerator and denominator "
                f"of at most {MAX_INT} (use '{nm}' or 'c_0' for a symbolic parameter)"
            )
    if dd.is_number and dd <= 0:
        raise RegionError(f"the dissipation factor must satisfy d > 0, got d = {dd}")
    if cc.is_number and cc <= 0:
        raise RegionError(f"the velocity amplitude must satisfy c0 > 0, got c0 = {cc}")
    t0 = time.perf_counter()
    try:
        sol = run_with_budget(solve_transport, bb, sigma, c, dd, cc, seconds=budget, what="the solve")
    except BudgetExceededError:
        raise BudgetExceededError(
            f"no closed form found within {budget:g} s for these parameters (the solve was stopped); "
            "the general solution for every b is 'grsd solve transport --b b' (symbolic b), closed forms "
            "are quick for b in 0, 1/3, 1/2, 1, 3/2, 2, 3 and most small p/q; --timeout sets the "
            "budget"
        ) from None
    seconds = time.perf_counter() - t0
    conv = Convention(d=dd if dd.is_number else 2, sigma=sigma)
    conv_d = conv.to_dict()
    if not dd.is_number:
        conv_d["d"] = str(dd)
    assumptions = [
        "lambda > 0",
        "t > 0",
        "c0 > 0",
        "d > 0",
        f"sigma = {sigma:+d}",
        "no source (S = 0)",
        "F is an arbitrary differentiable function (fixed by the initial data)",
    ]
    if c == "self-similar" and bb == 1:
        assumptions.append("b = 1, c = c0/t: t >= t0 > 0")
    assumptions += [f"generic branch: {cnd}" for cnd in sol.conditions]
    if sol.rhs.has(sp.Integral):
        assumptions.append(
            "Integral(f(s), (s, u)) denotes an antiderivative of f evaluated at u "
            "(no closed form); its derivatives are exact"
        )
    if sol.rhs.has(sp.log):
        assumptions.append("a log of a negative quantity differs from log|.| by a constant, absorbed into F")
    vel = sp.Integer(sigma) * (cc if c == "const" else cc * S.t ** (bb - 2)) * S.lam**bb
    pde = sp.Eq(
        sp.Derivative(S.g(S.lam, S.t), S.t) + sp.Derivative(vel * S.g(S.lam, S.t), S.lam), -dd * S.lam * S.g(S.lam, S.t)
    )
    return {
        "equation": "transport",
        "pde": solution_string(pde),
        "pde_text": str(pde),
        "function": "g(lambda, t)",
        "arbitrary_function": "F",
        "solution": solution_string(sol.rhs),
        "solution_text": str(sol.rhs),
        "first_integral": solution_string(sol.first_integral),
        "verified": bool(sol.verified),
        "verification": "substituted into the PDE: symbolic zero and a numeric witness "
        "(F replaced by random smooth functions, 50-digit mpmath)",
        "method": list(sol.method),
        "conditions": [str(cnd) for cnd in sol.conditions],
        "parameters": {"b": str(bb), "sigma": sigma, "d": str(dd), "c": c, "c0": str(cc)},
        "convention": conv_d,
        "assumptions": assumptions,
        "seconds": round(seconds, 3),
    }


def run(args: argparse.Namespace) -> int:
    """Run ``grsd solve`` on parsed ``args``; print the solution (text or ``--json``).

    Parameters
    ----------
    args : argparse.Namespace
        Parsed command line.

    Returns
    -------
    int
        Exit code, 0 when the solution passed the substitution check, else 1.

    Raises
    ------
    InputError, RegionError, BudgetExceededError
        As :func:`solve`.

    Examples
    --------
    >>> add_arguments(ap := argparse.ArgumentParser())
    >>> run(ap.parse_args(["transport", "--b", "2", "--c", "const", "--c0", "1"]))  # doctest: +ELLIPSIS
    PDE: ...
    g(lambda, t) = F(t - 1/lambda)
    ...
    0
    """
    print("grsd solve: solving by characteristics and checking by substitution ...", file=sys.stderr)
    out = solve(args.b, args.sigma, args.d, args.c, args.c0, budget=check_budget(args.timeout))
    if args.json:
        warn = [] if out["verified"] else ["the solution did not pass the substitution check"]
        doc = json_document("solve transport", out["verified"], out, warn)
        print(json.dumps(doc, indent=2, sort_keys=True))
        return 0 if out["verified"] else 1
    print(f"PDE:       {out['pde_text']}")
    print(f"g(lambda, t) = {out['solution_text']}")
    label = out["first_integral"].replace("Symbol('lambda')", "lambda")
    print(f"F arbitrary; first integral (characteristic label): {label}")
    print(f"verified:  {out['verified']} ({out['verification']})")
    print(f"method:    {'; '.join(out['method'])}")
    print(f"convention: d = {out['convention']['d']}, sigma = {out['convention']['sigma']:+d}")
    for a in out["assumptions"]:
        print(f"  assume: {a}")
    return 0 if out["verified"] else 1
