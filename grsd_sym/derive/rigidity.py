r"""The rigidity lattice: which structural assumptions force which velocity field (GRSD-T10, T11).

The renormalized velocity :math:`v(\lambda, t)` of the GRSD transport PDE (docs/theory/rigidity.md):

==========================================================  =========================================================
assumptions                                                  forced form
==========================================================  =========================================================
``time-rescaling`` / ``log-shift`` (T10)                      :math:`\lambda^2\,\Phi(\lambda t)`
``homogeneous`` (degree :math:`b`)                            :math:`c(t)\,\lambda^b`
T10 + ``separable``                                           :math:`c_0\,t^{b-2}\lambda^b`
T10 + ``autonomous``                                          :math:`c_0\,\lambda^2` (:math:`b = 2` forced)
T10 with ``discrete_shift=h`` + ``separable``                 :math:`c_0\,t^{b-2}\lambda^b P(\log\lambda) Q(\log t)`, :math:`P, Q` h-periodic
==========================================================  =========================================================

Nothing here is a lookup table: each set of assumptions is turned into constraints (finite
group actions, read through their generators), and :func:`~grsd_sym.derive.invariants.invariant_form`
derives the most general solution and verifies the finite functional equations by substitution.

The names:

* ``time-rescaling`` and ``log-shift`` impose the same constraint, GRSD-T10,
  :math:`v(\lambda, t) = k^2 v(\lambda/k, k t)`: T1 (time-rescaling covariance, a theorem of
  gradient flow) maps the system with spectrum shifted by :math:`a = \log k` to one whose
  couplings are shifted; log-shift invariance of the couplings says it is the same system, so
  the covariance becomes an invariance of the renormalized velocity.  Either name (or both)
  imposes it; ``discrete_shift=h`` restricts it to :math:`a \in h\mathbb{Z}` (the shell lattice).
* ``separable``: :math:`v = c(t) f(\lambda)`; ``autonomous``: :math:`v = v(\lambda)`;
  ``homogeneous``: :math:`v(k\lambda, t) = k^b v(\lambda, t)` with degree ``b`` (symbolic unless
  ``degree`` is given).

``c_0`` denotes the free constant amplitude (any real number: the conditions are linear and
homogeneous in ``v``; with the convention :math:`v = \sigma c\lambda^b`, :math:`c_0 > 0`).

>>> from grsd_sym.derive.rigidity import derive_velocity
>>> form = derive_velocity(["time-rescaling", "separable"])
>>> form.expr
c_0*lambda**b*t**(b - 2)
>>> form.verified
True
"""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Iterable, Mapping
from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef

from grsd_sym import symbols as S
from grsd_sym.certificate import Certificate, Derivation
from grsd_sym.derive.invariants import (
    Independence,
    InvariantForm,
    ScalingInvariance,
    Separability,
    encode_periodic,
    finite_residual,
    invariant_form,
    split_integer_periods,
)
from grsd_sym.derive.symmetry import scaling_group
from grsd_sym.display import RichDisplay
from grsd_sym.errors import AssumptionError, GRSDError, InputError

__all__ = [
    "ASSUMPTIONS",
    "VelocityForm",
    "VelocityCheck",
    "constraints_for",
    "derive_velocity",
    "check_velocity",
    "parse_velocity",
    "LATTICE",
    "P_fn",
    "Q_fn",
    "V_SYMBOL",
]

#: valid assumption names and what they mean
ASSUMPTIONS: dict[str, str] = {
    "time-rescaling": "GRSD-T10: v(lambda, t) = k^2 v(lambda/k, k t) for all k > 0 "
    "(T1 covariance made an invariance by log-shift invariance of the couplings)",
    "log-shift": "GRSD-T10 (same constraint as time-rescaling): log-shift invariance of the "
    "renormalized couplings; with --discrete-shift h only for shifts a in hZ",
    "separable": "v(lambda, t) = c(t) f(lambda)",
    "autonomous": "v = v(lambda): no explicit time dependence",
    "homogeneous": "v(k lambda, t) = k^b v(lambda, t) (spectral homogeneity of degree b)",
}

