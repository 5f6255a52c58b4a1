r"""An asymptotic engine for the loss along characteristics: :math:`L(t) \sim P t^{-\alpha}(\log t)^m`.

For the source-free transport PDE with velocity :math:`v` (lazy, self-similar
:math:`\sigma c_0 t^{b-2}\lambda^b`, :math:`b = 1` with :math:`c = c_0/t`, or constant :math:`c`),
dissipation :math:`d\lambda` and initial spectrum :math:`g_0` on :math:`(0, \lambda_{\max}]`,

.. math::  L(t) = \int_0^{\lambda_{\max}} g_0(\lambda_0)\,e^{-d S(\lambda_0, t)}\,d\lambda_0 .

:func:`loss_asymptotics` *derives* :math:`(\alpha, m, P)` from

1. the head of :math:`g_0` (:mod:`.head`: :math:`\kappa`, :math:`m_0`, :math:`A` by checked limits);
2. the action :math:`S` and its phase (:mod:`.phases`: characteristic, :math:`\Psi`, its large-X
   expansion :math:`\xi^*\log X + C`, blow-up point, effective time, stall);
3. the comparison of the two ends of the Mellin-type integral (:mod:`.mellin`), recorded as a
   checked step, and the dominant constant (closed form or quadrature);

and returns a certificate (every symbolic step checked by :mod:`grsd_sym.certificate`) with a
numeric evidence section (:mod:`.evidence`: exact :math:`L(t)` by quadrature, local slope, ratio).

>>> import sympy as sp
>>> from grsd_sym.symbols import lam
>>> r = loss_asymptotics(lam**2, d=2, evidence=False)      # lazy, kappa = 3: A Gamma(3) 2^-3
>>> (r.exponent, r.log_power, r.prefactor, r.phase)
(3, 0, 1/4, 'lazy')
"""

from __future__ import annotations

import dataclasses
import functools
import time
from typing import Any

import mpmath
import sympy as sp

from grsd_sym import symbols as S
from grsd_sym.certificate import Certificate, Derivation
from grsd_sym.derive.asymptotics import evidence as _ev
from grsd_sym.derive.asymptotics import mellin
from grsd_sym.derive.asymptotics.evidence import record_evidence
from grsd_sym.derive.asymptotics.head import (
    LeadingTerm,
    growth_at_infinity,
    leading_term,
)
from grsd_sym.derive.asymptotics.phases import ActionProfile, Velocity, action_profile
from grsd_sym.errors import InputError, RegionError

__all__ = ["LossAsymptotics", "Velocity", "loss_asymptotics", "record_evidence"]

_w = sp.Symbol("w", positive=True)

#: phase names, by dominant end and action kind
PHASES = {
    "lazy": "lazy",
    "head": "lazy-limited",
    "tail": "transport-limited",
    "tie": "phase boundary",
    "blow-up": "learned in finite time",
    "effective-time": "effective time",
    "stalled": "stalled",
}


