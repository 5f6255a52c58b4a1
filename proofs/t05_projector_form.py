r"""GRSD-T5: the projector (gauge-free) form of the shell energy and :math:`P\dot P P = 0`.

With :math:`P_\alpha` the spectral projector of :math:`M(t)` on shell :math:`S_\alpha`,

.. math::  E_\alpha = \tfrac12 e^T P_\alpha e, \qquad P^2 = P \ \Longrightarrow\ P \dot P P = 0,
           \quad (1-P)\dot P(1-P) = 0, \quad \dot P = P\dot P(1-P) + (1-P)\dot P P .

:math:`P\dot P P = 0` *is* the intra-shell cancellation: the part of :math:`\dot E_\alpha` from
the motion of the shell's own subspace, :math:`\tfrac12 (Pe)^T \dot P (Pe)`, vanishes; it holds
with degenerate eigenvalues inside a shell (no Kato coefficient, no gap).

Provenance [derived] (docs/theory/shells.md).  Derived in the algebra of non-commutative symbols
(:mod:`grsd_sym.theory.ncalgebra`): differentiate :math:`P^2 = P` by the Leibniz rule and
reduce; witnessed on random projector paths :math:`P(t) = U(t)\,\mathrm{diag}(1,..,1,0,..,0)\,U(t)^T`
with exact derivatives, including spectral projectors of operators with repeated eigenvalues
inside the shell.
"""

import random

import mpmath
import sympy as sp

from grsd_sym import theorem
from grsd_sym import theory as T
from grsd_sym.certificate import Derivation
from grsd_sym.theory import shells as Sh
from grsd_sym.theory import witnesses as Wt

#: nothing to import: the theorem is registered by @theorem (grsd_sym.registry)
__all__: list[str] = []

P, Pd, E1, e, et, ed, edt, M = sp.symbols("P Pdot I_ e e^T edot edot^T M", commutative=False)


