"""One source per closed form: every numeric kernel is lowered from its symbolic home, and agrees with it.

* each kernel's source expression *is* the derived closed form (GRSD-T7, T13, T14);
* a Hypothesis test over the project's parameter strategies compares every lowered kernel
  (float64 and mpmath) with SymPy's ``evalf`` of its unrewritten source;
* a scan of the numeric package (and the benchmarks' non-baseline code) finds no hand-typed
  special function or characteristic power of the registry's results.
"""

from __future__ import annotations

import ast
import pathlib

import mpmath
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from grsd_sym import symbols as S
from grsd_sym.derive import frontier
from grsd_sym.lower import Kernel
from grsd_sym.params import TransportParams
from grsd_sym.strategies import exact_rationals, lazy_parameters, transport_parameters
from grsd_sym.theory.transport import transport_velocity

ROOT = pathlib.Path(__file__).resolve().parents[1] / "grsd_sym"


def _evalf(expr: sp.Expr, subs: dict, digits: int = 40) -> mpmath.mpf:
    val = sp.N(expr.subs(subs), digits)
    assert val.is_real, (expr, subs, val)
    return mpmath.mpf(val._mpf_)


def _agree(kernel: Kernel, vals: list, rtol: float = 1e-12) -> None:
    """float64 and mpmath evaluation of the kernel against evalf of its unrewritten source."""
    with mpmath.workdps(40):
        ref = _evalf(kernel.expr, dict(zip(kernel.args, vals, strict=True)))
        got = kernel.mpmath(*vals, dps=40)
        assert abs(got - ref) <= mpmath.mpf(10) ** -30 * abs(ref)
    got_np = float(kernel.numpy(*[float(v) for v in vals]))
    assert abs(got_np - float(ref)) <= rtol * abs(float(ref))


def test_kernels_are_lowered_from_their_homes():
    lam_max = S.lam_max
    assert sp.powsimp(frontier.lazy_loss_kernel().expr) == frontier.lazy_loss(S.kappa, S.A, S.d, S.t, lam_max)
    assert sp.powsimp(frontier.lazy_loss_kernel(bounded=False).expr) == frontier.lazy_loss(S.kappa, S.A, S.d, S.t)
    for sg in (-1, 1):
        assert frontier.velocity_kernel(sg).expr == transport_velocity(S.b, sg, "self-similar", S.c0)
        assert frontier.unit_b_characteristic_kernel(sg).expr == frontier.characteristic(1, sg, "self-similar")
        # the characteristic by the action C = int c: at C = c0 t^(b-1)/(b-1) it is the derived one
        k = frontier.characteristic_kernel(sg)
        p = S.b - 1
        at = k.expr.subs(frontier.ACTION, S.c0 * S.t**p / p)
        derived = frontier.characteristic(S.b, sg, "self-similar")
        pt = {S.b: sp.Rational(7, 3), S.c0: sp.Rational(2, 5), S.lam0: sp.Rational(3, 4), S.t: sp.Rational(1, 3)}
        assert abs(sp.N((at - derived).subs(pt), 50)) < 1e-45
        # the log form of the solver's departure points is the log of the same kernel
        lk = frontier.characteristic_kernel(sg, log=True)
        ptc = {S.b: sp.Rational(7, 3), frontier.ACTION: sp.Rational(1, 50), S.s: sp.Rational(-1, 2)}
        lam = k.expr.subs({frontier.ACTION: ptc[frontier.ACTION], S.b: ptc[S.b], S.lam0: sp.exp(ptc[S.s])})
        assert abs(sp.N(lk.expr.subs(ptc) - sp.log(lam), 50)) < 1e-45