#: the dependent variable of the graph v = v(lambda, t)
V_SYMBOL = sp.Symbol("v", real=True)
#: h-periodic modulation functions of the discrete rows
P_fn = sp.Function("P")
Q_fn = sp.Function("Q")

#: the rows of the GRSD-T11 table: (assumption names, discrete shift)
LATTICE: tuple = (
    (("time-rescaling",), None),
    (("homogeneous",), None),
    (("time-rescaling", "separable"), None),
    (("time-rescaling", "autonomous"), None),
    (("log-shift", "separable"), S.h),
)

_T10_NAME = "T10"


def _normalize_names(assume) -> list[str]:
    if isinstance(assume, str):
        assume = [assume]
    names = []
    for item in assume:
        for part in str(item).split(","):
            nm = part.strip().lower().replace("_", "-")
            if nm:
                names.append(nm)
    bad = [n for n in names if n not in ASSUMPTIONS]
    if bad:
        raise AssumptionError(
            f"unknown assumption{'s' if len(bad) > 1 else ''} {', '.join(map(repr, bad))}; "
            f"valid: {', '.join(ASSUMPTIONS)}"
        )
    return list(dict.fromkeys(names))


def _parse_number(x, what: str):
    if x is None:
        return None
    if isinstance(x, sp.Basic):
        val = x
    elif isinstance(x, float):
        val = sp.nsimplify(x, rational=True)
    else:
        from grsd_sym.parsing import parse_expression

        try:
            val = parse_expression(str(x), symbols={"h": S.h, "b": S.b}, name=what, default_functions=False)
        except InputError as exc:
            raise AssumptionError(str(exc)) from None
    if val.free_symbols - {S.h, S.b} or not (val.is_real or val.free_symbols):
        raise AssumptionError(f"{what} must be a real number (or the symbol h/b), got {x!r}")
    return val


def constraints_for(assume: Iterable[str], *, discrete_shift: Any = None, degree: Any = None) -> tuple[list[str], list]:
    """Assumption names -> (normalized names, constraints on ``v(lambda, t)``).

    Parameters
    ----------
    assume : iterable of str
        Assumption names (:data:`ASSUMPTIONS`).
    discrete_shift : number, str or None
        ``h`` of a discrete log shift.
    degree : number, str or None
        Homogeneity degree ``b``.

    Returns
    -------
    tuple
        ``(normalized names, constraints on v(lambda, t))``.

    Raises
    ------
    AssumptionError
        On unknown names, a bad value or a degree without ``homogeneous``.

    Examples
    --------
    >>> constraints_for(["time-rescaling"])[0]
    ['time-rescaling']
    """
    names = _normalize_names(assume)
    h_ = _parse_number(discrete_shift, "the discrete shift h")
    deg = _parse_number(degree, "the homogeneity degree")
    if h_ is not None:
        if h_.is_positive is not True:
            raise AssumptionError(f"the discrete shift h must be > 0, got {h_}")
        if "log-shift" not in names:
            names.append("log-shift")  # a discrete shift is a (restricted) log-shift invariance
    if deg is not None and "homogeneous" not in names:
        raise AssumptionError("a degree was given but not the assumption 'homogeneous'")
    if not names:
        raise AssumptionError(
            "no assumptions: v(lambda, t) is unconstrained; give at least one of " + ", ".join(ASSUMPTIONS)
        )
    cons: list = []
    if "time-rescaling" in names or "log-shift" in names:
        # the finite action R_a read through its generator (derivative at a = 0)
        grp = scaling_group({S.lam: 1, S.t: -1, V_SYMBOL: 2})
        X = grp.generator()
        cons.append(
            ScalingInvariance(
                {S.lam: sp.simplify(X.coeff(S.lam) / S.lam), S.t: sp.simplify(X.coeff(S.t) / S.t)},
                sp.simplify(X.coeff(V_SYMBOL) / V_SYMBOL),
                name=_T10_NAME + (" (discrete)" if h_ is not None else ""),
                step=h_,
            )
        )
    if "homogeneous" in names:
        cons.append(ScalingInvariance({S.lam: 1}, deg if deg is not None else S.b, name="homogeneous"))
    if "autonomous" in names:
        cons.append(Independence(S.t, name="autonomous"))
    if "separable" in names:
        cons.append(Separability(((S.lam,), (S.t,)), name="separable"))
    return names, cons


