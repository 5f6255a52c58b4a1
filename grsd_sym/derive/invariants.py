r"""The most general function invariant under scaling symmetries and structural assumptions.

Setting: a graph :math:`u = f(x_1, \dots, x_n)` with positive :math:`x_i` (GRSD: :math:`u = v`,
:math:`x = (\lambda, t)`).  Constraints:

* :class:`ScalingInvariance` -- :math:`f(k^{p_1}x_1, \dots, k^{p_n}x_n) = k^r f(x)` for all
  :math:`k = e^a > 0` (continuous), or only for :math:`a \in h\mathbb{Z}` (discrete, ``step=h``);
* :class:`Independence` -- :math:`\partial_{x_i} f = 0` (e.g. time-autonomy);
* :class:`Separability` -- :math:`f = \prod_B f_B(x_B)` over a partition of the variables.

**Method** (GRSD-T10, T11).  A continuous group's generator
:math:`\sum_i p_i x_i\partial_{x_i} + r u\,\partial_u` (the derivative of the finite action at
:math:`a = 0`) gives the invariant surface condition :math:`\sum_i p_i x_i\,\partial_i f = r f`.
In log coordinates :math:`Y_i = \log x_i`, :math:`W = \log|f|` it has constant coefficients,

.. math::  P\,\nabla_Y W = r ,

a linear first-order system solved by characteristics: :math:`W = c\cdot Y + \Psi(LY)`, with
:math:`Pc = r` (solvable iff :math:`y^T r = 0` for every :math:`y^T P = 0`: the *consistency
conditions*, which may force parameters such as :math:`b = 2` or contradict the assumptions), and
the rows of :math:`L` a basis of :math:`\ker P` (the characteristic invariants
:math:`\zeta_m = \prod_i x_i^{L_{mi}}`).  A discrete group :math:`a \in h\mathbb{Z}` gives the
difference equation :math:`\Psi(\zeta + hq) = \Psi(\zeta) + h\rho`, solved by
:math:`\Psi = \rho\,\theta + \Pi` with :math:`\Pi` **h-periodic** in a coordinate :math:`\theta`
(:math:`w\cdot q = 1`).  Separability writes :math:`W = \sum_B \alpha_B(Y_B)`; each block's share
of each equation is then a constant (functions of disjoint variables summing to a constant),
so every block is solved by the same routine with unknown separation constants
:math:`\mu_{jB}`, :math:`\sum_B \mu_{jB} = r_j`, and the linear system for the constants leaves
the free exponents.

Every result is then **checked**: the *finite* functional equation of each constraint is
verified by substitution for a symbolic group parameter :math:`k` (or :math:`a = m h` with
symbolic integer :math:`m` for a discrete group, with the periodic functions encoded as Fourier
series with symbolic coefficients), and the infinitesimal conditions by substitution; each is a
checked step of a :class:`~grsd_sym.certificate.Derivation` (symbolic zero + numeric witness).

>>> import sympy as sp
>>> from grsd_sym.symbols import lam, t
>>> form = invariant_form([lam, t], [ScalingInvariance({lam: 1, t: -1}, 2, name="T10")])
>>> form.expr
lambda**2*F_1(lambda*t)
>>> form.certificate.verified
True
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef

from grsd_sym.certificate import Certificate, Derivation
from grsd_sym.errors import AssumptionError, DerivationError, InputError
from grsd_sym.parsing import exact_value, theory_symbols

__all__ = [
    "ScalingInvariance",
    "Independence",
    "Separability",
    "InvariantForm",
    "invariant_form",
    "finite_residual",
    "encode_periodic",
    "split_integer_periods",
]

_K = sp.Symbol("k", positive=True)  # group parameter k = e^a (continuous)
_M = sp.Symbol("m", integer=True)  # group element a = m h (discrete)
_SHIFT = sp.Symbol("tau_0", positive=True)  # a translation (independence)
FOURIER_TERMS = 2


def _rat(x) -> sp.Expr:
    if isinstance(x, str):  # text through the safe parser, with the theory's symbols
        return exact_value(x, symbols=theory_symbols())
    return sp.nsimplify(x, rational=True) if isinstance(x, float) else sp.sympify(x, strict=True)


# --------------------------------------------------------------------------------------
# constraints
# --------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ScalingInvariance:
    r""":math:`f(k^{p}x) = k^{r} f(x)` for all :math:`k>0` (or :math:`k = e^{mh}`, :math:`m\in\mathbb{Z}`).

    Attributes
    ----------
    weights : mapping of sympy.Symbol to rational
        ``weights[x] = p_x`` (the group).
    degree : number or SymPy expression
        ``r``; may be symbolic (e.g. a homogeneity degree ``b``).
    name : str
        Label in messages and certificates.
    step : number or None
        ``h`` of a discrete group (:math:`k = e^{mh}`), or ``None``.

    Examples
    --------
    >>> x = sp.Symbol("x", positive=True)
    >>> ScalingInvariance({x: 1}, 2).describe()
    'scaling: u(k*x) = k^(2) u(...) for all k > 0'
    """

    weights: Mapping[sp.Symbol, object]
    degree: object
    name: str = "scaling"
    step: object = None  # h for a discrete group a in hZ

    def __post_init__(self) -> None:
        w = {x: _rat(p) for x, p in dict(self.weights).items()}
        for x, p in w.items():
            if not p.is_Rational:
                raise InputError(f"{self.name}: the weight of {x} must be a rational number, got {p}")
        object.__setattr__(self, "weights", w)
        object.__setattr__(self, "degree", _rat(self.degree))
        if self.step is not None:
            st = _rat(self.step)
            if st.is_positive is False or st.is_zero:
                raise InputError(f"{self.name}: the discrete step h must be > 0, got {st}")
            object.__setattr__(self, "step", st)

    @property
    def discrete(self) -> bool:
        """A discrete group (``step`` given)."""
        return self.step is not None

    def describe(self, dep: str = "u") -> str:
        """The constraint in words, for the graph ``dep``."""
        args = ", ".join(f"k^({p})*{x}" if p != 1 else f"k*{x}" for x, p in self.weights.items())
        dom = f"k = exp(m*{self.step}), m integer" if self.discrete else "all k > 0"
        return f"{self.name}: {dep}({args}) = k^({self.degree}) {dep}(...) for {dom}"


@dataclasses.dataclass(frozen=True)
class Independence:
    r""":math:`\partial_{x} f = 0`: ``f`` does not depend on ``var`` (e.g. time-autonomy).

    Attributes
    ----------
    var : sympy.Symbol
        The variable.
    name : str
        Label in messages and certificates.

    Examples
    --------
    >>> Independence(sp.Symbol("t", positive=True)).describe()
    'independence: u does not depend on t'
    """

    var: sp.Symbol
    name: str = "independence"

    def describe(self, dep: str = "u") -> str:
        """The constraint in words, for the graph ``dep``."""
        return f"{self.name}: {dep} does not depend on {self.var}"


@dataclasses.dataclass(frozen=True)
class Separability:
    r""":math:`f = \prod_B f_B(x_B)` over the blocks (a partition of the variables).

    Attributes
    ----------
    blocks : tuple of tuples of sympy.Symbol
        The partition.
    name : str
        Label in messages and certificates.

    Examples
    --------
    >>> x, y = sp.symbols("x y", positive=True)
    >>> Separability(((x,), (y,))).describe()
    'separable: u = f_1(x) * f_2(y)'
    """

    blocks: tuple
    name: str = "separable"

    def __post_init__(self) -> None:
        object.__setattr__(self, "blocks", tuple(tuple(b_) for b_ in self.blocks))

    def describe(self, dep: str = "u") -> str:
        """The constraint in words, for the graph ``dep``."""
        return f"{self.name}: {dep} = " + " * ".join(
            f"f_{i + 1}({', '.join(map(str, b_))})" for i, b_ in enumerate(self.blocks)
        )


# --------------------------------------------------------------------------------------
# periodic functions: encoding and residual preparation
# --------------------------------------------------------------------------------------


def _fourier_periodic(
    arg: sp.Expr, period: sp.Expr, tag: str, terms: int = FOURIER_TERMS, coeff_args: Sequence[sp.Expr] = ()
) -> tuple[sp.Expr, list]:
    r"""A general ``period``-periodic function of ``arg`` as a truncated Fourier series.

    .. math::  P(x) = A_0 + \sum_{n=1}^{N} A_n\cos(2\pi n x/h) + B_n\sin(2\pi n x/h)

    with symbolic coefficients (undefined functions of ``coeff_args`` when given, so that the
    dependence on the other invariants stays general).  Returns the series and its coefficients.
    """

    def coef(name):
        if coeff_args:
            return sp.Function(f"{tag}_{name}")(*coeff_args)
        return sp.Symbol(f"{tag}_{name}", real=True)

    cs = [coef("A0")]
    series = cs[0]
    for n in range(1, terms + 1):
        An, Bn = coef(f"A{n}"), coef(f"B{n}")
        cs += [An, Bn]
        w = 2 * sp.pi * n * arg / period
        series += An * sp.cos(w) + Bn * sp.sin(w)
    return series, cs


def encode_periodic(expr: sp.Expr, periodic: Mapping, terms: int = FOURIER_TERMS) -> sp.Expr:
    """Replace each periodic free function by its Fourier series (``periodic[F] = (index, h)``).

    Parameters
    ----------
    expr : sympy.Expr
        A form with free functions.
    periodic : mapping
        ``periodic[F] = (index, h)``.
    terms : int
        Fourier terms kept.

    Returns
    -------
    sympy.Expr
        With free Fourier coefficients.

    Examples
    --------
    >>> x = sp.Symbol("x", positive=True)
    >>> P = sp.Function("P")
    >>> encode_periodic(P(x), {P: (0, 1)}, terms=1)
    P_A0 + P_A1*cos(2*pi*x) + P_B1*sin(2*pi*x)
    """

    def rep(app):
        idx, period = periodic[app.func]
        others = [x for i, x in enumerate(app.args) if i != idx]
        ser, _ = _fourier_periodic(app.args[idx], period, str(app.func), terms, others)
        return ser

    return expr.replace(lambda z: isinstance(z, AppliedUndef) and z.func in periodic, rep)


def split_integer_periods(expr: sp.Expr, integers: Sequence[sp.Symbol]) -> sp.Expr:
    r"""Expand ``log`` arguments and split :math:`\cos(A + B)`, :math:`\sin(A+B)` where ``B``
    collects the terms containing the integer symbols (addition theorems; SymPy then evaluates
    :math:`\cos(2\pi n m) = 1`, :math:`\sin(2\pi n m) = 0` for integer :math:`n m`).

    Parameters
    ----------
    expr : sympy.Expr
        The expression.
    integers : sequence of sympy.Symbol
        The integer symbols.

    Returns
    -------
    sympy.Expr
        With the integer periods split off.

    Examples
    --------
    >>> x, m = sp.Symbol("x", positive=True), sp.Symbol("m", integer=True)
    >>> split_integer_periods(sp.cos(x + 2 * sp.pi * m), [m])
    cos(x)
    """
    ints = set(integers)

    def split(z):
        arg = sp.expand(sp.expand_log(z.args[0], force=True))
        B = sp.Add(*[term for term in sp.Add.make_args(arg) if term.free_symbols & ints])
        A = arg - B
        if B == 0:
            return z.func(arg)
        if isinstance(z, sp.cos):
            return sp.cos(A) * sp.cos(B) - sp.sin(A) * sp.sin(B)
        return sp.sin(A) * sp.cos(B) + sp.cos(A) * sp.sin(B)

    return expr.replace(lambda z: isinstance(z, (sp.sin, sp.cos)), split)


def finite_residual(
    expr: sp.Expr, constraint: ScalingInvariance | Independence | Separability, dep_name: str = "u"
) -> sp.Expr:
    r"""The finite functional equation of ``constraint`` applied to ``u = expr`` (zero iff it holds).

    * scaling: :math:`u(k^p x) - k^r u(x)` with symbolic :math:`k > 0`, or with
      :math:`k = e^{mh}`, symbolic integer :math:`m`, for a discrete group;
    * independence: :math:`u(x + \tau_0) - u(x)`;
    * separability: :math:`u\,\partial_i\partial_j u - \partial_i u\,\partial_j u` for ``i``, ``j``
      in different blocks (zero iff :math:`\log|u|` is a sum of block functions, for :math:`u \ne 0`).

    Parameters
    ----------
    expr : sympy.Expr
        The candidate ``u``.
    constraint : ScalingInvariance, Independence or Separability
        The constraint.
    dep_name : str
        Name of ``u`` in messages.

    Returns
    -------
    sympy.Expr
        A matrix for several block pairs.

    Examples
    --------
    >>> x = sp.Symbol("x", positive=True)
    >>> finite_residual(x**2, ScalingInvariance({x: 1}, 2))
    0
    """
    expr = sp.sympify(expr, strict=True)
    if isinstance(constraint, ScalingInvariance):
        kk = sp.exp(_M * constraint.step) if constraint.discrete else _K
        moved = expr.subs({x: kk**p * x for x, p in constraint.weights.items()}, simultaneous=True)
        return moved - kk**constraint.degree * expr
    if isinstance(constraint, Independence):
        return expr.subs(constraint.var, constraint.var + _SHIFT) - expr
    if isinstance(constraint, Separability):
        out = []
        for i, B1 in enumerate(constraint.blocks):
            for B2 in constraint.blocks[i + 1 :]:
                for x in B1:
                    for y in B2:
                        out.append(expr * sp.diff(expr, x, y) - sp.diff(expr, x) * sp.diff(expr, y))
        return sp.Matrix(out) if len(out) != 1 else out[0]
    raise InputError(f"unknown constraint {constraint!r}")


def _weighted(p_, term: sp.Expr) -> sp.Expr:
    """``p_ * term`` kept unevaluated (and without a printed factor 1)."""
    return term if p_ == 1 else sp.Mul(p_, term, evaluate=False)


def _finite_sides(expr: sp.Expr, constraint: ScalingInvariance | Independence | Separability) -> tuple:
    """The two sides of the finite equation of ``constraint`` for ``u = expr``, unevaluated.

    The difference of the two sides (after ``doit()``) is :func:`finite_residual`; they are
    kept apart, with the substitution and the derivatives unevaluated, so that a certificate
    shows what was checked.  Continuous scaling and independence give ``(u(moved x), k^r u)``,
    separability ``(u d_i d_j u, d_i u d_j u)`` (a matrix over the block pairs if several).
    """
    expr = sp.sympify(expr, strict=True)
    if isinstance(constraint, ScalingInvariance):
        kk = sp.exp(_M * constraint.step) if constraint.discrete else _K
        xs_ = tuple(constraint.weights)
        moved = tuple(kk ** constraint.weights[x] * x for x in xs_)
        return sp.Subs(expr, xs_, moved), kk**constraint.degree * expr
    if isinstance(constraint, Independence):
        return sp.Subs(expr, constraint.var, constraint.var + _SHIFT), expr
    if isinstance(constraint, Separability):
        lhs, rhs = [], []
        for i, B1 in enumerate(constraint.blocks):
            for B2 in constraint.blocks[i + 1 :]:
                for x in B1:
                    for y in B2:
                        lhs.append(sp.Mul(expr, sp.Derivative(expr, x, y), evaluate=False))
                        rhs.append(sp.Mul(sp.Derivative(expr, x), sp.Derivative(expr, y), evaluate=False))
        if len(lhs) == 1:
            return lhs[0], rhs[0]
        return sp.Matrix(lhs), sp.Matrix(rhs)
    raise InputError(f"unknown constraint {constraint!r}")


# --------------------------------------------------------------------------------------
# the result
# --------------------------------------------------------------------------------------


@dataclasses.dataclass
class InvariantForm:
    """The most general invariant graph ``u = expr`` and what is free in it (GRSD-T10).

    Attributes
    ----------
    expr : sympy.Expr
        The form.
    independent, constraints : tuple
        The variables and the constraints imposed.
    free_functions : dict
        ``{F: args}`` (undefined SymPy functions and their arguments).
    periodic : dict
        ``{F: (index, h)}``: ``F`` is ``h``-periodic in argument ``index``.
    free_constants, free_exponents : list
        Overall constant factors; separation constants.
    conditions : dict
        Parameter values forced by consistency (``{b: 2}``).
    certificate : Certificate or None
        The checked derivation (finite equations verified by substitution).
    derivation : Derivation or None
        Its steps.

    Examples
    --------
    >>> x, y = sp.symbols("x y", positive=True)
    >>> f = invariant_form([x, y], [ScalingInvariance({x: 1, y: 1}, 2)])
    >>> f.expr, f.verified
    (x**2*F_1(x/y), True)
    """

    expr: sp.Expr
    independent: tuple
    constraints: tuple
    free_functions: dict
    periodic: dict
    free_constants: list
    free_exponents: list
    conditions: dict
    certificate: Certificate | None = None
    derivation: Derivation | None = None

    @property
    def verified(self) -> bool:
        """The certificate exists and is verified."""
        return self.certificate is not None and self.certificate.verified


# --------------------------------------------------------------------------------------
# linear algebra helpers
# --------------------------------------------------------------------------------------


def _primitive(vec: sp.Matrix) -> sp.Matrix:
    """Scale a rational vector to coprime integers with a positive first nonzero entry."""
    dens = [int(sp.fraction(sp.nsimplify(x))[1]) for x in vec]
    l_ = 1
    for den in dens:  # sp.ilcm / sp.igcd need >= 2 arguments: a 1-vector is a valid input
        l_ = sp.ilcm(l_, den)
    w = vec * l_
    g_ = 0
    for x in w:
        g_ = sp.igcd(g_, int(x))
    g_ = g_ or 1
    w = w / g_
    first = next((x for x in w if x != 0), 1)
    return -w if first < 0 else w


def _solve_block(P: sp.Matrix, r: sp.Matrix, disc, ys: list[sp.Symbol]):
    r"""Solve :math:`P\nabla W = r` (+ optionally :math:`W(Y + h p_d) = W(Y) + h r_d`) in one block.

    Returns ``(conditions, c, invariant_rows, periodic)``: the linear consistency conditions
    (expressions that must vanish), a particular exponent vector, the invariant directions
    (rows), and for a discrete constraint ``(theta_row, rho, h)`` or ``None``.
    """
    n = len(ys)
    J = P.rows
    conds: list[sp.Expr] = []
    if J:
        for y in P.T.nullspace():  # left null space: y^T P = 0  =>  y^T r = 0
            conds.append(sp.expand((y.T * r)[0]))
        # particular solution (free parameters -> 0: they are absorbed by the invariants)
        try:
            sol, params = P.gauss_jordan_solve(r)
            c = sol.subs(dict.fromkeys(params, 0))
        except ValueError:
            # inconsistent for generic parameters: solve the consistent sub-system of pivot rows
            _, piv = P.T.rref()
            Pp = P.extract(list(piv), list(range(n)))
            sol, params = Pp.gauss_jordan_solve(r.extract(list(piv), [0]))
            c = sol.subs(dict.fromkeys(params, 0))
        kernel = [_primitive(v_) for v_ in P.nullspace()]
    else:
        c = sp.zeros(n, 1)
        kernel = [sp.Matrix([1 if i == j else 0 for i in range(n)]) for j in range(n)]
    L = sp.Matrix.hstack(*kernel).T if kernel else sp.zeros(0, n)
    periodic = None
    if disc is not None:
        pd, rd, hstep = disc
        rho = sp.expand(rd - (c.T * pd)[0])
        q = L * pd if L.rows else sp.zeros(0, 1)
        if L.rows == 0 or all(x == 0 for x in q):
            conds.append(rho)  # the discrete element lies in the continuous group
        else:
            j = next(i for i, x in enumerate(q) if x != 0)
            w = sp.zeros(L.rows, 1)
            w[j] = 1 / q[j]
            theta_row = w.T * L  # theta = theta_row . Y, theta(Y + h p_d) = theta + h
            others = [_primitive(v_) for v_ in q.T.nullspace()]  # eta: n . q = 0
            L = (sp.Matrix.hstack(*others).T * L) if others else sp.zeros(0, n)
            L = sp.Matrix.vstack(*[_primitive(L.row(i).T).T for i in range(L.rows)]) if L.rows else L
            periodic = (theta_row, rho, hstep)
    return conds, c, L, periodic


def _monomial(xs, expo_row) -> sp.Expr:
    return sp.Mul(*[x**e for x, e in zip(xs, expo_row, strict=True)])


# --------------------------------------------------------------------------------------
# the engine
# --------------------------------------------------------------------------------------


def invariant_form(
    independent: Sequence[sp.Symbol],
    constraints: Sequence,
    *,
    dep: sp.Symbol | None = None,
    function_names: Sequence[str] | None = None,
    constant: sp.Symbol | None = None,
    exponent_names: Mapping[sp.Symbol, sp.Symbol] | None = None,
    derivation: Derivation | None = None,
    verify: bool = True,
) -> InvariantForm:
    r"""Derive the most general ``u(x)`` satisfying ``constraints`` (see the module docstring).

    ``function_names`` names the free functions in order of appearance (default ``F_1, ...``),
    ``constant`` the overall constant (default ``C_1``), and ``exponent_names[x] = sym`` renames
    a free separation exponent so that the exponent of ``x`` in the result is ``sym``.  Steps
    are recorded on ``derivation`` (a fresh one if ``None``); with ``verify`` the finite
    functional equations are checked by substitution.  A contradictory set of constraints
    raises :class:`~grsd_sym.errors.AssumptionError` (only ``u = 0`` satisfies it).

    Parameters
    ----------
    independent : sequence of sympy.Symbol
        Positive variables.
    constraints : sequence
        :class:`ScalingInvariance`, :class:`Independence`, :class:`Separability`.
    dep : sympy.Symbol or None
        The dependent variable (default ``u``).
    function_names : sequence of str or None
        Names of the free functions.
    constant : sympy.Symbol or None
        The overall constant.
    exponent_names : mapping or None
        Renames of free separation exponents.
    derivation : Derivation or None
        Where to record the steps.
    verify : bool
        Check the finite equations by substitution.

    Returns
    -------
    InvariantForm
        The form, what is free in it, and the certificate.

    Raises
    ------
    InputError, AssumptionError
        On invalid input; for contradictory constraints.

    Examples
    --------
    >>> x, y = sp.symbols("x y", positive=True)
    >>> invariant_form([x, y], [Independence(y)]).expr
    F_1(x)
    """
    xs = tuple(independent)
    if not xs:
        raise InputError("invariant_form needs at least one independent variable")
    for x in xs:
        if not (isinstance(x, sp.Symbol) and x.is_positive):
            raise InputError(f"independent variables must be positive SymPy symbols (log coordinates); got {x!r}")
    dep = dep if dep is not None else sp.Symbol("u", real=True)
    dv = derivation if derivation is not None else Derivation("INVARIANT-FORM", "most general invariant form")
    cont = [c_ for c_ in constraints if isinstance(c_, ScalingInvariance) and not c_.discrete]
    discs = [c_ for c_ in constraints if isinstance(c_, ScalingInvariance) and c_.discrete]
    indeps = [c_ for c_ in constraints if isinstance(c_, Independence)]
    seps = [c_ for c_ in constraints if isinstance(c_, Separability)]
    for c_ in constraints:
        if not isinstance(c_, (ScalingInvariance, Independence, Separability)):
            raise InputError(f"unknown constraint {c_!r}; use ScalingInvariance, Independence, Separability")
        for x in getattr(c_, "weights", {}) or {}:
            if x not in xs:
                raise InputError(f"{c_.name}: {x} is not one of the independent variables {xs}")
        if isinstance(c_, Independence) and c_.var not in xs:
            raise InputError(f"{c_.name}: {c_.var} is not one of the independent variables {xs}")
    if len(discs) > 1:
        raise DerivationError("at most one discrete group is supported")
    if len(seps) > 1:
        raise DerivationError("at most one separability constraint is supported")
    for c_ in constraints:
        dv.assume(c_.describe(str(dep)))

    # rows of P, r in log coordinates; independence is the row e_i with r = 0
    rows, rhs = [], []
    for c_ in cont:
        rows.append([c_.weights.get(x, 0) for x in xs])
        rhs.append(c_.degree)
    for c_ in indeps:
        rows.append([1 if x == c_.var else 0 for x in xs])
        rhs.append(0)
    disc = None
    if discs:
        dd = discs[0]
        disc = (sp.Matrix([dd.weights.get(x, 0) for x in xs]), dd.degree, dd.step)

    Ys = [sp.Symbol(f"Y_{x.name}", real=True) for x in xs]
    # -- infinitesimal step: generator -> constant-coefficient PDE in log coordinates -----------
    Wf = sp.Function("W")(*Ys)
    gens: list[ScalingInvariance | Independence] = [*cont, *indeps]
    for c_, row, rr in zip(gens, rows, rhs, strict=True):
        pde = sp.Add(*[p_ * sp.diff(Wf, y) for p_, y in zip(row, Ys, strict=True)]) - rr
        dv.define(
            sp.Symbol(f"[{c_.name}] generator condition"),
            sp.Eq(pde, 0),
            "d/da at a = 0 of the finite action; in log coordinates Y = log x, W = log|u|: constant coefficients",
        )

    blocks = [tuple(range(len(xs)))] if not seps else [tuple(xs.index(x) for x in B) for B in seps[0].blocks]
    if seps:
        flat = sorted(i for B in blocks for i in B)
        if flat != list(range(len(xs))):
            raise InputError(f"separability blocks must partition the variables {xs}")

    J = len(rows)
    nb = len(blocks)
    # separation constants: share of equation j in block B, and of the discrete equation
    if nb == 1:
        mu = [[rhs[j]] for j in range(J)]
        nu = [disc[1]] if disc else []
        unknowns: list[sp.Symbol] = []
        lin_eqs: list[sp.Expr] = []
    else:
        mu = [[sp.Symbol(f"mu_{j + 1}_{bi + 1}", real=True) for bi in range(nb)] for j in range(J)]
        nu = [sp.Symbol(f"nu_{bi + 1}", real=True) for bi in range(nb)] if disc else []
        # preferred-free unknowns last: the first block's constants become the free parameters
        unknowns = [mu[j][bi] for bi in reversed(range(nb)) for j in range(J)] + list(reversed(nu))
        lin_eqs = [sp.Add(*mu[j]) - rhs[j] for j in range(J)]
        if disc:
            lin_eqs.append(sp.Add(*nu) - disc[1])
    block_results = []
    for bi, B in enumerate(blocks):
        Pb = sp.Matrix([[rows[j][i] for i in B] for j in range(J)]) if J else sp.zeros(0, len(B))
        rb = sp.Matrix([mu[j][bi] for j in range(J)]) if J else sp.zeros(0, 1)
        db = (sp.Matrix([disc[0][i] for i in B]), nu[bi], disc[2]) if disc else None
        conds, cb, Lb, perb = _solve_block(Pb, rb, db, [Ys[i] for i in B])
        if J and Lb.rows:
            bxs = [xs[i] for i in B]
            invs = [_monomial(bxs, Lb.row(m_)) for m_ in range(Lb.rows)]
            # X_j(I) = sum_i p_ji x_i dI/dx_i, recorded unevaluated so that the reader sees it
            gens = sp.Matrix(
                J,
                Lb.rows,
                lambda j_, m_, Pb=Pb, invs=invs, bxs=bxs: sp.Add(
                    *[
                        _weighted(Pb[j_, i_], x_ * sp.Derivative(invs[m_], x_))
                        for i_, x_ in enumerate(bxs)
                        if Pb[j_, i_] != 0
                    ],
                    evaluate=False,
                ),
            )
            dv.claim(
                gens,
                sp.zeros(J, Lb.rows),
                f"block {[str(x_) for x_ in bxs]}: the characteristic invariants "
                f"{[str(i_) for i_ in invs]} are annihilated by every generator "
                f"X_j = sum_i p_ji x_i d/dx_i",
            )
        rank = Pb.rank() if J else 0
        dv.define(
            sp.Symbol(f"dim[{','.join(str(xs[i]) for i in B)}]"),
            sp.Eq(sp.Integer(rank) + Lb.rows + (1 if perb else 0), len(B)),
            "rank of the generator system + number of invariants (+ the periodic coordinate) "
            "= number of variables: the invariants are complete (characteristics)",
        )
        lin_eqs.extend(conds)
        block_results.append((B, cb, Lb, perb))

    # consistency: solve the linear conditions for separation constants and parameters
    params = sorted(set().union(*[e.free_symbols for e in lin_eqs]) - set(unknowns), key=str) if lin_eqs else []
    conditions: dict = {}
    subs: dict = {}
    lin_eqs = [e for e in (sp.expand(e) for e in lin_eqs) if e != 0]
    if any(not e.free_symbols for e in lin_eqs) or (lin_eqs and not (unknowns + params)):
        raise AssumptionError(
            "contradictory assumptions: "
            + "; ".join(c_.describe(str(dep)) for c_ in constraints)
            + f" -- consistency requires {', '.join(f'{e} = 0' for e in lin_eqs)}, impossible; "
            "only u = 0 satisfies them"
        )
    if lin_eqs:
        sol = sp.linsolve(lin_eqs, unknowns + params)
        if sol == sp.EmptySet or not sol:
            raise AssumptionError(
                "contradictory assumptions: "
                + "; ".join(c_.describe(str(dep)) for c_ in constraints)
                + f" -- consistency requires {', '.join(f'{e} = 0' for e in lin_eqs)}, impossible; "
                "only u = 0 satisfies them"
            )
        (tup,) = list(sol)
        full = dict(zip(unknowns + params, tup, strict=True))
        for sym_, val in full.items():
            if val != sym_:
                subs[sym_] = val
                if sym_ in params:
                    conditions[sym_] = val
        for e in lin_eqs:
            keys = [k_ for k_ in subs if e.has(k_)]
            shown = sp.Subs(e, tuple(keys), tuple(subs[k_] for k_ in keys)) if keys else e
            dv.claim(
                shown,
                0,
                "consistency condition of the linear system "
                "(left null vectors of P applied to r; block shares sum to r), at the solution",
            )
    free_params = [u_ for u_ in unknowns if u_ not in subs]

    # -- assemble the form -------------------------------------------------------------------
    names = list(function_names or [])
    fn_counter = [0]

    def new_function(nargs):
        fn_counter[0] += 1
        nm = names.pop(0) if names else f"F_{fn_counter[0]}"
        return sp.Function(nm)

    exps: dict = {x: sp.Integer(0) for x in xs}
    factors: list[tuple[Any, tuple[Any, ...], tuple[int, Any] | None]] = []  # (F, args, periodic info)
    for B, cb, Lb, perb in block_results:
        bx = [xs[i] for i in B]
        expo = [sp.expand(e.subs(subs)) for e in cb]
        if perb is not None:
            theta_row, rho, _hstep = perb
            rho = sp.expand(rho.subs(subs))
            expo = [sp.expand(e + rho * th) for e, th in zip(expo, theta_row, strict=True)]
        for x, e in zip(bx, expo, strict=True):
            exps[x] = e
        args = [_monomial(bx, Lb.row(i)) for i in range(Lb.rows)]
        per = None
        if perb is not None:
            th = perb[0]
            first = next((x for x in th if x != 0), 1)
            th = -th if first < 0 else th  # a periodic function of -theta is one of theta
            args.append(sp.expand_log(sp.log(_monomial(bx, th)), force=True))
            per = (len(args) - 1, perb[2])
        if args:
            factors.append((new_function(len(args)), tuple(args), per))
    # rename free separation exponents so that the exponent of x is the requested symbol
    ren: dict = {}
    ren_want: dict = {}
    for x, want in (exponent_names or {}).items():
        if x not in exps:
            continue
        lx = exps[x]
        for fp in free_params:
            if fp in ren:
                continue
            slope = sp.diff(lx, fp)
            if slope != 0 and not slope.free_symbols:
                ren[fp] = sp.solve(sp.Eq(lx, want), fp)[0]
                ren_want[fp] = want
                break
    exps = {x: sp.expand(e.subs(ren)) for x, e in exps.items()}
    free_exponents = [ren_want.get(fp, fp) for fp in free_params]
    free_exponents = list(dict.fromkeys(free_exponents))
    expr = _monomial(xs, [exps[x] for x in xs])
    free_functions: dict = {}
    periodic: dict = {}
    for F, fargs, per in factors:
        free_functions[F] = fargs
        if per is not None:
            periodic[F] = per
        expr *= F(*fargs)
    free_constants = []
    if not factors:
        C = constant if constant is not None else sp.Symbol("C_1", real=True)
        expr = C * expr
        free_constants.append(C)
    form = InvariantForm(
        expr=expr,
        independent=xs,
        free_functions=free_functions,
        periodic=periodic,
        constraints=tuple(constraints),
        free_constants=free_constants,
        free_exponents=free_exponents,
        conditions=conditions,
        derivation=dv,
    )
    dv.define(
        dep,
        expr,
        "general solution by characteristics (log coordinates) " + (f"with forced {conditions}" if conditions else ""),
    )
    if verify:
        checked = _verify(form, dv, dep)
        if dv.statement is None and checked:
            # what was established: the form satisfies every finite equation (its generality is the
            # characteristics count recorded above as the dim[...] definitions)
            dv.conclude(sp.And(*checked) if len(checked) > 1 else checked[0])
        form.certificate = dv.certificate()
    return form


def _verify(form: InvariantForm, dv: Derivation, dep) -> list:
    """Record the substitution checks of every constraint (finite and infinitesimal).

    Returns the statements of the finite-equation claims.
    """
    expr = form.expr
    ints = [_M]
    finite = []
    for c_ in form.constraints:
        c_ = _specialize(c_, form.conditions)
        res = finite_residual(expr, c_, str(dep))
        if isinstance(c_, ScalingInvariance) and c_.discrete and form.periodic:
            res = encode_periodic(res, form.periodic)
            res = split_integer_periods(res, ints)
            res = sp.expand_power_base(sp.expand(res), force=True)
            reason = (
                f"finite equation of {c_.name} for a = m h, symbolic integer m, periodic factors "
                f"as Fourier series with symbolic coefficients (addition theorems applied)"
            )
        elif isinstance(c_, ScalingInvariance):
            reason = f"finite functional equation of {c_.name} verified by substitution for symbolic " + (
                "a = m h, integer m" if c_.discrete else "k > 0"
            )
        elif isinstance(c_, Independence):
            reason = f"{c_.name}: u(x + tau_0) - u(x) = 0 by substitution"
        else:
            reason = f"{c_.name}: u d_i d_j u - d_i u d_j u = 0 across blocks (log|u| separates)"
        if isinstance(c_, ScalingInvariance) and c_.discrete and form.periodic:
            finite.append(dv.zero(res, reason).statement)
        else:
            lhs, rhs = _finite_sides(expr, c_)
            finite.append(dv.claim(lhs, rhs, reason).statement)
        if isinstance(c_, ScalingInvariance) and not c_.discrete:
            # infinitesimal: characteristic Q = r u - sum p_i x_i u_{x_i} vanishes on the graph
            flow = sp.Add(
                *[_weighted(p_, x * sp.Derivative(expr, x)) for x, p_ in c_.weights.items() if p_ != 0], evaluate=False
            )
            dv.claim(flow, c_.degree * expr, f"invariant surface condition of {c_.name}'s generator holds on the graph")
    return finite


def _specialize(c_, conditions):
    if not conditions or not isinstance(c_, ScalingInvariance):
        return c_
    return ScalingInvariance(
        c_.weights, sp.sympify(c_.degree, strict=True).subs(conditions), name=c_.name, step=c_.step
    )