@settings(max_examples=20, deadline=None)
@given(
    transport_parameters(),
    exact_rationals(sp.Rational(1, 64), 4, max_denominator=16),
    exact_rationals(sp.Rational(1, 100), sp.Rational(99, 100), max_denominator=100),
)
def test_characteristic_and_velocity_kernels_vs_evalf(p, lam0, frac):
    P = p.as_params()
    assert isinstance(P, TransportParams) and P.b == p.b
    pp = P.b - 1
    # an action short of the blow-up (sigma = +1): C = frac / ((b-1) lambda0^(b-1))
    C = frac / (pp * lam0**pp)
    _agree(frontier.characteristic_kernel(P.sigma), [P.b, C, lam0])
    _agree(frontier.characteristic_kernel(P.sigma, log=True), [P.b, C, sp.log(lam0)], rtol=1e-11)
    _agree(frontier.velocity_kernel(P.sigma), [P.b, P.c0, frac * 10, lam0])
    _agree(frontier.unit_b_characteristic_kernel(P.sigma), [P.c0, lam0, 1 + frac, sp.Rational(1, 2)])


@settings(max_examples=20, deadline=None)
@given(
    lazy_parameters(kappa_max=6),
    exact_rationals(sp.Rational(1, 100), 1000, max_denominator=7),
    st.sampled_from([sp.Rational(1, 2), 1, 3]),
)
def test_lazy_loss_kernels_vs_evalf(p, t, lam_max):
    _agree(frontier.lazy_loss_kernel(), [p.kappa, p.A, p.d, lam_max, t], rtol=1e-11)
    _agree(frontier.lazy_loss_kernel(bounded=False), [p.kappa, p.A, p.d, t])


# --------------------------------------------------------------------------------------
# the scan: no hand-typed closed form of the registry's results in the numeric code
# --------------------------------------------------------------------------------------

#: special functions of the registry's closed forms (lazy loss, exact loss, actions)
SPECIAL = {
    "gamma",
    "lgamma",
    "loggamma",
    "gammaln",
    "gammainc",
    "gammaincc",
    "hyp2f1",
    "beta",
    "betainc",
    "digamma",
    "zeta",
    "erf",
    "erfc",
    "lowergamma",
    "uppergamma",
}


def _names(node: ast.AST) -> set[str]:
    return {
        n.id if isinstance(n, ast.Name) else n.attr for n in ast.walk(node) if isinstance(n, (ast.Name, ast.Attribute))
    }


def _offences(path: pathlib.Path) -> list[str]:
    tree = ast.parse(path.read_text())
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
            if name in SPECIAL:
                out.append(f"{path.name}:{node.lineno}: special function {name}()")
        # the characteristic's power (...)^(+-1/(b-1)) or (...)^(1/(1-b)), typed by hand
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
            ex = node.right
            if isinstance(ex, ast.UnaryOp):
                ex = ex.operand
            if (
                isinstance(ex, ast.BinOp)
                and isinstance(ex.op, ast.Div)
                and isinstance(ex.left, (ast.Constant, ast.UnaryOp))
                and _names(ex.right) & {"b", "p"}
            ):
                out.append(f"{path.name}:{node.lineno}: hand-typed power ** (1/({ast.unparse(ex.right)}))")
    return out


def _scanned() -> list[pathlib.Path]:
    files = sorted((ROOT / "numeric").glob("*.py"))
    # benchmarks: the hand-written numpy baselines of bench_lower are the point of that benchmark,
    # and checker_corpus is a corpus of identities (data for the checker), not numeric code
    files += [f for f in sorted((ROOT / "bench").glob("*.py")) if f.name not in ("bench_lower.py", "checker_corpus.py")]
    return files


def test_scan_catches_a_hand_typed_characteristic(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        "def lam(l0, c0, t, b):\n    return (l0 ** (1 - b) + c0 * t) ** (1.0 / (1 - b))\n"
        "def lazy(k, d, t):\n    import math\n    return math.gamma(k) * (d * t) ** -k\n"
    )
    found = _offences(bad)
    assert len(found) == 2, found


@pytest.mark.parametrize("path", _scanned(), ids=lambda p: p.name)
def test_numeric_code_has_no_hand_typed_closed_form(path):
    assert _offences(path) == []