@dataclasses.dataclass
class LossAsymptotics:
    r"""The derived law :math:`L(t) \sim P t^{-\alpha}(\log t)^m` and how it was derived (GRSD-T13, T16, T17).

    Attributes
    ----------
    exponent, log_power : sympy.Expr
        :math:`\alpha` and :math:`m`.
    prefactor : sympy.Expr or None
        Exact :math:`P`; ``None`` if there is no closed form (then see ``prefactor_float``).
    prefactor_float, prefactor_error : float or None
        :math:`P` as a float (quadrature where there is no closed form) and its error.
    prefactor_method, phase : str
        How :math:`P` was obtained; the phase (:data:`PHASES`).
    end : str or None
        Dominant end of the integral: ``"head"``, ``"tail"`` or ``"tie"``.
    correction : sympy.Expr
        :math:`\omega` of the leading relative correction :math:`t^{-\omega}` (``0``: :math:`1/\log t`; ``oo``: none).
    head : LeadingTerm
        Small-:math:`\lambda` behaviour of :math:`g_0`.
    action : ActionProfile
        The dissipated action and its kind.
    certificate : Certificate
        The checked derivation.
    evidence : Evidence or None
        Quadrature evidence (numeric inputs).
    seconds : float
        Wall time of the derivation.

    Examples
    --------
    >>> from grsd_sym.symbols import lam
    >>> r = loss_asymptotics(lam ** sp.Rational(-1, 2), d=2, evidence=False)
    >>> r.law(), r.prefactor, r.verified
    ('L(t) ~ P t^-(1/2)', sqrt(2)*sqrt(pi)/2, True)
    """

    exponent: sp.Expr
    log_power: sp.Expr
    prefactor: sp.Expr | None
    prefactor_float: float | None
    prefactor_error: float | None
    prefactor_method: str
    phase: str
    end: str | None
    correction: Any
    head: LeadingTerm
    action: ActionProfile
    certificate: Certificate
    evidence: _ev.Evidence | None = None
    seconds: float = 0.0

    @property
    def verified(self) -> bool:
        """Whether the certificate is verified."""
        return self.certificate.verified

    def law(self) -> str:
        """The law as text, e.g. ``'L(t) ~ P t^-(1/2)'``."""
        m = "" if self.log_power == 0 else f" (log t)^({self.log_power})"
        return f"L(t) ~ P t^-({self.exponent}){m}"

    def to_dict(self) -> dict:
        """JSON-ready record (exact values as text) with the certificate and the evidence."""
        return {
            "exponent": str(self.exponent),
            "exponent_float": _float(self.exponent),
            "log_power": str(self.log_power),
            "prefactor": (
                str(self.prefactor)
                if self.prefactor is not None
                else (None if self.prefactor_float is None else repr(self.prefactor_float))
            ),
            "prefactor_float": self.prefactor_float,
            "prefactor_error": self.prefactor_error,
            "prefactor_method": self.prefactor_method,
            "phase": self.phase,
            "law": self.law(),
            "correction_exponent": str(self.correction),
            "head": {
                "kappa": str(self.head.kappa),
                "log_power": str(self.head.log_power),
                "amplitude": str(self.head.amplitude),
            },
            "verified": self.verified,
            "evidence": None if self.evidence is None else self.evidence.to_dict(),
            "certificate": self.certificate.to_dict(),
            "seconds": round(self.seconds, 3),
        }


def _float(x: Any) -> float | None:
    try:
        return float(sp.N(x, 17)) if sp.sympify(x, strict=True).is_number else None
    except (TypeError, ValueError):
        return None


def _as_g0(g0: Any) -> sp.Expr:
    if not isinstance(g0, sp.Basic):
        if isinstance(g0, (int, float)):
            g0 = sp.nsimplify(g0) if isinstance(g0, float) else sp.Integer(g0)
        else:
            raise InputError(
                f"g0 must be a SymPy expression in lambda, got {g0!r} (parse user text with "
                "grsd_sym.parsing.parse_expression)"
            )
    if not isinstance(g0, sp.Expr):
        raise InputError(f"g0 must be an expression, got {g0!r}")
    bad = [s for s in g0.free_symbols if s != S.lam and not s.is_positive]
    if bad:
        raise InputError(f"g0 may only use lambda (and positive parameters); unknown: {bad}")
    return g0


def _positive(name: str, x: Any, allow_oo: bool = False) -> sp.Expr:
    x = sp.nsimplify(x) if isinstance(x, float) else sp.sympify(x, strict=True) if not isinstance(x, sp.Basic) else x
    if allow_oo and x == sp.oo:
        return x
    if x.has(sp.oo, sp.zoo, sp.nan) or x.is_positive is False or (x.is_number and not x.is_positive):
        raise RegionError(f"{name} must be a finite positive number, got {x}")
    return x


