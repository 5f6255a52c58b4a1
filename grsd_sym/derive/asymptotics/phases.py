r"""The dissipated action along characteristics and its large-argument phases (GRSD-T14, T16, T17).

Energy is carried along the characteristics :math:`\dot\lambda = v(\lambda, t)` of the
transport PDE and dissipated at :math:`d\lambda`, so a mode started at :math:`\lambda_0` keeps
:math:`\exp(-d\,S(\lambda_0, t))` of its energy, :math:`S = \int_0^t\lambda(s;\lambda_0)ds` the
dissipated action.  :func:`action_profile` *derives* :math:`S` from the velocity and records each
step in a :class:`~grsd_sym.certificate.Derivation`:

* lazy (:math:`v = 0`): :math:`S = \lambda_0 t`, i.e. :math:`\Psi(X) = X`, :math:`X = \lambda_0 t`;
* self-similar :math:`v = \sigma c_0 t^{b-2}\lambda^b`, :math:`b > 1`: the characteristic
  :math:`\lambda = \lambda_0(1 - \sigma c_0 X^{b-1})^{-1/(b-1)}` gives :math:`S = \Psi(X)`,
  :math:`\Psi' = (1 - \sigma c_0 X^{b-1})^{-1/(b-1)}`.  For :math:`\sigma = -1`:
  :math:`\Psi(X) = \xi^*\log X + C + O(X^{-(b-1)})` with :math:`\xi^* = c_0^{-1/(b-1)}` and, by a
  Mellin regularisation, :math:`C = \xi^*\beta(\log c_0 - \psi(\beta) - \gamma_E)`,
  :math:`\beta = 1/(b-1)` (phase *frontier*).  For :math:`\sigma = +1` the characteristic blows up
  at :math:`X^* = c_0^{-1/(b-1)}` (phase *blow-up*: the mode is learned in finite time);
* :math:`b = 1`, :math:`c = c_0/t` (:math:`t \ge t_0`): :math:`S = \lambda_0\tau(t)` (effective time);
* constant :math:`c = c_0`, :math:`\sigma = -1`: for :math:`1 < b < 2` the action tends to the
  finite :math:`\lambda_0^{2-b}/((2-b)c_0)` (learning stalls); for :math:`b > 2` it is
  :math:`\lambda_0 t\,(1 + o(1))` at :math:`\lambda_0 t` fixed (lazy at leading order).

>>> from grsd_sym.derive.asymptotics.phases import Velocity
>>> Velocity.of(2, 1, -1).b
2
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from typing import Any

import mpmath
import sympy as sp

from grsd_sym import symbols as S
from grsd_sym.errors import InputError, RegionError

__all__ = ["ActionProfile", "Velocity", "X", "action_profile"]

#: the self-similar variable X = lambda0 t
X = sp.Symbol("X", positive=True)
_w = sp.Symbol("w", positive=True)
_s = sp.Symbol("s")
_beta = sp.Symbol("beta", positive=True)
_y = sp.Symbol("y", positive=True)


def _exact(name: str, value: Any, *, positive: bool = False) -> sp.Expr:
    if isinstance(value, float):
        value = sp.Rational(str(value))
    if isinstance(value, sp.Basic):
        v = value
    elif isinstance(value, int):
        v = sp.Integer(value)
    else:
        raise InputError(f"{name} must be a number or a SymPy expression, got {value!r}")
    if v.is_number and (v.has(sp.nan, sp.zoo, sp.oo, -sp.oo) or v.is_extended_real is False):
        raise InputError(f"{name} must be real and finite, got {value!r}")
    if positive and v.is_positive is False:
        raise RegionError(f"{name} must be > 0, got {v}")
    return v


@dataclasses.dataclass(frozen=True)
class Velocity:
    r"""The transport velocity :math:`v = \sigma c(t)\lambda^b`.

    Attributes
    ----------
    b, c0 : sympy.Expr
        Exponent and amplitude (:math:`c_0 > 0`).
    sigma : int
        Sign, -1 or +1.
    c : str
        ``"self-similar"`` (:math:`c = c_0 t^{b-2}`, the form forced by GRSD-T11) or ``"constant"`` (:math:`c = c_0`).
    t0 : sympy.Expr
        Start time for ``b = 1`` self-similar (:math:`c = c_0/t` needs :math:`t \ge t_0 > 0`).

    Examples
    --------
    >>> Velocity.of(2, sp.Rational(1, 2)).expr()
    -lambda**2/2
    """

    b: sp.Expr
    c0: sp.Expr
    sigma: int
    c: str = "self-similar"
    t0: sp.Expr = sp.S.One

    @classmethod
    def of(cls, b: Any, c0: Any, sigma: Any = -1, c: str = "self-similar", t0: Any = 1) -> Velocity:
        """Validated constructor (exact values)."""
        bb = _exact("b", b)
        cc = _exact("c0", c0, positive=True)
        if sigma not in (-1, 1):
            raise RegionError(f"sigma must be -1 or +1, got {sigma!r}")
        if c not in ("self-similar", "constant"):
            raise InputError(f"c must be 'self-similar' or 'constant', got {c!r}")
        return cls(bb, cc, int(sigma), c, _exact("t0", t0, positive=True))

    def expr(self) -> sp.Expr:
        """:math:`\\sigma c(t)\\lambda^b` in the canonical symbols."""
        ct = self.c0 * S.t ** (self.b - 2) if self.c == "self-similar" else self.c0
        return self.sigma * ct * S.lam**self.b


@dataclasses.dataclass
class ActionProfile:
    r"""What the engine needs to know about :math:`S(\lambda_0, t)` (made by :func:`action_profile`).

    Attributes
    ----------
    kind : str
        ``"lazy"``, ``"frontier"`` (:math:`\sigma=-1`, :math:`\Psi\sim\xi^*\log X`), ``"blow-up"``
        (:math:`\sigma=+1`, integration stops at ``X_end``), ``"effective-time"`` (:math:`S = \lambda_0\tau(t)`)
        or ``"stalled"`` (finite total action ``S_inf``).
    velocity : Velocity or None
        The velocity (``None``: lazy).
    F, psi, C : sympy.Expr or None
        Characteristic pieces; ``psi`` a closed form of :math:`\Psi` when SymPy has one.
    xi_star, X_end : sympy.Expr
        Frontier constant; end of the :math:`X` range (``oo`` unless blow-up).
    tau, tau_exponent, tau_coefficient, tau_log, S_inf : optional
        Effective time :math:`\tau(t)` and its growth; finite total action.
    correction : sympy.Expr
        Exponent of the leading relative correction of the action.
    action_mp : callable or None
        ``action_mp(lam0, t)``: :math:`S` numerically (mpmath).

    Examples
    --------
    >>> from grsd_sym.certificate import Derivation
    >>> action_profile(None, 1, Derivation("EX", "lazy")).kind
    'lazy'
    """

    kind: str
    velocity: Velocity | None
    F: sp.Expr | None = None
    psi: sp.Expr | None = None
    xi_star: sp.Expr | None = None
    C: sp.Expr | None = None
    X_end: sp.Expr = sp.oo
    tau: sp.Expr | None = None
    tau_exponent: sp.Expr | None = None
    tau_coefficient: sp.Expr | None = None
    tau_log: bool = False
    S_inf: sp.Expr | None = None
    correction: sp.Expr = sp.oo
    action_mp: Callable[[Any, Any], Any] | None = None


# --------------------------------------------------------------------------------------
# symbolic pieces (cached, generic in their parameters)
# --------------------------------------------------------------------------------------


@functools.cache
def _mellin_log_constant() -> sp.Expr:
    r"""The constant :math:`K(\beta)` in :math:`\int_0^W w^{\beta-1}(1+w)^{-\beta}dw = \log W + K + o(1)`.

    Mellin regularisation: :math:`K = \int_0^\infty [w^{\beta-1}(1+w)^{-\beta} - (1+w)^{-1}]dw
    = \lim_{s\to 0}[B(s+\beta, -s) - B(s+1, -s)]`, computed by SymPy's ``limit``:
    :math:`K = -\psi(\beta) - \gamma_E`.

    >>> _mellin_log_constant()
    -polygamma(0, beta) - EulerGamma
    """
    expr = sp.gamma(-_s) * (sp.gamma(_s + _beta) / sp.gamma(_beta) - sp.gamma(_s + 1))
    return sp.limit(expr, _s, 0)


def _mellin_witness(rng) -> float:
    r"""Digits of agreement of ``_mellin_log_constant`` with the regularised Mellin difference.

    Evaluates :math:`\Gamma(-s)[\Gamma(s+\beta)/\Gamma(\beta) - \Gamma(s+1)]` at
    :math:`s = \pm 10^{-40}` (80 digits) for random :math:`\beta`, independently of SymPy's
    ``limit``; the difference from the limit is :math:`O(s)`.
    """
    worst = 60.0
    K = sp.lambdify(_beta, _mellin_log_constant(), "mpmath")
    with mpmath.workdps(80):
        for _ in range(3):
            be = mpmath.mpf(rng.randint(20, 400)) / 100
            for s in (mpmath.mpf(10) ** -40, -(mpmath.mpf(10) ** -40)):
                val = mpmath.gamma(-s) * (mpmath.gamma(s + be) / mpmath.gamma(be) - mpmath.gamma(s + 1))
                err = abs(val - K(be))
                worst = min(worst, float(-mpmath.log10(err / (1 + abs(val)))) if err else 60.0)
    return worst


def _safe_domain(vel: Velocity) -> dict:
    """Witness domains keeping the characteristic's base positive (before any blow-up)."""
    if not (vel.b.is_number and vel.c0.is_number):  # symbolic: small t, b - 1 in (1/2, 2)
        dom = {S.t: (sp.Rational(1, 1000), sp.Rational(1, 100)), S.lam0: (sp.Rational(1, 2), 1)}
        dom.update({s: (sp.Rational(1, 2), 2) for s in vel.b.free_symbols})
        return dom
    bm1 = float(vel.b - 1)
    cap = (1 / (4 * float(vel.c0))) ** (1 / bm1) if bm1 > 0 else 1.0
    hi = sp.Rational(str(round(min(cap / 3, 1.0), 12)))
    hi = max(hi, sp.Rational(1, 10**9))
    return {S.t: (hi / 10, hi), S.lam0: (sp.Rational(1, 2), 3)}