# --------------------------------------------------------------------------------------
# results
# --------------------------------------------------------------------------------------


def _s(x) -> str:
    return str(x)


@dataclasses.dataclass(repr=False)
class VelocityForm(RichDisplay):
    """The forced form of ``v(lambda, t)`` with what is free in it and the certificate (GRSD-T11).

    Attributes
    ----------
    expr : sympy.Expr
        The form.
    assumptions, constraints : list of str
        The assumptions' names and the constraints they impose.
    free_functions, periodic, conditions : dict
        ``{F: args}``; ``{F: (index, h)}``; forced parameter values.
    free_constants, free_exponents : list
        What else is free.
    certificate : Certificate
        The checked derivation.
    seconds : float
        Wall time.
    discrete_shift : optional
        ``h`` of a discrete log shift.

    Examples
    --------
    >>> f = derive_velocity(["time-rescaling"])
    >>> f.equation, f.verified
    (Eq(v(lambda, t), lambda**2*Phi(lambda*t)), True)
    """

    expr: sp.Expr
    assumptions: list[str]
    constraints: list[str]
    free_functions: dict
    periodic: dict
    free_constants: list
    free_exponents: list
    conditions: dict
    certificate: Certificate
    seconds: float
    discrete_shift: object = None

    def _display_parts(self):
        ok = "verified" if self.certificate.verified else "NOT VERIFIED"
        return (
            "VelocityForm",
            r"v(\lambda, t)",
            self.expr,
            f"{', '.join(self.assumptions)}; {ok}",
            [f"free: {', '.join(map(str, self.free_functions))}" if self.free_functions else "no free function"],
        )

    @property
    def verified(self) -> bool:
        """Whether the certificate is verified."""
        return self.certificate.verified

    @property
    def equation(self) -> sp.Eq:
        """``Eq(v(lambda, t), expr)``."""
        return sp.Eq(S.v(S.lam, S.t), self.expr)

    def to_dict(self) -> dict:
        """JSON-ready record (``grsd derive --json``)."""
        return {
            "form": _s(self.expr),
            "latex": sp.latex(self.equation),
            "assumptions": list(self.assumptions),
            "constraints": list(self.constraints),
            "free_functions": {_s(F): [_s(x) for x in args] for F, args in self.free_functions.items()},
            "periodic": {_s(F): {"argument": int(i), "period": _s(p)} for F, (i, p) in self.periodic.items()},
            "free_constants": [_s(c_) for c_ in self.free_constants],
            "free_exponents": [_s(e) for e in self.free_exponents],
            "forced": {_s(k_): _s(v_) for k_, v_ in self.conditions.items()},
            "discrete_shift": None if self.discrete_shift is None else _s(self.discrete_shift),
            "verified": self.verified,
            "seconds": round(self.seconds, 4),
            "certificate": self.certificate.to_dict(),
        }

    def summary(self) -> str:
        """Multi-line text for the terminal."""
        lines = [f"v(lambda, t) = {self.expr}"]
        lines.append(f"  assumptions: {', '.join(self.assumptions)}")
        for c_ in self.constraints:
            lines.append(f"    - {c_}")
        if self.free_functions:
            parts = []
            for F, args in self.free_functions.items():
                txt = f"{F}({', '.join(map(str, args))})"
                if F in self.periodic:
                    i, p = self.periodic[F]
                    txt += f" [{p}-periodic in {args[i]}]"
                parts.append(txt)
            lines.append("  free functions: " + "; ".join(parts))
        if self.free_constants:
            lines.append("  free constants: " + ", ".join(map(str, self.free_constants)))
        if self.free_exponents:
            lines.append("  free exponents: " + ", ".join(map(str, self.free_exponents)))
        if self.conditions:
            lines.append("  forced: " + ", ".join(f"{k_} = {v_}" for k_, v_ in self.conditions.items()))
        lines.append("  certificate: " + self.certificate.summary().split("\n")[0].strip())
        return "\n".join(lines)