def _check_positive(g0: sp.Expr, lam_max: sp.Expr) -> None:
    """g0 must be real and > 0 on (0, lambda_max): sampled at log-spaced points."""
    if g0.free_symbols - {S.lam}:
        return
    f = sp.lambdify(S.lam, g0, "mpmath")
    top = 50.0 if lam_max == sp.oo else float(lam_max)
    with mpmath.workdps(20):
        for k in range(1, 40):
            x = mpmath.mpf(top) * mpmath.mpf(10) ** (-8 * (1 - k / 40.0))
            if x >= top:
                continue
            try:
                val = f(x)
            except (ZeroDivisionError, ValueError, OverflowError) as exc:
                raise RegionError(f"g0 cannot be evaluated at lambda = {mpmath.nstr(x, 6)}: {exc}") from exc
            if mpmath.im(val) != 0 or not val > 0:
                raise RegionError(
                    f"g0 must be real and positive on (0, lambda_max): g0({mpmath.nstr(x, 6)}) = {mpmath.nstr(val, 6)}"
                )


def loss_asymptotics(
    g0: Any,
    *,
    d: Any,
    lambda_max: Any = sp.oo,
    velocity: Velocity | None = None,
    evidence: bool = True,
    tolerance: float = 1e-2,
    theorem_id: str = "GRSD-LOSS",
    derivation: Derivation | None = None,
) -> LossAsymptotics:
    r"""Derive :math:`L(t) \sim P t^{-\alpha}(\log t)^m` for the user's :math:`g_0`, velocity, :math:`d`, :math:`\lambda_{\max}`.

    Parameters
    ----------
    g0 : sympy expression
        Initial error-energy density in ``grsd_sym.symbols.lam`` (positive on the support).
    d : number or positive SymPy expression
        Dissipation factor.
    lambda_max : number or ``sympy.oo``
        Upper end of the spectrum.
    velocity : Velocity or None
        ``None``: lazy (:math:`v = 0`).
    evidence : bool
        Compute the quadrature evidence (numeric inputs only).
    tolerance : float
        Tolerance of the evidence on the local slope and on the ratio.
    derivation : Derivation, optional
        Record the steps into this derivation (a proof that builds on the engine, e.g. GRSD-T16)
        instead of a new one.
    theorem_id : str
        Identifier printed in the certificate.

    Returns
    -------
    LossAsymptotics
        The law, its certificate and (numeric inputs) the evidence.

    Raises
    ------
    InputError, RegionError
        Invalid input, or outside the region where the integral converges.
    NotImplementedError
        Cases the engine does not derive (with the reason).

    Examples
    --------
    >>> from grsd_sym.symbols import lam
    >>> r = loss_asymptotics(sp.Integer(1), d=1, lambda_max=1, velocity=Velocity.of(2, 1, -1),
    ...                      evidence=False)
    >>> (r.exponent, r.log_power, r.prefactor, r.phase)
    (1, 1, 1, 'phase boundary')

    References
    ----------
    GRSD-T13 (lazy loss), GRSD-T16 (loss exponent with transport), GRSD-T17 (effective time).
    """
    t_start = time.perf_counter()
    g0 = _as_g0(g0)
    d = _positive("d", d)
    lam_max = _positive("lambda_max", lambda_max, allow_oo=True)
    numeric = (
        not (g0.free_symbols - {S.lam})
        and d.is_number
        and (velocity is None or (velocity.b.is_number and velocity.c0.is_number))
    )
    if numeric:
        _check_positive(g0, lam_max)
    Sfun = sp.Function("S")
    dv = (
        derivation
        if derivation is not None
        else Derivation(
            theorem_id,
            "loss asymptotics L(t) ~ P t^-alpha (log t)^m along characteristics",
            provenance="derived",
            sources=["GRSD-T13", "GRSD-T14", "GRSD-T16", "GRSD-T17"],
        )
    )
    dv.assume(
        f"g0 = {g0} on (0, {lam_max}], d = {d}, "
        + ("v = 0 (lazy)" if velocity is None else f"v = {velocity.expr()} ({velocity.c} c)")
        + "; no source"
    )
    dv.define(
        sp.Symbol("L(t)"),
        sp.Integral(g0.subs(S.lam, S.lam0) * sp.exp(-d * Sfun(S.lam0, S.t)), (S.lam0, 0, lam_max)),
        "energy carried along characteristics, dissipated at d lambda; S = int_0^t lambda ds",
    )
    head = leading_term(g0, S.lam)
    dv.claim(
        head.ratio_limit,
        1,
        f"head of g0: g0 / ({head.leading}) -> 1 as lambda -> 0 (a separate "
        f"limit): kappa = {head.kappa}, m0 = {head.log_power}, A = {head.amplitude}",
    )
    prof = action_profile(velocity, d, dv)
    p_inf = growth_at_infinity(g0, S.lam) if lam_max == sp.oo else None

    res = _dominant(g0, d, lam_max, head, prof, p_inf, dv)
    alpha, m, closed, val, err, how, end, omega = res
    if (
        closed is not None
        and closed.is_number
        and (closed.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or closed.is_extended_positive is False)
    ):
        record_evidence(
            dv,
            f"the dominant constant {closed} is not finite and positive: the dominant term is wrong",
            passed=False,
            method="finiteness",
        )
        closed = None
    if val is not None and not (mpmath.isfinite(val) and val > 0):
        record_evidence(
            dv,
            f"the dominant constant by quadrature, {val}, is not finite and positive: the dominant term is wrong",
            passed=False,
            method="mpmath.quad",
        )
        val = None
    # the certified statement is what was checked: the conjunction of the passed claims (the
    # characteristic, Psi, its expansion, the comparison of the two ends, the constant); the law
    # L ~ P t^-alpha (log t)^m is read off them and is backed by the quadrature evidence below
    dv.conclude(sp.And(*[st.statement for st in dv.steps if _plain_passed_claim(st)]))
    ev = None
    if evidence and numeric and val is not None:
        ev = _evidence(g0, d, lam_max, prof, alpha, m, float(val), omega, end, tolerance)
        record_evidence(
            dv,
            f"exact L(t) by quadrature at t = 10^{[round(x, 1) for x in ev.log10_times]}: "
            f"local slope -> {ev.slope_limit:.6g} (alpha = {_float(alpha):.6g}), ratio "
            f"L / (P t^-alpha (log t)^m) -> {ev.ratio_limit:.6g} ({ev.method})",
            passed=ev.passed,
            data=ev.to_dict(),
            method="mpmath.quad",
        )
    if closed is not None and val is not None and how.startswith("closed") and err is not None:
        cf = sp.N(closed, 20)
        dev = abs(float(cf) - float(val))
        ok = dev <= 10 * float(err) + 1e-12 * abs(float(cf))
        record_evidence(
            dv,
            f"closed-form constant {closed} = {float(cf):.15g} against mpmath quadrature "
            f"{mpmath.nstr(val, 15)} (error estimate {float(err):.1e})",
            passed=ok,
            data={"closed": float(cf), "quad": float(val), "error": float(err)},
            method="mpmath.quad",
        )
    P_closed = None if closed is None else sp.simplify(closed)
    pf = _float(P_closed) if P_closed is not None else (None if val is None else float(val))
    phase = (
        PHASES[prof.kind]
        if prof.kind in ("lazy", "blow-up", "effective-time", "stalled")
        else PHASES.get(end or "", "symbolic (by the sign of kappa - d xi*)")
    )
    return LossAsymptotics(
        alpha,
        m,
        P_closed,
        pf,
        None if err is None or P_closed is not None else float(err),
        how,
        phase,
        end,
        omega,
        head,
        prof,
        dv.certificate(),
        ev,
        time.perf_counter() - t_start,
    )