# --------------------------------------------------------------------------------------
# the profiles
# --------------------------------------------------------------------------------------


def _lazy(dv) -> ActionProfile:
    dv.define(sp.Symbol("v"), sp.Integer(0), "no transport: lazy (NTK) training, GRSD-T8")
    lam_t = S.lam0
    sv = sp.Symbol("s", positive=True)
    act = sp.integrate(lam_t, (sv, 0, S.t))
    dv.claim(
        sp.diff(act, S.t),
        lam_t,
        "characteristic lambda(t) = lambda0; dissipated action "
        "S = int_0^t lambda ds = lambda0 t, i.e. Psi(X) = X with X = lambda0 t",
    )
    dv.claim(
        sp.limit(X**_y * sp.exp(-_y * X), X, sp.oo),
        0,
        "large X: exp(-d Psi(X)) = exp(-d X) decays faster than every power (no frontier)",
    )
    prof = ActionProfile("lazy", None, F=sp.Integer(1), psi=X)
    prof.action_mp = lambda l0, t: l0 * t
    return prof


def _characteristic(vel: Velocity, dv) -> sp.Expr:
    """Derive and check the characteristic lambda(t; lambda0) for c = c0 t^(b-2) or c0, b != 1."""
    b, sig = vel.b, vel.sigma
    v = vel.expr()
    c_t = v / (sig * S.lam**b)
    # separation: int lambda^-b dlambda = sigma int c dt
    lhs = sp.integrate(S.lam ** (-b), S.lam, conds="none")
    rhs = sig * sp.integrate(c_t, (S.t, 0, S.t), conds="none")
    phi = lhs - rhs
    dom = _safe_domain(vel)
    dv.zero(
        sp.diff(phi, S.t) + sp.diff(phi, S.lam) * v,
        f"first integral phi = {phi} of dlambda/dt = v (separation of variables), constant along characteristics",
        domains=dom,
        force=True,
    )
    base = sp.expand(S.lam0 ** (1 - b) + (1 - b) * (rhs - rhs.subs(S.t, 0)))
    lam_t = base ** (1 / (1 - b))
    # dlambda/dt = v for lambda = B^(1/(1-b)), B = base > 0 (before any blow-up): the chain rule
    # with a positive symbol for B, and B' computed from the base
    Bp = sp.Dummy("B", positive=True)
    dv.zero(
        sp.diff(base, S.t) - (1 - b) * v / S.lam**b,
        f"the base B = {base} of the characteristic obeys B' = (1-b) sigma c(t)",
        domains=dom,
        force=True,
    )
    dv.zero(
        sp.diff(Bp ** (1 / (1 - b)), Bp) * (1 - b) * v / S.lam**b - v.subs(S.lam, Bp ** (1 / (1 - b))),
        f"characteristic lambda(t) = ({base})^(1/(1-b)) (phi(t, lambda(t)) = phi(0, lambda0)): chain rule "
        "with B' gives dlambda/dt = v while B > 0",
        domains=dom,
        force=True,
    )
    dv.claim(lam_t.subs(S.t, 0), S.lam0, "it starts at lambda0", force=True)
    return lam_t