@dataclasses.dataclass(repr=False)
class VelocityCheck(RichDisplay):
    """Outcome of :func:`check_velocity`: verified, or refused with the residuals that do not vanish.

    Attributes
    ----------
    expr : sympy.Expr
        The claimed velocity, as parsed.
    assumptions : list of str
        The assumptions' names.
    verified : bool
        The verdict.
    certificate : Certificate
        The checked steps.
    failures : list
        ``(constraint, simplified residual, parameter values making it vanish)`` per failure.
    note : str
        What the verdict means.
    seconds : float
        Wall time.

    Examples
    --------
    >>> c = check_velocity("lambda")  # v(k lambda, t/k) = k v, not k^2 v
    >>> c.verified, c.failures[0][1]
    (False, -k*lambda*(k - 1))
    """

    expr: sp.Expr
    assumptions: list[str]
    verified: bool
    certificate: Certificate
    failures: list  # (constraint description, simplified residual, values of parameters making it vanish)
    note: str
    seconds: float

    def _display_parts(self):
        return (
            "VelocityCheck",
            r"v(\lambda, t)",
            self.expr,
            f"{', '.join(self.assumptions)}; {'verified' if self.verified else 'REFUSED'}",
            [self.note],
        )

    def to_dict(self) -> dict:
        """JSON-ready record (``grsd derive --check --json``)."""
        return {
            "claim": _s(self.expr),
            "assumptions": list(self.assumptions),
            "verified": self.verified,
            "failures": [
                {"constraint": c_, "residual": _s(r_), "vanishes_iff": [f"{x.lhs} = {x.rhs}" for x in v_]}
                for c_, r_, v_ in self.failures
            ],
            "note": self.note,
            "seconds": round(self.seconds, 4),
            "certificate": self.certificate.to_dict(),
        }

    def summary(self) -> str:
        """Multi-line text for the terminal: the verdict and each failing residual."""
        head = "VERIFIED" if self.verified else f"REFUSED ({self.certificate.verdict})"
        lines = [f"{head}: v(lambda, t) = {self.expr} under {', '.join(self.assumptions)}"]
        for c_, r_, v_ in self.failures:
            lines.append(f"  fails {c_}")
            lines.append(f"    residual: {r_}  (does not vanish)")
            if v_:
                lines.append("    it vanishes only for: " + ", ".join(f"{x.lhs} = {x.rhs}" for x in v_))
        for st in self.certificate.steps:
            cx = st.check.counterexample if st.check is not None else None
            if cx is not None:
                res = cx.get("residual") or {}
                lines.append(
                    f"    counterexample: {cx.get('point')}: residual = {res.get('mid_re')} "
                    f"+ {res.get('mid_im')} i (+/- {res.get('rad')})"
                )
        if self.note:
            lines.append(f"  {self.note}")
        lines.append("  certificate: " + self.certificate.summary().split("\n")[0].strip())
        return "\n".join(lines)


# --------------------------------------------------------------------------------------
# derive
# --------------------------------------------------------------------------------------


def _canonical_names(form: InvariantForm) -> dict:
    """Rename the engine's free functions to the theory's names (Phi, c, P, Q)."""
    ren = {}
    used = set()
    for F, args in form.free_functions.items():
        per = form.periodic.get(F)
        if per is not None and len(args) == 1 and args[0] == sp.log(S.lam):
            nm = "P"
        elif per is not None and len(args) == 1 and args[0] == sp.log(S.t):
            nm = "Q"
        elif per is None and len(args) == 1 and args[0] == S.t:
            nm = "c"
        else:
            nm = "Phi"
        base, i = nm, 1
        while nm in used:
            i += 1
            nm = f"{base}_{i}"
        used.add(nm)
        ren[F] = sp.Function(nm)
    return ren