# --------------------------------------------------------------------------------------


def _dominant(g0, d, lam_max, head: LeadingTerm, prof: ActionProfile, p_inf, dv):
    """(alpha, m, closed prefactor, value, error, method, end, correction exponent)."""
    kappa, m0 = head.kappa, head.log_power
    delta = head.correction if head.correction is not None else sp.Integer(0)
    bounded = prof.kind == "lazy" and prof.velocity is not None  # constant c, b > 2
    if bounded and p_inf is not None and (p_inf + 1).is_negative is not True:
        raise RegionError(
            f"the damping exp(-d S) stays bounded below as lambda0 -> oo here, so L(t) is "
            f"finite only if int^oo g0 converges; g0 ~ lambda^{p_inf} does not: give a "
            "finite lambda_max"
        )
    if prof.kind == "stalled":
        return _stalled(g0, d, lam_max, head, prof, dv)
    if prof.kind == "effective-time":
        return _effective(g0, d, lam_max, head, prof, dv)
    if p_inf is not None and prof.kind == "lazy" and p_inf == sp.oo:
        raise RegionError("g0 grows faster than every power at lambda -> oo: the loss integral diverges")
    D = d * prof.xi_star if prof.kind == "frontier" else sp.oo
    ends: list[tuple[Any, str | None, Any]]
    if sp.oo == D:
        ends = [(sp.true, "head", -sp.oo)]
    else:
        q = kappa - D
        end = mellin.compare_ends(q)
        if end is not None:
            ends = [(sp.true, end, q)]
        else:  # symbolic: one representative of each region, each decided by the comparison
            ends = [
                (q < 0, mellin.compare_ends(-_w), -_w),
                (q > 0, mellin.compare_ends(_w), _w),
                (sp.Eq(q, 0), mellin.compare_ends(sp.Integer(0)), sp.Integer(0)),
            ]
    branches = []
    for cond, end, qrep in ends:
        if end is None:
            raise NotImplementedError(f"the engine could not compare kappa with d xi* = {D}")
        mellin.record_comparison(dv, qrep, sp.Integer(0), end) if sp.oo != D else mellin.record_comparison(
            dv, kappa, sp.oo, end
        )
        branches.append((cond, end, _branch(end, g0, d, lam_max, head, prof, p_inf, D, dv)))
    if len(branches) == 1:
        end, (alpha, m, closed, val, err, how, omega) = branches[0][1], branches[0][2]
        if prof.kind == "lazy" and prof.correction != sp.oo:  # constant c, b > 2: O(t^-(b-2))
            omega = sp.Min(omega, prof.correction)
        omega = sp.Min(omega, delta) if m == m0 or end != "tie" else sp.Integer(0)
        return alpha, m, closed, val, err, how, end, omega
    alpha = sp.Piecewise(*[(br[0], c) for c, _, br in branches])
    m = sp.Piecewise(*[(br[1], c) for c, _, br in branches])
    return alpha, m, None, None, None, "symbolic", None, None


