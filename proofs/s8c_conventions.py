r"""GRSD-S8c: the literature convention translator is consistent.

Statement.  For each literature convention (``bordelon2024``, ``source-capacity``,
``paquette2024``, ``lin2024``; :mod:`grsd_sym.literature`) with eigenvalues :math:`\lambda_k`
and mode energies :math:`E_k`, the sum-to-integral limit :math:`E_k\,dk = g_0(\lambda)\,d\lambda`
gives :math:`g_0 = A\lambda^{\kappa-1}` with

.. math::  \text{A: } \kappa = \tfrac{a-1}{b},\ A = \tfrac1b;\quad
           \text{source-capacity: } \kappa = 2r,\ A = \tfrac1\alpha;\quad
           \text{Paquette: } \kappa = \tfrac{2\alpha+2\beta-1}{2\alpha},\ A = \tfrac1{2\alpha};\quad
           \text{Lin: } \kappa = \tfrac{a-1}{a},\ A = \tfrac1a,

all with :math:`d = 2`; the map inverts (Lin on the line :math:`A = 1-\kappa`), and the time,
size and compute-optimal exponents of one problem agree in every convention.

Derivation: :func:`grsd_sym.literature.continuum_map` computes each map (SymPy ``solve`` for
:math:`k(\lambda)`, differentiation); here each is checked against its definition (the
Jacobian identity :math:`g_0(\lambda_k)\,|d\lambda_k/dk| = E_k`, and :math:`g_0 = A\lambda^{\kappa-1}`),
each SymPy inverse is substituted back, and Convention A parameters are carried through every
other convention symbolically (composition of the computed maps) and the exponents compared.
The table above is what the code computed; it is checked, not typed into the code.
[derived] from the definitions in docs/conventions.md.
"""

import sympy as sp

from grsd_sym import theorem
from grsd_sym.certificate import Derivation
from grsd_sym.literature import _A, CONVENTIONS, _kappa, _symbolic_inverse, _symbolic_map, k, lam

#: nothing to import: the theorem is registered by @theorem (grsd_sym.registry)
__all__: list[str] = []


def _exponents(kappa, modes_b):
    """(time, size, compute-optimal) exponents of the lazy problem (GRSD-T13, S8a, S8b)."""
    x, y = kappa, modes_b * kappa
    return x, y, x * y / (x + y)


def _exponents_shown(kappa, modes_b):
    """The same exponents, built unevaluated from (unevaluated) kappa and b so a reader sees the route."""
    x, y = kappa, sp.Mul(modes_b, kappa, evaluate=False)
    return x, y, sp.Mul(x, y, sp.Pow(sp.Add(x, y, evaluate=False), -1, evaluate=False), evaluate=False)


def _at(expr, sub):
    """``expr`` at the substitution ``sub`` (a dict), kept unevaluated for display."""
    keys = [key for key in sub if expr.has(key) and sub[key] != key]
    if not keys or expr in keys:
        return expr.subs(sub) if keys else expr
    return sp.Subs(expr, tuple(keys), tuple(sub[key] for key in keys))