def _self_similar(vel: Velocity, d: sp.Expr, dv) -> ActionProfile:
    b, c0, sig = vel.b, vel.c0, vel.sigma
    if b.is_number and not b > 1:
        raise RegionError(
            f"self-similar c = c0 t^(b-2) with b = {b} < 1 is not handled: the characteristics need b >= 1"
        )
    lam_t = _characteristic(vel, dv)
    F = (1 - sig * c0 * X ** (b - 1)) ** (-1 / (b - 1))
    dom = _safe_domain(vel)
    dv.claim(
        lam_t,
        S.lam0 * F.subs(X, S.lam0 * S.t),
        "self-similar: lambda(t) = lambda0 Psi'(lambda0 t), so the action int_0^t lambda ds = "
        f"Psi(X), X = lambda0 t, Psi'(X) = {F}",
        domains=dom,
        force=True,
    )
    prof = ActionProfile("frontier" if sig == -1 else "blow-up", vel, F=F)
    beta = 1 / (b - 1)
    if b == 2:
        psi = sp.integrate(F.subs(X, _y), (_y, 0, X))
        psi = sp.simplify(psi)
        dv.claim(
            sp.diff(psi, X), F, f"b = 2: Psi(X) = {psi} in closed form (integrate; derivative checked)", force=True
        )
        dv.claim(psi.subs(X, 0), 0, "Psi(0) = 0")
        prof.psi = psi
    if sig == -1:
        xf = sp.powsimp(X * F, force=True)
        if b.is_number or (b - 1).is_positive:
            xs = sp.limit(xf, X, sp.oo)
        else:
            raise RegionError(f"the frontier needs b > 1; state b as 1 + beta with beta > 0 (got b = {b})")
        dv.claim(
            c0 * xs ** (b - 1),
            1,
            f"X Psi'(X) -> xi* = {xs} (limit): the frontier fixed point 1 - c0 xi*^(b-1) = 0, so Psi(X) ~ xi* log X",
            force=True,
        )
        # Mellin: Psi(X) = xi* beta int_0^W w^(beta-1) (1+w)^-beta dw, W = c0 X^(b-1)
        Xw = (_w / c0) ** beta
        jac = sp.diff(Xw, _w)
        dv.claim(
            F.subs(X, Xw) * jac,
            xs * beta * _w ** (beta - 1) * (1 + _w) ** (-beta),
            "substitute w = c0 X^(b-1): Psi(X) = xi* beta int_0^W w^(beta-1) (1+w)^-beta dw",
            force=True,
        )
        K = _mellin_log_constant()
        dv.claim(
            K,
            -sp.polygamma(0, _beta) - sp.EulerGamma,
            "Mellin regularisation: int_0^W w^(beta-1)(1+w)^-beta dw = log W + K + o(1), "
            "K = lim_(s->0) [B(s+beta,-s) - B(s+1,-s)] (SymPy limit; witness: the difference at "
            "s = +-1e-40, 80 digits, random beta)",
            witness=_mellin_witness,
            witness_name="Mellin difference at s = +-1e-40, random beta",
        )
        C = sp.simplify(xs * beta * (sp.log(c0) + K.subs(_beta, beta)))
        corr = sp.diff((_w + c0) ** (-beta), _w).subs(_w, 0)
        dv.claim(
            corr,
            -(c0 ** (-beta - 1)) * beta,
            "X Psi'(X) - xi* = O(X^-(b-1)): the remainder of Psi - xi* log X - C is "
            "O(X^-(b-1)) (derivative of (w + c0)^-beta at w = X^-(b-1) = 0)",
            force=True,
        )
        dv.define(
            sp.Symbol("C"),
            C,
            "large-X expansion Psi(X) = xi* log X + C + O(X^-(b-1)), C = xi* beta (log c0 + K(beta)), beta = 1/(b-1)",
        )
        prof.xi_star, prof.C, prof.correction = xs, C, b - 1
        if prof.psi is not None:
            dv.claim(sp.limit(prof.psi - xs * sp.log(X), X, sp.oo), C, "check of C against the closed-form Psi (limit)")
    else:
        Xs = c0 ** (-beta)
        dv.claim(
            1 - c0 * Xs ** (b - 1),
            0,
            f"sigma = +1: the characteristic blows up (lambda -> oo) at X* = {Xs}, i.e. at "
            "t = X*/lambda0: the mode is learned in finite time and exp(-d Psi) = 0 beyond X*",
            force=True,
        )
        prof.X_end = Xs
    if b.is_number and c0.is_number:
        prof.action_mp = _psi_numeric(vel)
        if prof.C is not None:
            from grsd_sym.derive.asymptotics.evidence import record_evidence

            cn = prof.action_mp.C_numeric  # type: ignore[attr-defined]
            cf = float(sp.N(prof.C, 20))
            record_evidence(
                dv,
                f"C = {prof.C} = {cf:.15g} against lim (Psi(X) - xi* log X) = {cn:.15g} "
                "evaluated from the hypergeometric series (Pfaff) alone",
                passed=abs(cf - cn) <= 1e-9 * (1 + abs(cf)),
                data={"C_closed": cf, "C_numeric": cn},
                method="float series",
            )
    return prof