def _branch(end, g0, d, lam_max, head, prof, p_inf, D, dv):
    """(alpha, m, closed, value, error, method, correction) of one dominant end."""
    kappa, m0, A = head.kappa, head.log_power, head.amplitude
    K = sp.exp(-d * prof.C) if prof.C is not None else None
    if end == "head":
        if p_inf is not None and sp.oo != D and (p_inf - D + 1).is_negative is False:
            raise NotImplementedError(
                f"lambda_max = oo and g0 ~ lambda^{p_inf} at infinity: "
                f"int^oo g0 lambda^-(d xi*) diverges, the large-lambda end competes; "
                "not derived (give a finite lambda_max)"
            )
        closed_I, I_val, I_err = mellin.head_constant(prof, kappa, d, dv)
        alpha, m = kappa, m0
        dv.claim(
            sp.limit(sp.log(S.t ** (-kappa) * sp.log(S.t) ** m0) / sp.log(S.t), S.t, sp.oo),
            -kappa,
            "head dominates: X = lambda0 t, g0(X/t) ~ A (X/t)^(kappa-1) (log t)^m0, so L ~ A I "
            "t^-kappa (log t)^m0 with I = int_0^X_end X^(kappa-1) exp(-d Psi) dX",
        )
        closed = None if closed_I is None else A * closed_I
        val = None if I_val is None else A * I_val
        err = None if I_err is None else A * I_err
        how = "closed form (Mellin transform)" if closed is not None else "mpmath quadrature of A I"
        omega = (D - kappa) if sp.oo != D else sp.oo
        return alpha, m, closed, val, err, how, omega
    if p_inf is not None and (p_inf - D + 1).is_negative is not True:
        raise NotImplementedError(
            f"lambda_max = oo and g0 ~ lambda^{p_inf} at infinity: "
            "int^oo g0 lambda^-(d xi*) diverges; not derived (give a finite lambda_max)"
        )
    if end == "tail" or (end == "tie" and (m0 < -1) is sp.true):
        numeric_tail = D.is_number and not (g0.free_symbols - {S.lam})  # the quadrature needs numbers
        closed_M, M_val, M_err = (
            mellin.tail_constant(g0, S.lam, D, lam_max)
            if numeric_tail
            else (mellin._spectrum_moment(g0, S.lam, D, lam_max), None, None)
        )
        dv.claim(
            sp.exp(-d * (sp.Symbol("xi_s") * sp.log(_X_sym()) + sp.Symbol("C_s"))),
            sp.exp(-d * sp.Symbol("C_s")) * _X_sym() ** (-d * sp.Symbol("xi_s")),
            "tail dominates: for fixed lambda0, exp(-d Psi(lambda0 t)) ~ exp(-d C) (lambda0 t)^-(d xi*), "
            "so L ~ exp(-d C) t^-(d xi*) M, M = int_0^lambda_max g0 lambda^-(d xi*) dlambda "
            "(converges at 0 since kappa > d xi*)",
            force=True,
        )
        closed = None if closed_M is None else K * closed_M
        val = None if M_val is None else sp.N(K, 25) * M_val
        err = None if M_err is None else sp.N(K, 25) * M_err
        how = (
            "closed form (exp(-d C) times the spectrum moment M)"
            if closed is not None
            else "exp(-d C) (closed form) times M by mpmath quadrature"
        )
        omega = sp.Min(kappa - D, prof.correction) if end == "tail" else sp.Integer(0)
        return D, sp.Integer(0), closed, val, err, how, omega
    # tie
    if m0 == -1:
        raise NotImplementedError(
            "kappa = d xi* with g0 ~ lambda^(kappa-1)/log(1/lambda): the integral "
            "grows like log log t; not derived by this engine"
        )
    if (m0 > -1) is not sp.true and m0.is_number:
        raise NotImplementedError(f"kappa = d xi* with log power m0 = {m0}: not decided")
    u = sp.Symbol("u", positive=True)
    grow = sp.integrate(u**m0, (u, 0, sp.log(S.t)))
    dv.claim(
        grow,
        sp.log(S.t) ** (m0 + 1) / (m0 + 1),
        "equal exponents: int_(1/t)^1 lambda^-1 log(1/lambda)^m0 dlambda = (log t)^(m0+1)/(m0+1): "
        "one extra power of log t",
        force=True,
    )
    closed = A * K / (m0 + 1)
    val = sp.N(closed, 25) if closed.is_number else None
    return kappa, m0 + 1, closed, val, sp.Integer(0), "closed form A exp(-d C)/(m0 + 1)", sp.Integer(0)