def derive_velocity(
    assume: Iterable[str] = ("time-rescaling",),
    discrete_shift: Any = None,
    *,
    degree: Any = None,
    derivation: Derivation | None = None,
) -> VelocityForm:
    r"""Derive the forced form of :math:`v(\lambda, t)` under the named assumptions (GRSD-T11).

    Returns a :class:`VelocityForm` (SymPy expression, free functions/constants/exponents,
    forced parameter values, certificate).  ``degree`` fixes the homogeneity degree ``b``;
    ``discrete_shift=h`` restricts the log shift to :math:`a \in h\mathbb{Z}`.  Unknown names or
    a contradictory set raise :class:`~grsd_sym.errors.AssumptionError`.

    Parameters
    ----------
    assume : iterable of str
        Assumption names (:data:`ASSUMPTIONS`).
    discrete_shift : number, str or None
        ``h``: the log shift only for :math:`a \in h\mathbb{Z}`.
    degree : number, str or None
        Homogeneity degree ``b``.
    derivation : Derivation or None
        Where to record the steps.

    Returns
    -------
    VelocityForm
        The forced form and its certificate.

    Raises
    ------
    AssumptionError
        Unknown names or a contradictory set.

    Examples
    --------
    >>> derive_velocity(["time-rescaling", "autonomous"]).expr
    c_0*lambda**2
    """
    t0 = time.perf_counter()
    names, cons = constraints_for(assume, discrete_shift=discrete_shift, degree=degree)
    dv = (
        derivation
        if derivation is not None
        else Derivation("DERIVE-VELOCITY", f"forced velocity under {', '.join(names)}", provenance="derived")
    )
    dv.assume(
        "v(lambda, t) is a differentiable nonzero function of lambda > 0, t > 0 of one sign "
        "(log coordinates W = log|v|); v = 0 is the trivial solution"
    )
    try:
        form = invariant_form(
            [S.lam, S.t], cons, dep=V_SYMBOL, constant=S.c0, exponent_names={S.lam: S.b}, derivation=dv
        )
    except AssumptionError as exc:
        raise AssumptionError(_explain_contradiction(names, discrete_shift, degree) or str(exc)) from None
    ren = _canonical_names(form)
    expr = form.expr.replace(lambda z: isinstance(z, AppliedUndef) and z.func in ren, lambda z: ren[z.func](*z.args))
    if ren:
        dv.define(V_SYMBOL, expr, "free functions named as in docs/theory/rigidity.md (Phi, c, P, Q)")
    if dv.statement is None:
        dv.conclude(sp.Eq(S.v(S.lam, S.t), expr))
    cert = dv.certificate()
    return VelocityForm(
        expr=expr,
        assumptions=names,
        constraints=[c_.describe("v") for c_ in cons],
        free_functions={ren.get(F, F): a_ for F, a_ in form.free_functions.items()},
        periodic={ren.get(F, F): p_ for F, p_ in form.periodic.items()},
        free_constants=form.free_constants,
        free_exponents=form.free_exponents,
        conditions=form.conditions,
        certificate=cert,
        seconds=time.perf_counter() - t0,
        discrete_shift=_parse_number(discrete_shift, "the discrete shift h"),
    )


def _explain_contradiction(names, discrete_shift, degree) -> str | None:
    """Re-derive with a symbolic degree to say *which* value the other assumptions force."""
    if degree is None or "homogeneous" not in names:
        return None
    try:
        _, cons = constraints_for(names, discrete_shift=discrete_shift)
        form = invariant_form([S.lam, S.t], cons, dep=V_SYMBOL, verify=False)
    except GRSDError:
        return None
    forced = form.conditions.get(S.b)
    if forced is None:
        return None
    others = [n for n in names if n != "homogeneous"]
    return (
        f"contradictory assumptions: {', '.join(others)} force the homogeneity degree b = {forced} "
        f"(GRSD-T11), but 'homogeneous' was given degree {degree}; only v = 0 satisfies them all"
    )