def _psi_numeric(vel: Velocity) -> Callable[[Any, Any], Any]:
    r"""Numeric :math:`S(\lambda_0, t) = \Psi(\lambda_0 t)` for self-similar :math:`b > 1` (float accuracy).

    With :math:`z = \sigma c_0 X^{b-1}` and :math:`\beta = 1/(b-1)`:

    * :math:`|z| \le 1/2`: the series :math:`X\sum_n \frac{(\beta)_n}{n!}\frac{\beta}{\beta+n}z^n`
      (termwise integral of the binomial series of :math:`\Psi'`);
    * :math:`\sigma = -1`, :math:`1/2 < |z| < 2`: Pfaff's transformation,
      :math:`X(1-z)^{-\beta}\sum_n\frac{\beta}{\beta+n}y^n`, :math:`y = z/(z-1)`;
    * :math:`\sigma = -1`, :math:`|z| \ge 2`: :math:`\xi^*\log X + R - \xi^*\sum_{n\ge1}
      \binom{-\beta}{n}\frac{w^n}{n(b-1)}`, :math:`w = 1/|z|`, with :math:`R` matched to the Pfaff
      series at :math:`|z| = 2` (so independent of the symbolic constant :math:`C`);
    * :math:`\sigma = +1`, :math:`z > 1/2`: :math:`X\,{}_2F_1(\beta, \beta; 1+\beta; z)` by mpmath.

    Returns an mpmath number (``inf`` past the blow-up point for :math:`\sigma = +1`).
    """
    import math

    bm, cm, sig = float(vel.b), float(vel.c0), vel.sigma
    be = 1.0 / (bm - 1.0)
    xs = cm ** (-be)
    lc = math.log(cm)

    def series(Xv: float, z: float) -> float:
        total, coef, n = 0.0, 1.0, 0
        while n < 400:
            term = coef * be / (be + n)
            total += term
            if abs(term) < 1e-17 * abs(total):
                break
            coef *= (be + n) / (n + 1) * z
            n += 1
        return Xv * total

    def tail(w: float) -> float:
        total, coef, n = 0.0, 1.0, 1
        while n < 400:
            coef *= -(be + n - 1) / n * w
            term = coef / (n * (bm - 1))
            total += term
            if abs(term) < 1e-17 * (1 + abs(total)):
                break
            n += 1
        return xs * total

    def hyp(Xv: float) -> float:
        with mpmath.workdps(20):
            z = sig * cm * mpmath.mpf(Xv) ** (bm - 1)
            if z >= 1:  # at or past the blow-up point (rounding)
                return math.inf
            val = Xv * mpmath.hyp2f1(be, be, 1 + be, z)
            if isinstance(val, mpmath.mpc):  # a rounding-level imaginary part next to z = 1
                if abs(val.imag) > 1e-12 * abs(val.real):
                    raise ArithmeticError(f"Psi({Xv}) is not real: {val}")
                val = val.real
            return float(val)

    def pfaff(Xv: float, z: float) -> float:
        # Pfaff: 2F1(be, be; 1+be; z) = (1-z)^-be 2F1(be, 1; 1+be; y), y = z/(z-1) in (0, 2/3]
        y = z / (z - 1)
        total, yn, n = 0.0, 1.0, 0
        while n < 2000:
            term = be / (be + n) * yn
            total += term
            if abs(term) < 1e-17 * abs(total):
                break
            yn *= y
            n += 1
        return Xv * (1 - z) ** (-be) * total

    R = 0.0
    if sig == -1:
        X0 = (2 / cm) ** be
        R = pfaff(X0, -2.0) - xs * math.log(X0) + tail(0.5)

    def psi(lam0: Any, t: Any) -> Any:
        lx = float(mpmath.log(lam0) + mpmath.log(t))
        lz = lc + (bm - 1) * lx
        if lz > 700:
            if sig == 1:
                return mpmath.inf
            return mpmath.mpf(xs * lx + R - tail(math.exp(-lz)))
        z = math.exp(lz)
        if sig == 1 and z >= 1:
            return mpmath.inf
        if sig == -1 and z >= 2:
            return mpmath.mpf(xs * lx + R - tail(1 / z))
        if lx < -700:
            return mpmath.mpf(lam0) * t
        if lx > 700:
            with mpmath.workdps(20):
                Xm = mpmath.mpf(lam0) * t
                return Xm * mpmath.hyp2f1(be, be, 1 + be, sig * cm * Xm ** (bm - 1))
        Xv = math.exp(lx)
        if z <= 0.5:
            return mpmath.mpf(series(Xv, sig * z))
        if sig == -1:
            return mpmath.mpf(pfaff(Xv, -z))
        h = hyp(Xv)
        return mpmath.inf if h == math.inf else mpmath.mpf(h)

    psi.C_numeric = R  # type: ignore[attr-defined]  # lim (Psi - xi* log X), from hyp2f1 alone
    return psi