def _X_sym() -> sp.Symbol:
    from grsd_sym.derive.asymptotics.phases import X

    return X


def _effective(g0, d, lam_max, head, prof, dv):
    """b = 1, c = c0/t: L(t) is the lazy loss at the effective time tau(t)."""
    kappa, m0, A = head.kappa, head.log_power, head.amplitude
    T = sp.Symbol("T", positive=True)
    lazy_I = sp.gamma(kappa) * d ** (-kappa)
    dv.claim(
        sp.exp(-d * S.lam0 * T),
        sp.exp(-d * (S.lam0 * T)),
        "S = lambda0 tau(t): L(t) = int g0 exp(-d lambda0 tau) = the lazy loss at time tau: "
        "A Gamma(kappa) (d tau)^-kappa (log tau)^m0 (head, Mellin transform of exp)",
    )
    if prof.tau_log:
        if m0 != 0:
            raise NotImplementedError(
                "sigma c0 = -1 with a log factor in g0: L ~ (log t)^-kappa (log log t)^m0; not derived"
            )
        closed = A * lazy_I * prof.tau_coefficient ** (-kappa)
        return (
            sp.Integer(0),
            -kappa,
            closed,
            sp.N(closed, 25),
            sp.Integer(0),
            "closed form A Gamma(kappa) (d t0)^-kappa",
            "head",
            sp.Integer(0),
        )
    e, tau1 = prof.tau_exponent, prof.tau_coefficient
    alpha = sp.expand(kappa * e)
    closed = A * lazy_I * tau1 ** (-kappa) * e**m0
    dv.claim(
        sp.expand_log(sp.log((tau1 * S.t**e) ** (-kappa)), force=True),
        sp.expand_log(sp.log(tau1 ** (-kappa)), force=True) - alpha * sp.log(S.t),
        f"tau ~ {tau1} t^{e}: L ~ A Gamma(kappa) d^-kappa tau1^-kappa e^m0 t^-(kappa e) (log t)^m0",
        force=True,
    )
    delta = head.correction if head.correction is not None else sp.Integer(0)
    omega = sp.Min(e * delta, e) if m0 == 0 else sp.Integer(0)
    return alpha, m0, closed, sp.N(closed, 25), sp.Integer(0), "closed form (lazy loss at tau)", "head", omega


