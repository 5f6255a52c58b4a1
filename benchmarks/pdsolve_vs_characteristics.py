"""Report: SymPy's ``pdsolve`` vs our characteristics solver on the GRSD transport PDE.

    d_t g + d_lambda(sigma c(t) lambda^b g) = -d lambda g,   c = c0 or c0 t^(b-2),  sigma = -1

For each case prints whether each solver's answer passes SymPy's own ``checkpdesol`` and the
time of each (solve; check).  Run: ``python benchmarks/pdsolve_vs_characteristics.py``
(``--quick`` for a subset, ``--timeout S`` per solver call).  Ours also self-checks
(symbolic zero + numeric witness) before returning; ``checkpdesol`` is an independent check.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import sys
import time

import sympy as sp


def _job(kind, b, c, q):
    from grsd_sym import symbols as S
    from grsd_sym.derive.characteristics import solve_transport, transport_pde

    pde = transport_pde(b, -1, c, S.d, S.c0)
    u = S.g(S.lam, S.t)
    t0 = time.perf_counter()
    try:
        if kind == "ours":
            sol = solve_transport(b, -1, c).solution
        else:
            sol = sp.pdsolve(pde, u)
    except Exception as exc:  # report, do not crash the table
        q.put(("error", f"{type(exc).__name__}", time.perf_counter() - t0, 0.0))
        return
    t1 = time.perf_counter()
    try:
        ok, _ = sp.checkpdesol(pde, sol, u)
    except Exception as exc:
        ok = f"check error {type(exc).__name__}"
    q.put((ok, "", t1 - t0, time.perf_counter() - t1))


def run_case(kind, b, c, timeout):
    q = mp.Queue()
    p = mp.Process(target=_job, args=(kind, b, c, q))
    p.start()
    p.join(timeout)
    if p.is_alive():
        p.terminate()
        p.join()
        return "timeout", "", timeout, 0.0
    return q.get() if not q.empty() else ("crash", "", 0.0, 0.0)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="only symbolic b and b = 1/2")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds per solver call")
    args = ap.parse_args(argv)
    from grsd_sym import symbols as S

    bs = [
        S.b,
        sp.Integer(0),
        sp.Rational(1, 3),
        sp.Rational(1, 2),
        sp.Integer(1),
        sp.Rational(3, 2),
        sp.Integer(2),
        sp.Integer(3),
    ]
    if args.quick:
        bs = [S.b, sp.Rational(1, 2)]
    print(
        f"{'c(t)':<13}{'b':<6}{'pdsolve: checkpdesol':<24}{'time solve+check':<20}"
        f"{'ours: checkpdesol':<22}{'time solve+check':<18}"
    )
    for c in ("const", "self-similar"):
        for b in bs:
            row = [f"{c:<13}", f"{b!s:<6}"]
            for kind in ("pdsolve", "ours"):
                print(f"  ... {kind} c={c} b={b}", file=sys.stderr, flush=True)
                ok, err, ts, tc = run_case(kind, b, c, args.timeout)
                verdict = "PASS" if ok is True else "FAIL" if ok is False else f"{ok} {err}".strip()
                row.append(f"{verdict:<24}" if kind == "pdsolve" else f"{verdict:<22}")
                row.append(f"{ts:7.2f}+{tc:6.2f} s    ")
            print("".join(row), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
