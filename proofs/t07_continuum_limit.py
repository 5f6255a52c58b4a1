r"""GRSD-T7: the continuum limit of the shell balance and the change of coordinates.

With the advective closure :math:`F = V\varepsilon` at the shell faces, the finite-volume shell
balance on cells of width ``h`` in :math:`s = \log\lambda` becomes, as :math:`h \to 0`,

.. math::  \partial_t\varepsilon + \partial_s(V\varepsilon) = -d\,e^s\varepsilon + \varsigma + O(h),

with truncation error exactly first order (leading term
:math:`-\tfrac h2[\pm\partial_s(V\partial_s\varepsilon) + d e^s\varepsilon]` on solutions); and
with :math:`g(\lambda,t) = \varepsilon(\log\lambda,t)/\lambda`, :math:`v = \lambda V`,
:math:`S = \varsigma/\lambda`,

.. math::  \partial_t g + \partial_\lambda(v g) = -d\,\lambda g + S .

Provenance [derived] (docs/theory/continuum.md; the lambda form is the paper's, with ``d = 1``).
Derived by Taylor expansion of the cell averages and face values in ``h``
(:func:`grsd_sym.theory.transport.finite_volume_truncation`), and by substitution in both
directions for the change of coordinates.
"""

import sympy as sp

from grsd_sym import theorem
from grsd_sym.certificate import Derivation
from grsd_sym.symbols import S_src, V, d, eps, g, h, lam, s, sigma_src, t, v
from grsd_sym.theory import transport as Tr

#: nothing to import: the theorem is registered by @theorem (grsd_sym.registry)
__all__: list[str] = []


@theorem(
    "GRSD-T7",
    "Continuum limit of the shell balance and change of coordinates",
    provenance="derived",
    sources=[
        "arXiv 2512.10427 (abstract): continuity equation for the spectral energy density",
        "docs/theory/continuum.md (derived)",
    ],
)
def _prove(d_: Derivation) -> None:
    E, Vf, Sg = eps(s, t), V(s, t), sigma_src(s, t)
    d_.assume(
        "eps, V, varsigma smooth in (s, t); cells [s_alpha, s_alpha + h]; E_alpha = integral of eps over "
        "the cell; closure F_{alpha+1/2} = V(s_{alpha+1}) eps_face with eps piecewise constant "
        "(eps_alpha = E_alpha/h); D_alpha = d e^{s_alpha} E_alpha; source = integral of varsigma"
    )
    pde = Tr.log_transport_residual(E, Vf, Sg, d, s, t)
    limits = []
    for face, sign in (("left", -1), ("right", 1)):
        r = Tr.finite_volume_truncation(E, Vf, Sg, d, s, t, h, face=face)
        limits.append(
            d_.claim(
                sp.Subs(r["tau"], h, 0),
                pde,
                f"h^0 term of the shell balance residual tau_h ({face}-cell face values) is the "
                "PDE d_t eps + d_s(V eps) + d e^s eps - varsigma: the continuum limit",
            )
        )
        lead = sp.Rational(1, 2) * sp.diff(pde, s) + sp.Rational(1, 2) * (
            sign * sp.diff(Vf * sp.diff(E, s), s) - d * sp.exp(s) * E
        )
        d_.claim(
            sp.Subs(sp.Derivative(r["tau"], h), h, 0),
            lead,
            f"h^1 term ({face}): (1/2) d_s(PDE) + (1/2)({'+' if sign > 0 else '-'}d_s(V d_s eps) "
            "- d e^s eps); on solutions the truncation error is O(h)",
        )
        # exactly first order: on a solution the h^1 term is not identically zero (e.g. V = 0, eps = e^{-s})
        err = sp.Rational(1, 2) * (sign * sp.Derivative(Vf * sp.Derivative(E, s), s) - d * sp.exp(s) * E)
        d_.claim(
            sp.Subs(err, (Vf, E), (0, sp.exp(-s))),
            -d / 2,
            f"({face}) leading error on solutions at V = 0, eps = e^-s is -d/2 != 0: first order, not better",
        )
    # change of coordinates, both directions
    gl, vl, Sl = Tr.log_to_lambda(E, Vf, Sg, s, lam)
    to_lam = d_.claim(
        Tr.lambda_transport_residual(gl, vl, Sl, d, lam, t),
        sp.Subs(pde, s, sp.log(lam)) / lam,
        "(s, eps, V) -> (lambda, g, v): the lambda-PDE residual is the s-PDE residual / lambda, so "
        "one holds iff the other does",
    )
    G, vv, SS = g(lam, t), v(lam, t), S_src(lam, t)
    el, Vl, sl = Tr.lambda_to_log(G, vv, SS, lam, s)
    to_log = d_.claim(
        Tr.log_transport_residual(el, Vl, sl, d, s, t),
        sp.exp(s) * sp.Subs(Tr.lambda_transport_residual(G, vv, SS, d, lam, t), lam, sp.exp(s)),
        "(lambda, g, v) -> (s, eps, V): the s-PDE residual is e^s times the lambda-PDE residual at lambda = e^s",
    )
    at = (lam, sp.exp(s))
    back = [
        sp.Mul(sp.exp(s), sp.Subs(gl, *at), evaluate=False),
        sp.Mul(sp.Subs(vl, *at), sp.exp(-s), evaluate=False),
        sp.Mul(sp.exp(s), sp.Subs(Sl, *at), evaluate=False),
    ]
    d_.claim(
        sp.Matrix(back),
        sp.Matrix([E, Vf, Sg]),
        "the two maps are inverse to each other: (g, v, S) of (eps, V, varsigma), mapped back at lambda = e^s",
    )
    d_.conclude(sp.And(*(st.statement for st in (*limits, to_lam, to_log))))