def _stalled(g0, d, lam_max, head, prof, dv):
    """Finite total action: L(t) -> L_inf = int g0 exp(-d S_inf) > 0."""
    s_inf = prof.S_inf
    integrand = g0.subs(S.lam, S.lam0) * sp.exp(-d * s_inf)
    closed = None
    kappa, A = head.kappa, head.amplitude
    if head.correction == sp.oo and head.log_power == 0 and lam_max == sp.oo:
        pw = sp.Wild("pw", exclude=[S.lam0])
        cf = sp.Wild("cf", exclude=[S.lam0])
        mt = s_inf.match(cf * S.lam0**pw)
        if mt and mt[pw].is_positive and mt[cf].is_positive:
            a_, p_ = d * mt[cf], mt[pw]
            closed = A * sp.gamma(kappa / p_) * a_ ** (-kappa / p_) / p_
    dv.define(
        sp.Symbol("L_inf"),
        sp.Integral(integrand, (S.lam0, 0, lam_max)),
        f"the dissipated action stays finite (S -> {s_inf}): L(t) decreases to L_inf > 0 "
        "(monotone convergence): learning stalls (alpha = 0, m = 0)",
    )
    g0f = sp.lambdify(S.lam, g0, "mpmath")
    sf = sp.lambdify(S.lam0, s_inf, "mpmath")
    val, err = _ev.exact_loss(
        1, g0=g0f, action=lambda l0, t: sf(l0), d=d, dps=20, lam_max=None if lam_max == sp.oo else sp.N(lam_max, 20)
    )
    vel = prof.velocity
    omega = (2 - vel.b) / (vel.b - 1) if vel.c == "constant" else -(1 + vel.sigma * vel.c0)
    how = "closed form (Gamma integral)" if closed is not None else "mpmath quadrature"
    return sp.Integer(0), sp.Integer(0), closed, val, err, how, "stalled", omega


def _evidence(g0, d, lam_max, prof, alpha, m, P, omega, end, tolerance):
    g0f = sp.lambdify(S.lam, g0, "mpmath")
    X_end = None if prof.X_end == sp.oo else float(prof.X_end)
    logarithmic = m != 0 or omega == 0
    times = _ev.choose_times(omega if omega is not None else 0, m if not logarithmic else 1)
    loss = functools.partial(
        _ev.exact_loss,
        g0=g0f,
        action=prof.action_mp,
        d=float(d) if not d.is_Rational else mpmath.mpf(d.p) / d.q,
        lam_max=None if lam_max == sp.oo else float(lam_max),
        X_end=X_end,
    )
    return _ev.check_law(loss, (alpha, m, P), times, logarithmic=logarithmic, tolerance=tolerance)


def _plain_passed_claim(step: Any) -> bool:
    """A passed claim with no side condition (those enter a conclusion only under ``Implies``)."""
    return (
        step.kind == "claim"
        and step.checked
        and step.passed
        and isinstance(step.statement, sp.Eq)
        and not step.overrides
    )