@theorem(
    "GRSD-S8c",
    "Convention translator: literature power laws <-> GRSD (kappa, A, d), consistent exponents",
    provenance="derived",
    sources=[
        "arXiv 2402.01092 (Bordelon et al. 2024, Convention A)",
        "Caponnetto and De Vito 2007; Cui et al. 2021 (source/capacity)",
        "arXiv 2405.15074 (Paquette et al. 2024)",
        "arXiv 2406.08466 (Lin et al. 2024)",
    ],
)
def _prove(dv: Derivation) -> None:
    dv.assume(
        "every literature convention: gradient flow on the squared loss, mode energy decays as "
        "exp(-2 lambda_k t), so d = 2; power laws with unit prefactors"
    )
    dv.assume("sum-to-integral limit over the slowly varying tail k -> oo (lambda -> 0)")
    maps = {}
    key_claims = []
    for name, conv in CONVENTIONS.items():
        m = _symbolic_map(name)
        maps[name] = m
        lam_k = conv.eigenvalue
        dv.define(sp.Symbol(f"g0[{name}]"), m.g0, f"{name}: computed g0(lambda) = E_k(lambda) |dk/dlambda|")
        dv.claim(sp.Subs(m.k_of_lambda, lam, lam_k), k, f"{name}: k(lambda) from solve inverts lambda_k")
        dv.claim(
            sp.Mul(sp.Subs(m.g0, lam, lam_k), -sp.Derivative(lam_k, k), evaluate=False),
            conv.energy,
            f"{name}: Jacobian identity g0(lambda_k) |d lambda_k/dk| = E_k ({conv.definition})",
        )
        key_claims.append(
            dv.claim(
                m.g0, m.A * lam ** (m.kappa - 1), f"{name}: g0 = A lambda^(kappa-1) with kappa = {m.kappa}, A = {m.A}"
            )
        )
        dv.claim(
            -k * sp.Derivative(lam_k, k) / lam_k,
            m.modes_b,
            f"{name}: mode-counting exponent b = -k d log(lambda_k)/dk = {m.modes_b}",
        )
        sols, used = _symbolic_inverse(name)
        dv.assume(
            f"{name}: inverse from SymPy solve on {['kappa(p) = kappa', 'A(p) = A'][used[0]]}"
            + (" and the other datum" if len(used) > 1 else "; the other datum is a consistency condition")
        )
        inv = sols[0]
        dv.claim(
            _at([m.kappa, m.A][used[0]], inv),
            [_kappa, _A][used[0]],
            f"{name}: the inverse reproduces {['kappa', 'A'][used[0]]} (solve result substituted back)",
        )
        if len(used) > 1:
            dv.claim(
                _at([m.kappa, m.A][used[1]], inv),
                [_kappa, _A][used[1]],
                f"{name}: the inverse reproduces {['kappa', 'A'][used[1]]}",
            )
        else:
            dv.claim(_at(m.A, inv), 1 - _kappa, f"{name}: one parameter; representable iff A = 1 - kappa")

    # one physics, every convention: Convention A (a, b) carried through the computed maps
    a_, b_ = CONVENTIONS["bordelon2024"].params
    mA = maps["bordelon2024"]
    ref = _exponents(mA.kappa, mA.modes_b)
    kinds = ("time", "size", "compute-optimal")
    for name in ("source-capacity", "paquette2024"):
        sols, _ = _symbolic_inverse(name)
        params = {p: v.subs({_kappa: mA.kappa, _A: mA.A}) for p, v in sols[0].items()}
        m = maps[name]
        dv.define(
            sp.Symbol(f"params[{name}](a, b)"),
            sp.Tuple(*params.values()),
            f"Convention A restated in {name} by the computed inverse",
        )
        got = _exponents_shown(_at(m.kappa, params), _at(m.modes_b, params))
        for kind, r, g in zip(kinds, ref, got, strict=True):
            dv.claim(g, r, f"{kind} exponent: {name} agrees with Convention A")
    # Lin et al.: isotropic prior, the slice b = a of Convention A
    (a_lin,) = CONVENTIONS["lin2024"].params
    mL = maps["lin2024"]
    got = _exponents_shown(mL.kappa, mL.modes_b)
    for kind, r, g in zip(kinds, ref, got, strict=True):
        dv.claim(g, _at(r, {a_: a_lin, b_: a_lin}), f"{kind} exponent: lin2024 is Convention A at b = a")
    shown = _exponents_shown(
        1 + lam * sp.Derivative(sp.log(mA.g0), lam),
        -k * sp.Derivative(CONVENTIONS["bordelon2024"].eigenvalue, k) / CONVENTIONS["bordelon2024"].eigenvalue,
    )
    ca = [
        dv.claim(shown[0], (a_ - 1) / b_, "Convention A time exponent kappa = 1 + lambda d log g0/d lambda = (a-1)/b"),
        dv.claim(shown[1], a_ - 1, "Convention A size exponent b kappa = a-1"),
        dv.claim(shown[2], (a_ - 1) / (1 + b_), "Convention A compute exponent x y/(x + y) = (a-1)/(1+b)"),
    ]
    dv.conclude(sp.And(*(st.statement for st in key_claims + ca)))