def _projector_witness(residual_of):
    """``residual_of(P, Pdot, extra)`` evaluated on random projector paths (ranks 0..n, n = 2..7),
    and on spectral projectors of M with a repeated eigenvalue inside the shell."""

    def witness(rng: random.Random) -> float:
        worst = float("inf")
        for n in (2, 3, 5, 7):
            for rank in sorted({1, n // 2, n - 1}):
                Pn, Pdn = Wt.projector_path(n, rank, rng)
                with mpmath.workdps(50):
                    r = residual_of(Pn, Pdn, n, rng)
                    worst = min(worst, Wt.agreement_digits(r, Wt.max_abs(Pdn) + 1))
        # degenerate eigenvalues inside the shell: M = U diag(l, l, l, m, r) U^T, shell = first three
        for mult, rank in (((3, 1, 1), 3), ((2, 2, 1), 4), ((1, 4), 1)):
            n = sum(mult)
            sp_path = Wt.spectral_path(n, rng, multiplicities=mult)
            with mpmath.workdps(50):
                D = mpmath.diag([1] * rank + [0] * (n - rank))
                Pn = sp_path.U * D * sp_path.U.T
                Pdn = sp_path.U_dot * D * sp_path.U.T + sp_path.U * D * sp_path.U_dot.T
                # it is the spectral projector of M: P M = M P
                worst = min(worst, Wt.agreement_digits(Pn * sp_path.M - sp_path.M * Pn, Wt.max_abs(sp_path.M)))
                r = residual_of(Pn, Pdn, n, rng)
                worst = min(worst, Wt.agreement_digits(r, Wt.max_abs(Pdn) + 1))
        return worst

    witness.__name__ = "random projector paths (n = 2..7, all ranks) and spectral projectors with repeated eigenvalues"
    return witness


def _with(reduced, why):
    """``reduced + why`` for display (the reduced part omitted when it is 0)."""
    return why if reduced == 0 else sp.Add(reduced, why, evaluate=False)


@theorem(
    "GRSD-T5",
    "Projector form: P P' P = 0 from P^2 = P (gauge free)",
    provenance="derived",
    sources=["docs/theory/shells.md (derived)"],
)
def _prove(d: Derivation) -> None:
    idem_h = sp.Eq(P**2, P)
    d.assume("P(t) is a smooth path of projectors: P^2 = P (P, P' non-commutative symbols)", idem_h)
    R = T.leibniz(P * P - P, {P: Pd})
    deriv_h = sp.Eq(R, 0)
    d.assume("its derivative (Leibniz rule): P P' + P' P - P' = 0", deriv_h)
    digits = _projector_witness(lambda Pn, Pdn, n, rng: Pn * Pdn + Pdn * Pn - Pdn)(random.Random(1234))
    d.evidence(
        "the derivative of P^2 = P, P P' + P' P - P' = 0, holds on random projector paths (n = 2..7, "
        "all ranks) and on spectral projectors with repeated eigenvalues",
        passed=digits >= 25,
        data={"worst_digits": digits if digits != float("inf") else "exact"},
        method="mpmath, 50 digits",
    )
    # the relations as rewriting rules; every reduction below is recorded with its relation terms,
    # so each claim is an identity of the free algebra (exact expansion) whose extra terms vanish
    # under the two hypotheses
    idem = [((P, P), (P,))]
    rules = [*idem, ((P, Pd), Pd - Pd * P)]
    sandwich = sp.Mul(P, R, P, evaluate=False)
    red, why = T.rewrite_traced(sandwich, idem)
    d.claim(
        sandwich,
        _with(red, why),
        "multiply the derivative by P on both sides: P (P P' + P' P - P') P = P P' P + terms in P^2 - P",
    )
    red, why = T.rewrite_traced(P * Pd * P, rules)
    main = d.claim(
        P * Pd * P,
        _with(red, why),
        "hence P P' P = 0: it is a combination of the two hypotheses (P^2 - P and P P' + P' P - P')",
    )
    Q = sp.Add(1, -P, evaluate=False)
    red, why = T.rewrite_traced(sp.expand(Q * Pd * Q), rules)
    d.claim(
        sp.Mul(Q, Pd, Q, evaluate=False),
        _with(red, why),
        "(1 - P) P' (1 - P) = 0 as well (a combination of the hypotheses)",
    )
    split = sp.Add(sp.Mul(P, Pd, Q, evaluate=False), sp.Mul(Q, Pd, P, evaluate=False), evaluate=False)
    red, why = T.rewrite_traced(sp.expand(Pd - split), rules)
    d.claim(
        Pd,
        sp.Add(split, _with(red, why), evaluate=False),
        "P' = P P' (1 - P) + (1 - P) P' P up to the hypotheses: the derivative of a projector only couples "
        "the shell to its complement",
    )

    # energy: E = 1/2 e^T P e; the intra-shell (own-subspace) part of E' vanishes
    d.assume("E_alpha = 1/2 e^T P e, e' = -M e, P M = M P (P a spectral projector of M), M^T = M, P^T = P")
    Edot_raw = T.leibniz(sp.Rational(1, 2) * et * P * e, {et: edt, P: Pd, e: ed})
    d.claim(
        T.substitute_shown(Edot_raw, {ed: -M * e, edt: -et * M}),
        sp.Rational(1, 2) * et * Pd * e - sp.Rational(1, 2) * et * M * P * e - sp.Rational(1, 2) * et * P * M * e,
        "E' = (e^T P e/2)' with e' = -M e (Leibniz rule, then the flow substituted)",
    )
    intra = sp.Rational(1, 2) * et * P * Pd * P * e
    red, why = T.rewrite_traced(intra, rules)
    d.claim(
        intra,
        _with(red, why),
        "intra-shell transfer 1/2 (P e)^T P' (P e) = 1/2 e^T P P' P e = 0 (the T4 cancellation, gauge free)",
    )

    # E = 1/2 e^T P e = 1/2 sum_{k in S} a_k^2, explicitly (n = 3, shell of two modes)
    phi = sp.Symbol("phi", real=True)
    U = T.plane_rotation(3, 0, 1, phi) * T.plane_rotation(3, 1, 2, sp.Symbol("psi", real=True))
    ev = sp.Matrix(sp.symbols("e1:4", real=True))
    Pm = Sh.spectral_projector(U, [0, 2])
    a = T.mode_amplitudes(U, ev)
    d.claim(
        Sh.projector_energy(Pm, ev),
        Sh.shell_energy(a, [0, 2]),
        "E_alpha = 1/2 e^T P_alpha e = 1/2 sum_(k in S_alpha) a_k^2 (n = 3, two rotation angles)",
    )
    # gauge freedom: any orthonormal basis of the shell gives the same projector
    cg = sp.Symbol("c", real=True)
    Rg = T.cayley_rotation(sp.Matrix([[0, -cg], [cg, 0]]))
    V = U[:, [0, 2]] * Rg[0] / Rg[1]
    d.claim(V * V.T, Pm, "gauge free: rotating the basis inside the shell (Cayley rotation) leaves P_alpha unchanged")
    d.conclude(sp.Implies(sp.And(idem_h, deriv_h), main.statement))