def _effective_time(vel: Velocity, dv) -> ActionProfile:
    c0, sig, t0 = vel.c0, vel.sigma, vel.t0
    v = vel.expr()
    lam_t = S.lam0 * (S.t / t0) ** (sig * c0)
    dv.zero(
        sp.diff(lam_t, S.t) - v.subs(S.lam, lam_t),
        f"b = 1, c = c0/t: characteristic lambda(t) = lambda0 (t/t0)^({sig * c0}) from t0",
        force=True,
    )
    sv = sp.Symbol("s", positive=True)
    tau = sp.simplify(sp.integrate((sv / t0) ** (sig * c0), (sv, t0, S.t), conds="none"))
    dv.claim(
        sp.diff(tau, S.t),
        (S.t / t0) ** (sig * c0),
        f"dissipated action S = lambda0 tau(t), effective time tau(t) = {tau} (integrate)",
        force=True,
    )
    dv.claim(tau.subs(S.t, t0), 0, "tau(t0) = 0")
    e = 1 + sig * c0
    prof = ActionProfile("effective-time", vel, tau=tau)
    if e.is_positive:
        coef = sp.limit(tau / S.t**e, S.t, sp.oo)
        dv.claim(coef, t0 ** (-sig * c0) / e, f"tau(t) ~ {coef} t^({e}) (limit of tau / t^(1 + sigma c0))", force=True)
        prof.tau_exponent, prof.tau_coefficient = e, coef
        prof.correction = e
    elif e == 0:
        coef = sp.limit(tau / sp.log(S.t), S.t, sp.oo)
        dv.claim(coef, t0, "sigma c0 = -1: tau(t) ~ t0 log t (limit of tau / log t)")
        prof.tau_exponent, prof.tau_coefficient, prof.tau_log = sp.Integer(0), coef, True
    else:
        lim = sp.limit(tau, S.t, sp.oo)
        dv.claim(
            lim,
            t0 / (-e),
            f"sigma c0 < -1: tau(t) -> {lim} (finite): the dissipated action of "
            "every mode stays finite, learning stalls",
            force=True,
        )
        prof.kind, prof.S_inf = "stalled", S.lam0 * lim
    tau_f = sp.lambdify(S.t, tau, "mpmath")
    prof.action_mp = lambda l0, t: l0 * tau_f(t)
    return prof


