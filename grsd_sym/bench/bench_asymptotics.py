r"""Benchmark: one exponent query of the asymptotic engine, end to end (derivation, certificate, evidence).

Each query of :func:`grsd_sym.derive.asymptotics.loss_asymptotics` is timed in this process (the
imports are paid once, before timing): the lazy loss (GRSD-T13), a transport-limited and a
lazy-limited case (GRSD-T16), the phase boundary with its log, sigma = +1, and b = 1 (GRSD-T17).
The ratio is the slowest query's time over the 2 s target (the baseline), so ``ratio <= 1`` meets
it.  Measured, never asserted.
"""

from __future__ import annotations

import time

import sympy as sp

__all__ = ["NAME", "TARGET", "LIMIT_S", "run"]

NAME = "asymptotics"
TARGET = "ratio <= 1 (slowest exponent query / 2 s, derivation + certificate + quadrature evidence)"
LIMIT_S = 2.0


def _queries():
    from grsd_sym.derive.asymptotics import Velocity
    from grsd_sym.symbols import lam

    R = sp.Rational
    return {
        "lazy (T13)": (lam ** R(1, 2), 2, sp.oo, None),
        "transport-limited (T16)": (lam, 1, 1, Velocity.of(R(5, 2), 3, -1)),
        "lazy-limited (T16)": (lam ** R(-1, 2), 2, 1, Velocity.of(R(3, 2), R(1, 5), -1)),
        "boundary, log t (T16)": (sp.Integer(1), 1, 1, Velocity.of(2, 1, -1)),
        "sigma = +1": (lam**2, 2, 1, Velocity.of(3, 2, 1)),
        "b = 1, c = c0/t (T17)": (lam, 2, sp.oo, Velocity.of(1, R(1, 4), -1)),
    }


def run(quick: bool) -> dict:
    """Time the slowest exponent query of :mod:`grsd_sym.derive.asymptotics` against ``LIMIT_S``.

    Parameters
    ----------
    quick : bool
        Only the lazy and the boundary queries.

    Returns
    -------
    dict
        The registry record; ``details`` has each query's seconds.

    Examples
    --------
    >>> from grsd_sym.bench import discover
    >>> discover()["asymptotics"].run is run
    True
    """
    from grsd_sym.derive.asymptotics import loss_asymptotics

    times, ok = {}, True
    for name, (g0, d, lm, vel) in _queries().items():
        if quick and name not in ("lazy (T13)", "boundary, log t (T16)"):
            continue
        t0 = time.perf_counter()
        r = loss_asymptotics(g0, d=d, lambda_max=lm, velocity=vel)
        times[name] = round(time.perf_counter() - t0, 3)
        ok = ok and r.verified
    worst = max(times.values())
    ratio = worst / LIMIT_S
    return {
        "name": NAME,
        "ratio": ratio,
        "target": TARGET,
        "passed": bool(ratio <= 1 and ok),
        "details": {"seconds_per_query": times, "all_verified": ok, "baseline_s": LIMIT_S},
    }