# --------------------------------------------------------------------------------------
# check a claimed form
# --------------------------------------------------------------------------------------

_PARSE_LOCALS = {
    "lam": S.lam,
    "lambda_": S.lam,
    "t": S.t,
    "b": S.b,
    "c0": S.c0,
    "c_0": S.c0,
    "h": S.h,
    "Phi": S.Phi,
    "c": S.c,
    "P": P_fn,
    "Q": Q_fn,
    "sigma": S.sigma,
    "d": S.d,
    "kappa": S.kappa,
    "xi": S.xi,
    "A": S.A,
    "e": sp.E,
    "pi": sp.pi,
    "exp": sp.exp,
    "log": sp.log,
}


def parse_velocity(text: str) -> sp.Expr:
    """Parse a user's claimed velocity with the canonical symbols.

    ``lambda`` (a Python keyword) and ``λ`` map to the positive symbol ``lambda``; ``^`` is a
    power; ``t``, ``b``, ``c0``, ``h`` and the functions ``Phi``, ``c``, ``P``, ``Q`` are the
    theory's.  Floats are converted to exact rationals.

    Parameters
    ----------
    text : str
        The claim, e.g. ``'c0*lambda**b'``.

    Returns
    -------
    sympy.Expr
        In the theory's symbols, exact.

    Raises
    ------
    InputError
        On empty or unreadable text (nothing is executed).

    Examples
    --------
    >>> parse_velocity("c0*lambda^b*t^(b-2)")
    c_0*lambda**b*t**(b - 2)
    """
    from grsd_sym.parsing import parse_expression

    if not isinstance(text, str) or not text.strip():
        raise InputError("the claimed velocity must be a non-empty expression such as 'c0*lambda**b'")
    src = text.replace("λ", "lam").replace("Λ", "lam")
    src = re.sub(r"\blambda\b", "lam", src)
    names = {k: v for k, v in _PARSE_LOCALS.items() if isinstance(v, sp.Basic)}
    funcs = {k: v for k, v in _PARSE_LOCALS.items() if k not in names}
    expr = parse_expression(src, symbols=names, functions=funcs, name="the claimed velocity")
    expr = sp.nsimplify(expr, rational=True) if expr.atoms(sp.Float) else expr
    if not isinstance(expr, sp.Expr):
        raise InputError(f"the claimed velocity must be an expression, got {expr!r}")
    return expr


def _simplify_residual(r) -> sp.Expr:
    """The residual tidied for display by rewrites valid on the domain (no forced powsimp)."""
    try:
        return sp.factor(sp.powsimp(sp.expand_power_base(sp.expand(r))))
    except Exception:
        return r


