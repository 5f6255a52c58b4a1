"""Theory objects of GRSD-T7/T8: the transport PDE, coordinates, finite-volume truncation, lazy limit."""

import mpmath
import pytest
import sympy as sp

from grsd_sym.errors import InputError, ShellGridError
from grsd_sym.symbols import V, d, eps, h, lam, s, sigma_src, t
from grsd_sym.theory import transport as Tr


def test_coordinate_maps_roundtrip_and_solution_correspondence():
    E = sp.exp(-s) * (1 + s**2) * sp.exp(-t)
    Vf, Sg = s * t, sp.exp(s) * t
    g, v, S = Tr.log_to_lambda(E, Vf, Sg, s, lam)
    back = Tr.lambda_to_log(g, v, S, lam, s)
    assert all(sp.simplify(b - o) == 0 for b, o in zip(back, (E, Vf, Sg), strict=True))
    r_lam = Tr.lambda_transport_residual(g, v, S, d, lam, t)
    r_s = Tr.log_transport_residual(E, Vf, Sg, d, s, t)
    val = (r_lam - r_s.subs(s, sp.log(lam)) / lam).subs({lam: sp.Rational(7, 5), t: sp.Rational(1, 3), d: 2})
    assert abs(sp.N(val, 40)) < 1e-35


def test_truncation_error_is_first_order_on_exact_cell_averages():
    """Independent route: exact cell integrals of a concrete solution vs the Taylor coefficients."""
    E = sp.exp(-s) * (2 + sp.sin(s)) * sp.exp(-t)
    Vf = 1 + s / 3
    dd = sp.Integer(2)
    Sg = Tr.log_transport_residual(E, Vf, 0, dd, s, t)  # choose the source so that E solves the PDE
    r = Tr.finite_volume_truncation(E, Vf, Sg, dd, s, t, h, face="left")
    assert sp.simplify(r["tau0"]) == 0  # E solves the PDE, so the h^0 term vanishes
    tau1 = float(sp.N(r["tau1"].subs({s: sp.Rational(3, 10), t: sp.Rational(1, 2)}), 30))
    fE = sp.lambdify((s, t), E, modules="mpmath")
    fEt = sp.lambdify((s, t), sp.diff(E, t), modules="mpmath")
    fS = sp.lambdify((s, t), Sg, modules="mpmath")
    fV = sp.lambdify(s, Vf, modules="mpmath")
    sv, tv = mpmath.mpf(3) / 10, mpmath.mpf(1) / 2

    def exact_tau(hv):  # exact cell integrals by quadrature (mpmath, 30 digits)
        with mpmath.workdps(30):
            hv = mpmath.mpf(hv)

            def avg(f, lo):
                return mpmath.quad(lambda x: f(x, tv), [sv + lo, sv + lo + hv]) / hv

            Edot = hv * avg(fEt, 0)
            Fp = fV(sv + hv) * avg(fE, 0)
            Fm = fV(sv) * avg(fE, -hv)
            D = 2 * mpmath.exp(sv) * hv * avg(fE, 0)
            Sig = hv * avg(fS, 0)
            return float((Edot - Fm + Fp + D - Sig) / hv)

    ratios = [exact_tau(hv) / hv for hv in (0.01, 0.005)]
    assert tau1 != 0
    for rr in ratios:
        assert abs(rr - tau1) < 0.05 * abs(tau1) + 1e-6
    # O(h^2) remainder: halving h halves the distance to tau1
    e1, e2 = abs(ratios[0] - tau1), abs(ratios[1] - tau1)
    assert e2 < 0.7 * e1 or e1 < 1e-9


def test_transport_bad_input():
    with pytest.raises(ShellGridError):
        Tr.finite_volume_truncation(eps(s, t), V(s, t), sigma_src(s, t), d, s, t, sp.Symbol("hh"))
    with pytest.raises(InputError):
        Tr.finite_volume_truncation(eps(s, t), V(s, t), sigma_src(s, t), d, s, t, h, face="middle")
    with pytest.raises(InputError):
        Tr.taylor(s, s, h, -1)
    with pytest.raises(InputError):
        Tr.log_to_lambda(s, s, s, s, sp.Symbol("x"))


def test_lazy_solution_decays_and_matches_numeric_ode():
    g0 = sp.Rational(3, 2) * lam ** sp.Rational(1, 2)
    g = Tr.lazy_solution(g0, d, lam, t)
    f = sp.lambdify((lam, t, d), g, modules="mpmath")
    # independent: integrate dg/dt = -d lam g numerically with mpmath
    lv, dv = mpmath.mpf("0.7"), mpmath.mpf(2)
    sol = mpmath.odefun(lambda tt, y: -dv * lv * y, 0, mpmath.mpf(3) / 2 * mpmath.sqrt(lv))
    assert abs(sol(1) - f(lv, 1, dv)) < 1e-12
