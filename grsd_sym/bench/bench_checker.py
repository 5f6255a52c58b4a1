"""Benchmark: the certificate checker vs SymPy's ``simplify(lhs - rhs) == 0`` on the corpus.

Over the true identities of :mod:`grsd_sym.bench.checker_corpus` the ratio is (time of
``check_zero`` on every claim: the sound zero test and the refuting ball-arithmetic witness) /
(time of ``simplify(lhs - rhs)`` on the same claims), both in this process with SymPy's cache
cleared before each.  The details also report, over the whole corpus, how many false claims and
how many true identities each of ours, ``simplify(lhs - rhs) == 0`` and ``lhs.equals(rhs)``
accepts (``lhs.equals`` is SymPy's numeric-random-point test).
"""

from __future__ import annotations

import time

import sympy as sp
from sympy.core.cache import clear_cache

from grsd_sym.bench.checker_corpus import FALSE, TRUE
from grsd_sym.certificate import check_zero
from grsd_sym.certify import zero_test

__all__ = ["NAME", "TARGET", "LIMIT", "run"]

NAME = "checker"
TARGET = "ratio <= 2 (checker time / SymPy simplify(lhs - rhs) time, true corpus)"
LIMIT = 2.0


def _ours(item) -> bool:
    chk = check_zero(item.lhs - item.rhs, sides=(item.lhs, item.rhs))
    return chk.verdict == "verified"


def _simplify(item) -> bool:
    try:
        return bool(sp.simplify(item.lhs - item.rhs) == 0)
    except Exception:  # a method that raises accepts nothing
        return False


def _equals(item) -> bool:
    try:
        return (
            item.lhs.equals(item.rhs) is True
            if isinstance(item.lhs, sp.Basic)
            else sp.sympify(item.lhs, strict=True).equals(item.rhs) is True
        )
    except Exception:
        return False


def _timed(method, items) -> tuple[float, int]:
    clear_cache()
    zero_test._DOIT_CACHE.clear()
    t0 = time.perf_counter()
    accepted = sum(1 for it in items if method(it))
    return time.perf_counter() - t0, accepted


def run(quick: bool) -> dict:
    """Time the identity checker against ``sympy.simplify`` on the true corpus, and score the false one.

    Parameters
    ----------
    quick : bool
        Every second corpus item.

    Returns
    -------
    dict
        Record with the time ratio and the verdict counts.

    Examples
    --------
    >>> from grsd_sym.bench import discover
    >>> discover()["checker"].run is run
    True
    """
    true_items = TRUE[::2] if quick else TRUE
    false_items = FALSE[::2] if quick else FALSE
    t_simp, simp_true = _timed(_simplify, true_items)
    t_ours, ours_true = _timed(_ours, true_items)
    _, ours_false = _timed(_ours, false_items)
    _, simp_false = _timed(_simplify, false_items)
    t_eq, eq_true = _timed(_equals, true_items)
    _, eq_false = _timed(_equals, false_items)
    ratio = t_ours / t_simp
    return {
        "name": NAME,
        "ratio": round(ratio, 3),
        "target": TARGET,
        "passed": ratio <= LIMIT,
        "details": {
            "true_identities": len(true_items),
            "false_claims": len(false_items),
            "checker_s": round(t_ours, 3),
            "simplify_s": round(t_simp, 3),
            "equals_s": round(t_eq, 3),
            "accepted_true": {"checker": ours_true, "simplify": simp_true, "equals": eq_true},
            "accepted_false": {"checker": ours_false, "simplify": simp_false, "equals": eq_false},
        },
    }
