r"""Lie point symmetry groups: finite actions, generators, prolongation, invariance conditions.

A one-parameter group of point transformations acts on coordinates :math:`x = (x_1..x_n)`
(independent and dependent variables alike) as :math:`x \mapsto X(x; a)` with
:math:`X(x; 0) = x` and :math:`X(X(x; a); a') = X(x; a + a')`.  Its **generator** is

.. math::  \mathbf{X} = \sum_i \xi_i(x)\,\partial_{x_i},
           \qquad \xi_i(x) = \partial_a X_i(x; a)\big|_{a=0},

and the finite action is recovered by integrating the flow :math:`\partial_a X = \xi(X)`.
For the GRSD groups (docs/theory/rigidity.md) the action is a *scaling*; in log coordinates it is a
translation and every determining equation has constant coefficients:

* time rescaling :math:`R_a`: :math:`(\lambda, t, v) \mapsto (k\lambda, t/k, k^2 v)`, :math:`k = e^a`,
  generator :math:`\lambda\partial_\lambda - t\partial_t + 2v\partial_v` (GRSD-T9, T10);
* spectral homogeneity of degree :math:`b`: :math:`\lambda\partial_\lambda + b v\partial_v` (GRSD-T11).

The **first prolongation** of :math:`\mathbf{X} = \xi^j\partial_{x^j} + \phi\,\partial_u` to the jet
variables :math:`u_j = \partial u/\partial x^j` has coefficients

.. math::  \phi^{(j)} = D_j\phi - \sum_l u_l\, D_j \xi^l ,

and a first-order equation :math:`\Delta = 0` admits :math:`\mathbf{X}` iff
:math:`\mathrm{pr}\,\mathbf{X}(\Delta) = 0` whenever :math:`\Delta = 0` (GRSD-T12).  A graph
:math:`u = f(x)` is invariant iff its *characteristic* :math:`Q = \phi - \xi^j u_j` vanishes on it
(infinitesimally), or iff :math:`\tilde f = f` (finitely).

>>> import sympy as sp
>>> from grsd_sym.symbols import lam, t, a
>>> vv = sp.Symbol("v", positive=True)
>>> R = scaling_group({lam: 1, t: -1, vv: 2})
>>> R.generator().coeffs == {lam: lam, t: -t, vv: 2*vv}
True
>>> R.generator().flow(a).action == R.action
True
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import sympy as sp

from grsd_sym.errors import DerivationError, InputError
from grsd_sym.parsing import exact_value, theory_symbols
from grsd_sym.symbols import a as _a

__all__ = [
    "VectorField",
    "OneParameterGroup",
    "PointTransformation",
    "JetSpace",
    "scaling_group",
    "translation_group",
    "time_rescaling_group",
    "commutator",
    "prolong",
    "invariance_condition",
    "determining_equations",
    "graph_characteristic",
    "transform_graph",
    "graph_invariance_residual",
]


def _sym(x) -> sp.Basic:
    return exact_value(x, symbols=theory_symbols()) if isinstance(x, str) else sp.sympify(x, strict=True)


# --------------------------------------------------------------------------------------
# generators
# --------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class VectorField:
    r"""A generator :math:`\mathbf{X} = \sum_i \xi_i(x)\,\partial_{x_i}`.

    Attributes
    ----------
    coeffs : mapping of sympy.Symbol to sympy.Expr
        Coordinate -> coefficient :math:`\xi_i` (zero coefficients are dropped).

    Examples
    --------
    >>> x = sp.Symbol("x", positive=True)
    >>> X = VectorField({x: x})  # the scaling generator x d_x
    >>> X(x**2), X.flow().action
    (2*x**2, {x: x*exp(a)})
    """

    coeffs: Mapping[sp.Symbol, sp.Expr]

    def __post_init__(self) -> None:
        clean = {}
        for x, xi in dict(self.coeffs).items():
            if not isinstance(x, sp.Symbol):
                raise InputError(f"a generator's coordinates must be SymPy symbols, got {x!r}")
            xi = _sym(xi)
            if xi != 0:
                clean[x] = xi
        object.__setattr__(self, "coeffs", clean)

    @property
    def coords(self) -> tuple[sp.Symbol, ...]:
        """The coordinates with a nonzero coefficient."""
        return tuple(self.coeffs)

    def coeff(self, x: sp.Symbol) -> sp.Expr:
        r"""The coefficient of :math:`\partial_x` (0 if absent)."""
        return self.coeffs.get(x, sp.Integer(0))

    def __call__(self, f) -> sp.Expr:
        r"""Apply as a derivation: :math:`\mathbf{X}(f) = \sum_i \xi_i\,\partial f/\partial x_i`."""
        f = _sym(f)
        return sp.Add(*[xi * sp.diff(f, x) for x, xi in self.coeffs.items()])

    def __add__(self, other: VectorField) -> VectorField:
        keys = set(self.coeffs) | set(other.coeffs)
        return VectorField({x: self.coeff(x) + other.coeff(x) for x in keys})

    def __rmul__(self, scalar) -> VectorField:
        return VectorField({x: _sym(scalar) * xi for x, xi in self.coeffs.items()})

    def simplified(self) -> VectorField:
        """The field with every coefficient simplified."""
        return VectorField({x: sp.simplify(xi) for x, xi in self.coeffs.items()})

    def flow(self, parameter: sp.Symbol = _a, coords: Sequence[sp.Symbol] | None = None) -> OneParameterGroup:
        r"""Integrate :math:`\partial_a X = \xi(X)`, :math:`X(0) = x`: the finite action.

        Two cases are integrated in closed form, and the result is always checked by
        substitution (initial value and flow equation) before it is returned:

        * decoupled coefficients :math:`\xi_i = \xi_i(x_i)` (every scaling and translation):
          separation of variables, :math:`\int dX/\xi_i(X) = a + \int dx/\xi_i(x)`;
        * affine coefficients :math:`\xi = A x + \beta` (rotations, shears, ...):
          :math:`X = e^{aA}x + \int_0^a e^{sA}\,ds\,\beta`.
        """
        coords = tuple(coords) if coords is not None else self.coords
        action = self._flow_decoupled(parameter, coords)
        if action is None:
            action = self._flow_affine(parameter, coords)
        if action is None:
            raise DerivationError(
                f"cannot integrate the flow of {self}: coefficients are neither decoupled "
                "(xi_i depends on x_i only) nor affine"
            )
        grp = OneParameterGroup(action, parameter)
        res = grp.flow_residual(self)
        if any(sp.simplify(r) != 0 for r in res):
            raise DerivationError(f"integrated flow of {self} fails substitution: residuals {res}")
        return grp

    def _flow_decoupled(self, a_, coords):
        action = {}
        for x in coords:
            xi = self.coeff(x)
            if xi.free_symbols & (set(coords) - {x}):
                return None
            if xi == 0:
                action[x] = x
                continue
            if not xi.has(x):  # translation
                action[x] = x + xi * a_
                continue
            # scaling / power: exact cases first (cheap and assumption-safe)
            cst, rest = xi.as_independent(x, as_Add=False)
            if rest == x:
                action[x] = x * sp.exp(cst * a_)
                continue
            X = sp.Dummy("X")
            F = sp.integrate(1 / xi.subs(x, X), X)
            sols = sp.solve(sp.Eq(F, F.subs(X, x) + a_), X)
            good = [s_ for s_ in sols if sp.simplify(s_.subs(a_, 0) - x) == 0]
            if not good:
                return None
            action[x] = good[0]
        return action

    def _flow_affine(self, a_, coords):
        n = len(coords)
        A = sp.zeros(n, n)
        beta = sp.zeros(n, 1)
        for i, x in enumerate(coords):
            xi = sp.expand(self.coeff(x))
            poly = sp.Poly(xi, *coords) if xi.free_symbols & set(coords) else None
            if poly is not None and poly.total_degree() > 1:
                return None
            for j, y in enumerate(coords):
                A[i, j] = sp.diff(xi, y)
            beta[i] = xi.subs(dict.fromkeys(coords, 0))
            if any(e.free_symbols & set(coords) for e in A.row(i)):
                return None
        sv = sp.Dummy("s_", real=True)
        E = (a_ * A).exp()
        X = E * sp.Matrix(coords) + sp.integrate((sv * A).exp() * beta, (sv, 0, a_))
        return {x: sp.simplify(X[i]) for i, x in enumerate(coords)}

    def __str__(self) -> str:
        return " + ".join(f"({xi})*d_{x}" for x, xi in self.coeffs.items()) or "0"


def commutator(X: VectorField, Y: VectorField) -> VectorField:
    r"""Lie bracket :math:`[\mathbf{X}, \mathbf{Y}]_i = \mathbf{X}(\eta_i) - \mathbf{Y}(\xi_i)`.

    Parameters
    ----------
    X, Y : VectorField
        The fields.

    Returns
    -------
    VectorField
        The bracket, coefficients simplified.

    Examples
    --------
    >>> x = sp.Symbol("x", positive=True)
    >>> commutator(VectorField({x: x}), VectorField({x: 1})).coeffs
    {x: -1}
    """
    keys = list(dict.fromkeys(list(X.coords) + list(Y.coords)))
    return VectorField({x: sp.simplify(X(Y.coeff(x)) - Y(X.coeff(x))) for x in keys})


# --------------------------------------------------------------------------------------
# finite actions
# --------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class PointTransformation:
    """A map ``x -> action[x]`` of coordinates, depending on parameters.

    Attributes
    ----------
    action : mapping of sympy.Symbol to sympy.Expr
        Image of each coordinate (others are fixed).
    params : tuple of sympy.Symbol
        The parameters.

    Examples
    --------
    >>> x = sp.Symbol("x", positive=True)
    >>> PointTransformation({x: 2 * x})(x**2)
    4*x**2
    """

    action: Mapping[sp.Symbol, sp.Expr]
    params: tuple[sp.Symbol, ...] = ()

    def __call__(self, expr) -> sp.Expr:
        """Substitute the action into ``expr`` (simultaneously)."""
        return _sym(expr).subs(dict(self.action), simultaneous=True)

    def compose(self, other: PointTransformation) -> PointTransformation:
        """``self o other``: first ``other``, then ``self``."""
        keys = list(dict.fromkeys(list(self.action) + list(other.action)))
        out = {}
        for x in keys:
            inner = dict(other.action)
            outer_x = self.action.get(x, x)
            out[x] = sp.simplify(_sym(outer_x).subs(inner, simultaneous=True))
        return PointTransformation(out, tuple(dict.fromkeys(self.params + other.params)))


@dataclasses.dataclass(frozen=True)
class OneParameterGroup(PointTransformation):
    r"""A one-parameter group :math:`x \mapsto X(x; a)` with identity at ``a = 0``.

    Parameters
    ----------
    action : mapping of sympy.Symbol to sympy.Expr
        :math:`X(x; a)` per coordinate.
    parameter : sympy.Symbol
        The group parameter :math:`a`.

    Raises
    ------
    InputError
        When the action at ``a = 0`` is not the identity.

    Examples
    --------
    >>> x = sp.Symbol("x", positive=True)
    >>> G = OneParameterGroup({x: x * sp.exp(_a)})
    >>> G.generator().coeffs, G.group_law_residual()
    ({x: x}, [0])
    """

    parameter: sp.Symbol = _a

    def __init__(self, action: Mapping[sp.Symbol, sp.Expr], parameter: sp.Symbol = _a) -> None:
        act = {x: _sym(e) for x, e in dict(action).items()}
        object.__setattr__(self, "action", act)
        object.__setattr__(self, "params", (parameter,))
        object.__setattr__(self, "parameter", parameter)
        bad = [x for x, e in act.items() if sp.simplify(e.subs(parameter, 0) - x) != 0]
        if bad:
            raise InputError(f"not a one-parameter group: the action at {parameter} = 0 moves {bad}")

    @property
    def coords(self) -> tuple[sp.Symbol, ...]:
        """The coordinates the group acts on."""
        return tuple(self.action)

    def at(self, value: Any) -> PointTransformation:
        """The group element at parameter ``value``."""
        return PointTransformation({x: e.subs(self.parameter, value) for x, e in self.action.items()})

    def generator(self) -> VectorField:
        r""":math:`\xi_i = \partial_a X_i|_{a=0}` (the infinitesimal generator)."""
        return VectorField(
            {x: sp.simplify(sp.diff(e, self.parameter).subs(self.parameter, 0)) for x, e in self.action.items()}
        )

    def group_law_residual(self) -> list[sp.Expr]:
        r"""Residuals of :math:`X(X(x; a); a') - X(x; a + a')` (all vanish for a group)."""
        a1, a2 = sp.Dummy("a1", real=True), sp.Dummy("a2", real=True)
        g1, g2 = self.at(a1), self.at(a2)
        comp = g2.compose(g1)
        return [comp.action[x] - e.subs(self.parameter, a1 + a2) for x, e in self.action.items()]

    def flow_residual(self, X: VectorField | None = None) -> list[sp.Expr]:
        r"""Residuals of :math:`\partial_a X(x;a) - \xi(X(x;a))` (zero iff ``X`` generates the group)."""
        X = X if X is not None else self.generator()
        return [
            sp.diff(e, self.parameter) - X.coeff(x).subs(dict(self.action), simultaneous=True)
            for x, e in self.action.items()
        ]

    def inverse(self) -> OneParameterGroup:
        """The group with ``a -> -a``."""
        return OneParameterGroup(
            {x: e.subs(self.parameter, -self.parameter) for x, e in self.action.items()}, self.parameter
        )


def scaling_group(weights: Mapping[sp.Symbol, object], parameter: sp.Symbol = _a) -> OneParameterGroup:
    r"""The scaling group :math:`x_i \mapsto e^{p_i a} x_i = k^{p_i} x_i` (``weights[x_i] = p_i``).

    Parameters
    ----------
    weights : mapping of sympy.Symbol to number
        ``weights[x_i] = p_i``.
    parameter : sympy.Symbol
        The group parameter :math:`a`.

    Returns
    -------
    OneParameterGroup
        Generated by :math:`\sum_i p_i x_i\partial_{x_i}`.

    Examples
    --------
    >>> x = sp.Symbol("x", positive=True)
    >>> scaling_group({x: 2}).action
    {x: x*exp(2*a)}
    """
    return OneParameterGroup({x: sp.exp(_sym(p) * parameter) * x for x, p in weights.items()}, parameter)


def translation_group(shifts: Mapping[sp.Symbol, object], parameter: sp.Symbol = _a) -> OneParameterGroup:
    r"""The translation group :math:`x_i \mapsto x_i + c_i a`.

    Parameters
    ----------
    shifts : mapping of sympy.Symbol to number
        Rates of the shifts, ``shifts[x_i] = c_i``.
    parameter : sympy.Symbol
        The group parameter :math:`a`.

    Returns
    -------
    OneParameterGroup
        Generated by :math:`\sum_i c_i\partial_{x_i}`.

    Examples
    --------
    >>> x = sp.Symbol("x", positive=True)
    >>> translation_group({x: 1}).action
    {x: a + x}
    """
    return OneParameterGroup({x: x + _sym(c_) * parameter for x, c_ in shifts.items()}, parameter)


def time_rescaling_group(lam: sp.Symbol, t: sp.Symbol, v: sp.Symbol, parameter: sp.Symbol = _a) -> OneParameterGroup:
    r"""GRSD time rescaling :math:`R_a: (\lambda, t, v) \mapsto (e^a\lambda, e^{-a}t, e^{2a}v)` (GRSD-T10).

    Parameters
    ----------
    lam, t, v : sympy.Symbol
        The coordinates.
    parameter : sympy.Symbol
        The group parameter :math:`a`.

    Returns
    -------
    OneParameterGroup
        Weights ``(1, -1, 2)``.

    Examples
    --------
    >>> lam, t, v = sp.symbols("lambda t v", positive=True)
    >>> print(time_rescaling_group(lam, t, v).generator())
    (lambda)*d_lambda + (-t)*d_t + (2*v)*d_v
    """
    return scaling_group({lam: 1, t: -1, v: 2}, parameter)


# --------------------------------------------------------------------------------------
# graphs u = f(x)
# --------------------------------------------------------------------------------------


def _split(group: OneParameterGroup, dep: sp.Symbol, independent: Sequence[sp.Symbol]):
    for x in independent:
        e = group.action.get(x, x)
        if e.has(dep):
            raise DerivationError(
                f"the action on {x} depends on {dep}: the group is not projectable, graphs do not transform pointwise"
            )
    return group


def transform_graph(
    group: PointTransformation, dep: sp.Symbol, independent: Sequence[sp.Symbol], f: sp.Expr
) -> sp.Expr:
    r"""The transformed function :math:`\tilde f` whose graph is the image of the graph of ``f``.

    For a projectable action :math:`(x, u) \mapsto (X(x), U(x, u))`,
    :math:`\tilde f(x) = U\big(X^{-1}(x), f(X^{-1}(x))\big)`.  The inverse is computed with
    ``solve`` and checked by substitution.

    Parameters
    ----------
    group : PointTransformation
        A projectable action.
    dep : sympy.Symbol
        The dependent variable.
    independent : sequence of sympy.Symbol
        The independent ones.
    f : sympy.Expr
        The graph :math:`u = f(x)`.

    Returns
    -------
    sympy.Expr
        :math:`\tilde f`.

    Raises
    ------
    DerivationError
        When the ``group`` action is not projectable, or cannot be inverted.

    Examples
    --------
    >>> x, u = sp.symbols("x u", positive=True)
    >>> transform_graph(scaling_group({x: 1, u: 2}), u, [x], x**3)
    x**3*exp(-a)
    """
    if isinstance(group, OneParameterGroup):
        _split(group, dep, independent)
    ys = [sp.Dummy(f"y_{x}", positive=bool(x.is_positive)) for x in independent]
    eqs = [sp.Eq(_sym(group.action.get(x, x)).subs(dict(zip(independent, ys, strict=True))), x) for x in independent]
    sol = sp.solve(eqs, ys, dict=True)
    if not sol:
        raise DerivationError(f"cannot invert the action on {list(independent)}")
    inv = {y: sp.simplify(sol[0][y]) for y in ys}
    for x, _y in zip(independent, ys, strict=True):  # substitution check of the inverse
        back = _sym(group.action.get(x, x)).subs(
            {xx: inv[yy] for xx, yy in zip(independent, ys, strict=True)}, simultaneous=True
        )
        if sp.simplify(back - x) != 0:
            raise DerivationError(f"inverse of the action fails substitution on {x}")
    pre = {x: inv[y] for x, y in zip(independent, ys, strict=True)}
    fpre = _sym(f).subs(pre, simultaneous=True)
    U = _sym(group.action.get(dep, dep))
    return U.subs({**pre, dep: fpre}, simultaneous=True)


def graph_invariance_residual(
    group: PointTransformation, dep: sp.Symbol, independent: Sequence[sp.Symbol], f: sp.Expr
) -> sp.Expr:
    r""":math:`\tilde f - f`: zero iff the graph of ``f`` is invariant under ``group``.

    Parameters
    ----------
    group : PointTransformation
        The action.
    dep : sympy.Symbol
        The dependent variable.
    independent : sequence of sympy.Symbol
        The independent ones.
    f : sympy.Expr
        The graph.

    Returns
    -------
    sympy.Expr
        Zero iff invariant.

    Examples
    --------
    >>> x, u = sp.symbols("x u", positive=True)
    >>> graph_invariance_residual(scaling_group({x: 1, u: 2}), u, [x], x**2)
    0
    """
    return transform_graph(group, dep, independent, f) - _sym(f)


def graph_characteristic(X: VectorField, dep: sp.Symbol, independent: Sequence[sp.Symbol], f: sp.Expr) -> sp.Expr:
    r"""The characteristic :math:`Q = \phi - \sum_j \xi^j \partial_j f` evaluated on :math:`u = f(x)`.

    :math:`Q = 0` is the invariant surface condition: the linear first-order PDE whose general
    solution is the most general invariant graph.

    Parameters
    ----------
    X : VectorField
        The generator.
    dep, independent : sympy.Symbol, sequence of sympy.Symbol
        The dependent and the independent variables.
    f : sympy.Expr
        The graph.

    Returns
    -------
    sympy.Expr
        :math:`Q` on the graph.

    Examples
    --------
    >>> x, u = sp.symbols("x u", positive=True)
    >>> graph_characteristic(VectorField({x: x, u: 2 * u}), u, [x], x**2)
    0
    """
    f = _sym(f)
    on = {dep: f}
    phi = X.coeff(dep).subs(on)
    return phi - sp.Add(*[X.coeff(x).subs(on) * sp.diff(f, x) for x in independent])


# --------------------------------------------------------------------------------------
# jets and prolongation
# --------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class JetSpace:
    """First-order jet space: independent variables, dependent variables, derivative symbols.

    Parameters
    ----------
    independent, dependent : iterable of sympy.Symbol
        The variables.

    Examples
    --------
    >>> x, u = sp.symbols("x u", positive=True)
    >>> J = JetSpace([x], [u])
    >>> J.derivatives, J.total_derivative(u**2, x)
    ([u_x], 2*u*u_x)
    """

    independent: tuple[sp.Symbol, ...]
    dependent: tuple[sp.Symbol, ...]

    def __init__(self, independent: Iterable[sp.Symbol], dependent: Iterable[sp.Symbol]) -> None:
        object.__setattr__(self, "independent", tuple(independent))
        object.__setattr__(self, "dependent", tuple(dependent))

    def d(self, u: sp.Symbol, x: sp.Symbol) -> sp.Symbol:
        """The jet coordinate :math:`u_x` (a plain symbol)."""
        return sp.Symbol(f"{u.name}_{x.name}", real=True)

    @property
    def derivatives(self) -> list[sp.Symbol]:
        """All first-derivative jet coordinates."""
        return [self.d(u, x) for u in self.dependent for x in self.independent]

    def total_derivative(self, f: sp.Expr, x: sp.Symbol) -> sp.Expr:
        r""":math:`D_x f = \partial_x f + \sum_u u_x\,\partial_u f` (first-order part)."""
        f = _sym(f)
        return sp.diff(f, x) + sp.Add(*[self.d(u, x) * sp.diff(f, u) for u in self.dependent])


def prolong(X: VectorField, jet: JetSpace) -> VectorField:
    r"""First prolongation :math:`\phi^{(j)} = D_j\phi - \sum_l u_l\,D_j\xi^l` of ``X``.

    Parameters
    ----------
    X : VectorField
        The generator.
    jet : JetSpace
        The jet space.

    Returns
    -------
    VectorField
        With the derivative coordinates' coefficients added.

    Examples
    --------
    >>> x, u = sp.symbols("x u", positive=True)
    >>> prolong(VectorField({x: x, u: u}), JetSpace([x], [u])).coeffs
    {x: x, u: u}
    """
    coeffs = dict(X.coeffs)
    for u in jet.dependent:
        phi = X.coeff(u)
        for xj in jet.independent:
            term = jet.total_derivative(phi, xj)
            term -= sp.Add(*[jet.d(u, xl) * jet.total_derivative(X.coeff(xl), xj) for xl in jet.independent])
            coeffs[jet.d(u, xj)] = sp.expand(term)
    return VectorField(coeffs)


def invariance_condition(X: VectorField, equation: sp.Expr, jet: JetSpace, solve_for: sp.Symbol) -> sp.Expr:
    r""":math:`\mathrm{pr}\,\mathbf{X}(\Delta)` restricted to :math:`\Delta = 0`.

    ``equation`` is :math:`\Delta` written in jet symbols and must be linear in ``solve_for``
    (e.g. :math:`u_t`), which is eliminated with it.  The result vanishes identically (as a
    function of the remaining jet coordinates) iff ``X`` is a Lie point symmetry.

    Parameters
    ----------
    X : VectorField
        Candidate symmetry.
    equation : sympy.Expr
        :math:`\Delta` in jet symbols.
    jet : JetSpace
        The jet space.
    solve_for : sympy.Symbol
        The jet coordinate eliminated with :math:`\Delta = 0`.

    Returns
    -------
    sympy.Expr
        Identically zero iff ``X`` is a symmetry.

    Raises
    ------
    InputError
        When ``equation`` is not linear in ``solve_for``.

    Examples
    --------
    >>> x, t, u = sp.symbols("x t u", positive=True)
    >>> J = JetSpace([x, t], [u])
    >>> invariance_condition(VectorField({x: 1}), J.d(u, t) - J.d(u, x), J, J.d(u, t))  # translation
    0
    """
    equation = sp.expand(_sym(equation))
    lin = sp.Poly(equation, solve_for)
    if lin.degree() != 1:
        raise InputError(f"the equation must be linear in {solve_for}; got degree {lin.degree()}")
    c1 = lin.coeff_monomial(solve_for)
    c0_ = lin.coeff_monomial(1)
    on_shell = {solve_for: -c0_ / c1}
    prX = prolong(X, jet)
    return sp.expand(prX(equation).subs(on_shell))


def determining_equations(condition: sp.Expr, jet: JetSpace, extra: Sequence[sp.Symbol] = ()) -> dict:
    r"""Split an invariance condition into the coefficients of the jet monomials.

    The remaining jet coordinates (dependent variables and derivatives not eliminated, plus
    ``extra``) are independent at a point, so every coefficient must vanish: these are the
    determining equations.  Returns ``{monomial: coefficient}``.

    Parameters
    ----------
    condition : sympy.Expr
        From :func:`invariance_condition`.
    jet : JetSpace
        The jet space.
    extra : sequence of sympy.Symbol
        Further independent symbols.

    Returns
    -------
    dict
        ``{monomial: coefficient}``.

    Examples
    --------
    >>> x, u, a, b = sp.symbols("x u a b", positive=True)
    >>> J = JetSpace([x], [u])
    >>> determining_equations(a * J.d(u, x) + b, J)
    {u_x: a, 1: b}
    """
    gens = [x for x in list(jet.dependent) + jet.derivatives + list(extra) if condition.has(x)]
    if not gens:
        return {sp.Integer(1): sp.simplify(condition)}
    poly = sp.Poly(sp.expand(condition), *gens)
    return {sp.Mul(*[g_**e for g_, e in zip(gens, mon, strict=True)]): sp.factor(cf) for mon, cf in poly.terms()}