def check_velocity(
    expr: Any,
    assume: Iterable[str] = ("time-rescaling",),
    discrete_shift: Any = None,
    *,
    degree: Any = None,
    periodic: Mapping | None = None,
) -> VelocityCheck:
    r"""Check a claimed velocity against the assumptions' finite functional equations.

    Each constraint's residual (e.g. :math:`v(k\lambda, t/k) - k^2 v(\lambda, t)` for symbolic
    :math:`k`) must vanish symbolically and numerically.  Under a discrete shift the functions
    ``P`` and ``Q`` (or those named in ``periodic``: ``{F: (argument index, period)}``) are
    treated as h-periodic.  A refusal reports the residual that does not vanish and, where
    solvable, the parameter values for which it would.

    Parameters
    ----------
    expr : str or sympy.Expr
        The claim (text through :func:`parse_velocity`).
    assume : iterable of str
        Assumption names.
    discrete_shift : number, str or None
        ``h`` of a discrete log shift.
    degree : number, str or None
        Homogeneity degree.
    periodic : mapping or None
        ``{F: (argument index, period)}``.

    Returns
    -------
    VelocityCheck
        Verified, or refused with the residuals.

    Raises
    ------
    InputError, AssumptionError
        On a claim that cannot be parsed, or bad assumptions.

    Examples
    --------
    >>> check_velocity("c0*lambda**b*t**(b-2)").verified
    True
    """
    t0 = time.perf_counter()
    if isinstance(expr, str):
        expr = parse_velocity(expr)
    expr = sp.sympify(expr, strict=True)
    names, cons = constraints_for(assume, discrete_shift=discrete_shift, degree=degree)
    h_ = _parse_number(discrete_shift, "the discrete shift h")
    per = dict(periodic or {})
    if h_ is not None and not per:
        for app in expr.atoms(AppliedUndef):
            if app.func in (P_fn, Q_fn):
                per[app.func] = (0, h_)
    bad_syms = expr.free_symbols - {S.lam, S.t, S.b, S.c0, S.h, S.sigma, S.d, S.kappa, S.A}
    dv = Derivation("CHECK-VELOCITY", f"claimed v = {expr} under {', '.join(names)}")
    claim_rel = sp.Eq(S.v(S.lam, S.t), expr)
    dv.assume(f"claim: v(lambda, t) = {expr}", claim_rel)
    failures = []
    for c_ in cons:
        res = finite_residual(expr, c_, "v")
        if isinstance(c_, ScalingInvariance) and c_.discrete and per:
            res = split_integer_periods(encode_periodic(res, per), [sp.Symbol("m", integer=True)])
            res = sp.expand_power_base(sp.expand(res), force=True)
        reason = f"finite equation of {c_.describe('v')}"
        # the same checker as every proof: a sound zero test (no forced rewrites) and the
        # refuting witness over the whole domain; a counterexample refuses the claim at once
        st = dv.zero(res, reason)
        if not st.passed:
            simp = _simplify_residual(res)
            failures.append((c_.describe("v"), simp, _vanishing_values(simp)))
    checked = [s_ for s_ in dv.steps if s_.checked]
    if checked:  # the claim: every finite equation of the assumptions holds for v = expr
        eqs = checked[0].statement if len(checked) == 1 else sp.And(*[s_.statement for s_ in checked])
        dv.conclude(sp.Implies(claim_rel, eqs))
    cert = dv.certificate()
    note = ""
    if cert.verified:
        note = _generality_note(expr, names, discrete_shift, degree)
    if bad_syms:
        note = (
            note + " " if note else ""
        ) + f"(symbols {sorted(map(str, bad_syms))} are not canonical; treated as real constants)"
    return VelocityCheck(
        expr=expr,
        assumptions=names,
        verified=cert.verified,
        certificate=cert,
        failures=failures,
        note=note,
        seconds=time.perf_counter() - t0,
    )


def _vanishing_values(res) -> list:
    """Values of ``b`` (if present) for which the residual vanishes identically (checked)."""
    if not (isinstance(res, sp.Expr) and res.has(S.b)):
        return []
    out = []
    try:
        k_ = sp.Symbol("k", positive=True)
        probe = res.subs({k_: 2, S.lam: sp.Rational(3, 2), S.t: sp.Rational(5, 7)})
        for sol in sp.solve(probe, S.b):
            if sol.is_real and sp.simplify(res.subs(S.b, sol)) == 0:
                out.append(sp.Eq(S.b, sol))
    except Exception:
        return []
    return out


def _generality_note(expr, names, discrete_shift, degree) -> str:
    try:
        form = derive_velocity(names, discrete_shift, degree=degree)
    except GRSDError:
        return ""
    gen = form.expr
    if not form.free_functions:
        ratio = sp.simplify(sp.powsimp(expr / gen.subs(S.c0, 1), force=True))
        if not (ratio.free_symbols & {S.lam, S.t}):
            return f"it is the forced form {gen} with c0 = {ratio}"
    return f"the claim satisfies the assumptions; the most general form is {gen}"
