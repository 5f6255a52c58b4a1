"""Benchmark registry: every ``grsd_sym/bench/bench_*.py`` module is one benchmark.

A benchmark module defines

* ``NAME`` (str): the benchmark's name;
* ``TARGET`` (str): the target in words, e.g. ``"ratio <= 1.5 (kernel / hand-written numpy)"``;
* ``run(quick: bool) -> dict`` with keys ``name``, ``ratio``, ``target``, ``passed``, ``details``.

Baselines run in the same process as the code they are compared with, and a benchmark *measures*
(it never asserts): a missed target is reported as ``passed: False`` with the measured ratio.
Benchmarks that need optional packages (scipy, the ``bench`` extra) import them lazily and
report ``passed: False`` with the reason when they are missing.

>>> {'asymptotics', 'flow', 'lower', 'probe', 'shells', 'transport'} <= set(discover())
True
"""

from __future__ import annotations

import importlib
import pkgutil
import time
import traceback
from collections.abc import Callable
from types import ModuleType

from grsd_sym.errors import InputError

__all__ = ["discover", "run_all", "run_one", "REQUIRED_KEYS", "best_time"]

REQUIRED_KEYS = ("name", "ratio", "target", "passed", "details")


def discover() -> dict[str, ModuleType]:
    """``{NAME: module}`` of every ``bench_*`` module of this package (sorted by module name).

    Returns
    -------
    dict of str to module
        The benchmark modules by ``NAME``.

    Raises
    ------
    InputError
        A module without ``NAME``, ``TARGET`` or ``run``.

    Examples
    --------
    >>> mods = discover(); mods["lower"].NAME
    'lower'
    """
    found: dict[str, ModuleType] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if not info.name.startswith("bench_"):
            continue
        mod = importlib.import_module(f"{__name__}.{info.name}")
        for attr in ("NAME", "TARGET", "run"):
            if not hasattr(mod, attr):
                raise InputError(f"benchmark module {mod.__name__} does not define {attr}")
        found[mod.NAME] = mod
    return found


def best_time(fn: Callable[[], object], repeats: int) -> float:
    """Minimum wall time of ``repeats`` calls of ``fn`` (the least noisy estimate on a shared machine).

    Parameters
    ----------
    fn : callable
        The timed call, no arguments.
    repeats : int
        Number of calls (at least one).

    Returns
    -------
    float
        Seconds.

    Examples
    --------
    >>> best_time(lambda: sum(range(10)), 3) >= 0.0
    True
    """
    best = float("inf")
    for _ in range(max(1, repeats)):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def run_one(mod: ModuleType, quick: bool) -> dict:
    """Run one benchmark module; an exception becomes a failed record (with the reason).

    Parameters
    ----------
    mod : module
        A benchmark module.
    quick : bool
        Its quick mode.

    Returns
    -------
    dict
        The record with ``REQUIRED_KEYS`` and ``seconds``.

    Examples
    --------
    >>> import types
    >>> bad = types.SimpleNamespace(NAME="bad", TARGET="none", run=lambda quick: 1 / 0)
    >>> rec = run_one(bad, True); rec["passed"], rec["details"]["error"]
    (False, 'ZeroDivisionError: division by zero')
    """
    t0 = time.perf_counter()
    try:
        rec = dict(mod.run(quick))
    except Exception as exc:  # a broken benchmark must not hide the others
        rec = {
            "name": mod.NAME,
            "ratio": None,
            "target": mod.TARGET,
            "passed": False,
            "details": {"error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc(limit=5)},
        }
    missing = [k for k in REQUIRED_KEYS if k not in rec]
    if missing:
        rec.setdefault("details", {})
        rec["passed"] = False
        rec["details"]["error"] = f"benchmark result misses keys {missing}"
        for k in missing:
            rec.setdefault(k, None)
    rec["seconds"] = round(time.perf_counter() - t0, 3)
    return rec


def run_all(
    quick: bool = False, names: list[str] | None = None, progress: Callable[[str], None] | None = None
) -> list[dict]:
    """Run the registered benchmarks (all, or those in ``names``); ``progress(msg)`` is told of each.

    Parameters
    ----------
    quick : bool
        Quick mode of every benchmark.
    names : list of str, optional
        Run only these.
    progress : callable, optional
        Told a line before and after each benchmark.

    Returns
    -------
    list of dict
        One record per benchmark.

    Raises
    ------
    InputError
        An unknown name.

    Examples
    --------
    >>> run_all(names=["nonexistent"])
    Traceback (most recent call last):
    ...
    grsd_sym.errors.InputError: unknown benchmark(s) ['nonexistent']; known: [...]
    """
    mods = discover()
    if names:
        unknown = [n for n in names if n not in mods]
        if unknown:
            raise InputError(f"unknown benchmark(s) {unknown}; known: {sorted(mods)}")
        mods = {n: mods[n] for n in names}
    out = []
    for i, (name, mod) in enumerate(mods.items(), 1):
        if progress is not None:
            progress(f"[{i}/{len(mods)}] {name}: {mod.TARGET} ...")
        rec = run_one(mod, quick)
        if progress is not None:
            r = rec.get("ratio")
            rs = f"{r:.3g}" if isinstance(r, (int, float)) else str(r)
            progress(
                f"[{i}/{len(mods)}] {name}: ratio {rs} ({'passed' if rec['passed'] else 'MISSED'}) "
                f"in {rec['seconds']:.1f} s"
            )
        out.append(rec)
    return out