def _constant(vel: Velocity, d: sp.Expr, dv) -> ActionProfile:
    b, c0, sig = vel.b, vel.c0, vel.sigma
    if not b.is_number:
        raise NotImplementedError(
            "constant c with symbolic b: the phase depends on b (b < 2 stalls, "
            "b > 2 is lazy at leading order); give a number"
        )
    if b == 2:
        return _self_similar(Velocity(b, c0, sig, "self-similar", vel.t0), d, dv)
    if sig == 1:
        raise NotImplementedError(
            "constant c with sigma = +1, b != 2: the blow-up front lambda0 = ((b-1) c0 t)^(-1/(b-1)) "
            "is not at fixed lambda0 t, so the integral is not of Mellin type in X = lambda0 t; not "
            "derived by this engine"
        )
    if not b > 1:
        raise NotImplementedError(
            f"constant c with b = {b} <= 1, sigma = -1: characteristics reach lambda = 0 in finite time "
            "(b < 1) or decay exponentially (b = 1); not derived by this engine"
        )
    lam_t = _characteristic(vel, dv)
    sv = sp.Symbol("s", positive=True)
    act = sp.integrate(lam_t.subs(S.t, sv), (sv, 0, S.t), conds="none")
    act = sp.simplify(act)
    dom = _safe_domain(vel)
    dv.claim(sp.diff(act, S.t), lam_t, f"dissipated action S(lambda0, t) = {act} (integrate)", domains=dom, force=True)
    prof = ActionProfile("stalled" if b < 2 else "lazy", vel)
    if b < 2:
        s_inf = sp.limit(act, S.t, sp.oo)
        dv.claim(
            s_inf,
            S.lam0 ** (2 - b) / ((2 - b) * c0),
            f"1 < b < 2: S -> {s_inf} as t -> oo: the dissipated action stays finite, "
            "L(t) tends to a positive constant (learning stalls)",
            force=True,
        )
        prof.S_inf = s_inf
    else:
        lim = sp.limit(act.subs(S.lam0, X / S.t), S.t, sp.oo)
        dv.claim(
            lim,
            X,
            "b > 2: at fixed X = lambda0 t, S -> X as t -> oo: lazy at leading order, "
            "relative corrections O(t^-(b-2)) (modes with X >> 1 are damped either way)",
        )
        prof.F, prof.psi, prof.correction = sp.Integer(1), X, b - 2
    bm, cm = mpmath.mpf(sp.N(b, 20)), mpmath.mpf(sp.N(c0, 20))
    pw = (bm - 2) / (bm - 1)

    def act_mp(l0: Any, t: Any) -> Any:
        # the same S, written without cancellation: l0^(2-b) expm1(p log1p(eps)) / ((b-2) c0)
        eps = (bm - 1) * cm * t * mpmath.mpf(l0) ** (bm - 1)
        return mpmath.mpf(l0) ** (2 - bm) * mpmath.expm1(pw * mpmath.log1p(eps)) / ((bm - 2) * cm)

    fl = sp.lambdify((S.lam0, S.t), act, "mpmath")
    with mpmath.workdps(30):
        for l0, tt in ((mpmath.mpf("0.3"), mpmath.mpf(2)), (mpmath.mpf("1.7"), mpmath.mpf("0.4"))):
            if abs(act_mp(l0, tt) - fl(l0, tt)) > mpmath.mpf(10) ** -20 * abs(fl(l0, tt)):
                raise RuntimeError("the stable form of the action disagrees with the derived one")
    prof.action_mp = act_mp
    return prof


def action_profile(vel: Velocity | None, d: Any, dv: Any) -> ActionProfile:
    r"""Derive the dissipated action of :math:`v` and its phase, recording steps in ``dv``.

    Parameters
    ----------
    vel : Velocity or None
        The velocity (``None``: lazy, :math:`v = 0`).
    d : number or SymPy expression
        Dissipation factor (:math:`d > 0`).
    dv : grsd_sym.certificate.Derivation
        Where the steps are recorded (each symbolic step checked).

    Returns
    -------
    ActionProfile
        Kind and pieces of the action.

    Raises
    ------
    RegionError, NotImplementedError
        Outside the derived cases, with the reason.

    Examples
    --------
    >>> from grsd_sym.certificate import Derivation
    >>> dv = Derivation("EX", "action")
    >>> action_profile(Velocity.of(2, 1, -1), 1, dv).xi_star
    1

    References
    ----------
    GRSD-T14 (characteristics), GRSD-T16 (frontier), GRSD-T17 (effective time).
    """
    if vel is None:
        return _lazy(dv)
    dv.define(sp.Symbol("v"), vel.expr(), f"transport velocity ({vel.c} c)")
    if vel.c == "constant":
        return _constant(vel, d, dv)
    if vel.b == 1:
        return _effective_time(vel, dv)
    return _self_similar(vel, d, dv)
