r"""The symbolic zero test: a ladder of rewrites, each valid on the declared domain.

Each rung rewrites the residual and succeeds when the result is exactly ``0``.  Rungs are
*sound*: they use only identities that hold on the domain the symbols declare.  In particular
the power and logarithm rewrites (``(xy)^a = x^a y^a``, ``(x^a)^b = x^{ab}``,
``log(xy) = log x + log y``) are SymPy's non-forced ones, which fire only where SymPy's
assumptions prove the *sub-expression* they touch positive (``4 - x`` with ``x > 0`` is not;
``x*y`` with positive ``x, y`` is).  An explicit side condition (``x > 5``) widens this: it is
substituted (``x = 5 + u`` with ``u > 0``) before the ladder runs, and becomes part of the
certified statement.  ``force=True`` adds SymPy's forced rewrites, which are valid only for
positive bases: that is an *override*, recorded on the step and refused by ``--strict``.

``simplify`` is the last algebraic rung; SymPy's ``simplify`` can be wrong on branch cuts, so a
result of ``0`` there is always subject to the refuting witness (as every rung is).

The last rung proves ``r = 0`` on a connected domain from ``grad r = 0`` and ``r(p) = 0`` at one
point ``p``: it applies when every symbol is real (positive, negative or real: a product of
intervals, which is connected) and the residual is provably smooth there (every denominator
nonzero, every log/non-integer power argument positive, no undefined, piecewise or absolute-value
functions).  It proves ``atan(x) + atan(1/x) = pi/2`` for ``x > 0``.

>>> import sympy as sp
>>> x = sp.Symbol("x", positive=True)
>>> zero_test(sp.atan(x) + sp.atan(1 / x) - sp.pi / 2).method
'gradient zero + one exact point'
>>> zero_test(sp.sqrt((4 - x) * (5 - x)) - sp.sqrt(4 - x) * sp.sqrt(5 - x)).ok
False
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.functions.elementary.hyperbolic import HyperbolicFunction
from sympy.functions.elementary.trigonometric import TrigonometricFunction

__all__ = ["FORCE_RUNGS", "RUNGS", "ZeroResult", "apply_side_conditions", "cached_doit", "zero_test"]


@dataclasses.dataclass
class ZeroResult:
    """Outcome of the symbolic zero test on one scalar residual.

    Attributes
    ----------
    ok : bool
        The residual was shown to be zero.
    method : str
        The rung that showed it (or the last one tried).
    remainder : str
        What was left when it was not.
    override : bool
        A forced (positivity-assuming) rung was needed.

    Examples
    --------
    >>> import sympy as sp
    >>> x = sp.Symbol("x", positive=True)
    >>> zero_test(sp.sqrt(x**2) - x).ok, zero_test(x - 1).ok
    (True, False)
    """

    ok: bool
    method: str
    remainder: str
    override: bool = False  # a forced (positivity-assuming) rung was needed


_DOIT_CACHE: dict = {}


def cached_doit(e: sp.Basic) -> sp.Basic:
    """``e.doit()`` for expressions with derivatives/integrals/sums, memoised (rungs share it).

    Parameters
    ----------
    e : sympy.Basic
        May contain ``Derivative``, ``Integral``, ``Sum``...

    Returns
    -------
    sympy.Basic
        ``e.doit()`` (``e`` itself when there is nothing to do).

    Examples
    --------
    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> cached_doit(sp.Derivative(x**3, x))
    3*x**2
    """
    if not e.has(sp.Derivative, sp.Subs, sp.Integral, sp.Sum, sp.Product):
        return e
    try:
        return _DOIT_CACHE[e]
    except KeyError:
        pass
    except TypeError:  # unhashable: evaluate without the cache
        return e.doit()
    out = e.doit()
    if len(_DOIT_CACHE) > 256:
        _DOIT_CACHE.clear()
    _DOIT_CACHE[e] = out
    return out


_doit = cached_doit


def _powers_logs(e: sp.Basic) -> sp.Basic:
    """Power and log rewrites that SymPy applies only where the touched bases are positive."""
    e = sp.expand_log(_doit(e))
    e = sp.powdenest(sp.expand_power_base(sp.expand(e)))
    e = sp.expand(sp.powsimp(sp.expand(e)))
    return sp.expand(sp.powsimp(sp.expand_power_base(e)))


def _log_coordinates(e: sp.Basic) -> sp.Basic:
    """Substitute ``x = exp(X)`` (``X`` real) for every positive symbol, then sound rewrites."""
    reps = {s: sp.exp(sp.Dummy(f"log_{s.name}", real=True)) for s in e.free_symbols if s.is_positive}
    if not reps:
        return e
    e = _doit(e).subs(reps)
    e = sp.expand(sp.powsimp(sp.powdenest(sp.expand(sp.expand_log(e)))))
    if e == 0:
        return e
    return sp.expand(sp.powsimp(sp.expand(sp.cancel(sp.together(e)))))


#: function classes SymPy's forced rewrites leave alone (anything else, e.g. Abs, Max, Heaviside,
#: KroneckerDelta, floor, is mangled by ``force=True`` and refuses the forced rungs)
_FORCE_SAFE = (
    sp.exp,
    sp.log,
    TrigonometricFunction,
    HyperbolicFunction,
    sp.gamma,
    sp.loggamma,
    sp.erf,
    sp.erfc,
    sp.atan,
    sp.asinh,
)


def _bases_positive(e: sp.Basic) -> bool:
    """Every base of a non-integer power and every log argument, and each of their factors, is
    provably positive (SymPy assumptions on the sub-expression): forced rewrites are then valid.
    Expressions with functions outside :data:`_FORCE_SAFE`, or with Floats, are refused."""
    if e.atoms(sp.Float):
        return False
    for node in sp.preorder_traversal(e):  # only arithmetic and the safe functions (Max is no Function)
        if not (node.is_Atom or node.is_Add or node.is_Mul or node.is_Pow or isinstance(node, _FORCE_SAFE)):
            return False
    for node in sp.preorder_traversal(e):
        if node.is_Pow and not node.exp.is_Integer:
            arg = node.base
        elif isinstance(node, sp.exp):
            continue
        elif isinstance(node, sp.log):
            arg = node.args[0]
        else:
            continue
        if arg.is_positive is not True or any(f.is_positive is not True for f in sp.Mul.make_args(arg)):
            return False
    return True


def _guarded(rewrite: Callable[[sp.Basic], sp.Basic]) -> Callable[[sp.Basic], sp.Basic]:
    def run(e: sp.Basic) -> sp.Basic:
        e = sp.expand(_doit(e))
        if not _bases_positive(e):
            raise ValueError("a base is not provably positive")
        out = rewrite(e)
        return out

    return run


def _forced_chain(e: sp.Basic) -> sp.Basic:
    e = sp.expand(sp.powsimp(sp.expand_power_base(e, force=True), force=True))
    if e == 0:
        return e
    e = sp.expand(sp.powdenest(e, force=True))
    if e == 0:
        return e
    return sp.expand(sp.powsimp(sp.expand(sp.expand_log(e, force=True)), force=True))


def _guarded_log_coordinates(e: sp.Basic) -> sp.Basic:
    reps = {s: sp.exp(sp.Dummy(f"log_{s.name}", real=True)) for s in e.free_symbols if s.is_positive}
    e = sp.expand(_doit(e).subs(reps))
    if not reps or not _bases_positive(e):
        raise ValueError("a base is not provably positive")
    return sp.expand(sp.powsimp(sp.expand(_forced_chain(e)), force=True))


RUNGS: list[tuple[str, Callable[[sp.Basic], sp.Basic]]] = [
    ("as is", lambda e: e),
    ("doit+expand", lambda e: sp.expand(_doit(e))),
    ("rational function identity (cancel over the generators)", lambda e: sp.cancel(sp.together(_doit(e)))),
    ("powers and logs (bases proved positive)", _powers_logs),
    ("forced powsimp/powdenest/expand_log (every base proved positive)", _guarded(_forced_chain)),
    ("trigsimp", lambda e: sp.trigsimp(sp.expand(_doit(e)))),
    ("expand_func + gammasimp", lambda e: sp.expand(sp.gammasimp(sp.expand_func(_doit(e))))),
    ("rewrite(gamma) + combsimp", lambda e: sp.expand(sp.combsimp(_doit(e).rewrite(sp.gamma)))),
    ("hyperexpand", lambda e: sp.expand(sp.simplify(sp.hyperexpand(_doit(e))))),
    (
        "inverse trig/hyperbolic as principal logs, then powers and logs",
        lambda e: _powers_logs(_doit(e).rewrite(sp.log)),
    ),
    ("log coordinates (x = exp(X) for positive x)", _log_coordinates),
    ("log coordinates, forced powsimp (every base proved positive)", _guarded_log_coordinates),
]

FORCE_RUNGS: list[tuple[str, Callable[[sp.Basic], sp.Basic]]] = [
    (
        "powsimp(force) [override]",
        lambda e: sp.expand(sp.powsimp(sp.expand_power_base(sp.expand(_doit(e)), force=True), force=True)),
    ),
    ("powdenest(force) [override]", lambda e: sp.expand(sp.powdenest(sp.expand(_doit(e)), force=True))),
    ("expand_log(force) [override]", lambda e: sp.expand(sp.expand_log(_doit(e), force=True))),
    ("log coordinates with forced powsimp [override]", lambda e: _forced_log_coordinates(e)),
]

_SIMPLIFY = ("simplify", lambda e: sp.simplify(_doit(e)))
_GRADIENT = "gradient zero + one exact point"


def _forced_log_coordinates(e: sp.Basic) -> sp.Basic:
    reps = {s: sp.exp(sp.Dummy(f"log_{s.name}", real=True)) for s in e.free_symbols if s.is_positive}
    e = _doit(e).subs(reps)
    return sp.expand(sp.simplify(sp.powsimp(sp.expand(e), force=True)))


def _special_relevant(e: sp.Basic) -> bool:
    return bool(e.atoms(sp.Function) - e.atoms(AppliedUndef)) and not e.is_polynomial()


def _run_ladder(e: sp.Basic, rungs: Sequence) -> tuple[bool, str, sp.Basic]:
    last = e
    for name, rung in rungs:
        if name.startswith(("expand_func", "rewrite(gamma)", "hyperexpand")) and not _special_relevant(e):
            continue
        if name == "hyperexpand" and not e.has(sp.hyper, sp.meijerg):
            continue
        if name == "trigsimp" and not e.has(TrigonometricFunction, HyperbolicFunction):
            continue
        if name.startswith("inverse trig") and not e.has(
            sp.asinh, sp.acosh, sp.atanh, sp.asin, sp.acos, sp.atan, sp.acot
        ):
            continue
        try:
            last = rung(e)
        except Exception:  # a rung that raises is a rung that did not help
            continue
        if last == 0:
            return True, name, last
    return False, "none", last


def apply_side_conditions(e: sp.Basic, conditions: Sequence[sp.Basic]) -> sp.Basic:
    """Substitute simple bounds ``x > c`` / ``x < c`` / ``E > 0`` so SymPy can see the positivity.

    ``x > c`` becomes ``x = c + u`` with ``u > 0``; a general ``E > 0`` replaces the
    sub-expression ``E`` by a positive symbol.  Sound (a zero of the substituted expression for
    all ``u > 0`` is a zero of ``e`` wherever the conditions hold), and only used for proofs.

    Parameters
    ----------
    e : sympy.Basic
        The residual.
    conditions : sequence of relations
        The side conditions.

    Returns
    -------
    sympy.Basic
        The residual with the bounds substituted.

    Examples
    --------
    >>> import sympy as sp
    >>> x = sp.Symbol("x", real=True)
    >>> apply_side_conditions(sp.sqrt(x**2) - x, [x > 1])
    0
    """
    for c in conditions:
        if not isinstance(c, sp.Rel) or c.rel_op not in (">", ">=", "<", "<="):
            continue
        d = c.lhs - c.rhs if c.rel_op in (">", ">=") else c.rhs - c.lhs
        strict = c.rel_op in (">", "<")
        u = sp.Dummy("u", positive=True) if strict else sp.Dummy("u", nonnegative=True)
        fs = d.free_symbols
        if len(fs) == 1:
            (s,) = fs
            try:
                coeffs = sp.Poly(d, s).all_coeffs()
            except sp.PolynomialError:
                coeffs = []
            if len(coeffs) == 2 and coeffs[0].is_number and coeffs[0] != 0:
                a, b = coeffs
                e = e.subs(s, (u - b) / a)
                continue
        e = e.subs(d, u)
    return e


def _smooth_on_real_domain(e: sp.Basic) -> bool:
    """True if ``e`` is provably smooth at every point of its (real, connected) domain."""
    syms = e.free_symbols
    if not syms or any(not s.is_real or s.is_integer for s in syms):
        return False
    holes = ("noninteger", "rational", "irrational", "algebraic", "transcendental", "zero")
    if any(getattr(s, f"is_{h}") for s in syms for h in holes):  # a domain with holes is not connected
        return False
    if any(
        not (
            s.is_positive
            or s.is_negative
            # an unsigned real symbol must range over the whole line: ``nonzero`` is two half-lines
            or (s.is_real and not (s.is_nonnegative or s.is_nonpositive) and s.is_nonzero is not True)
        )
        for s in syms
    ):
        return False
    if e.atoms(AppliedUndef) or e.has(
        sp.Piecewise,
        sp.Abs,
        sp.sign,
        sp.Heaviside,
        sp.Min,
        sp.Max,
        sp.floor,
        sp.ceiling,
        sp.re,
        sp.im,
        sp.arg,
        sp.Derivative,
        sp.Integral,
        sp.Sum,
        sp.Subs,
    ):
        return False
    smooth_everywhere = (sp.exp, sp.sin, sp.cos, sp.atan, sp.sinh, sp.cosh, sp.tanh, sp.asinh, sp.erf)
    for node in sp.preorder_traversal(e):
        if node.is_Pow:
            if node.exp.free_symbols:
                if not node.base.is_positive:
                    return False
            elif node.exp.is_Integer:
                if node.exp < 0 and not node.base.is_nonzero:
                    return False
            elif not node.base.is_positive:
                return False
            if not node.base.is_real or not node.exp.is_real:
                return False
        elif isinstance(node, sp.log):
            if len(node.args) > 1 or not node.args[0].is_positive:
                return False
        elif isinstance(node, sp.Function):
            if not isinstance(node, smooth_everywhere):
                return False
            if not all(a.is_real for a in node.args):
                return False
    return True


def _gradient_rung(e: sp.Basic, rungs: Sequence) -> bool:
    e = _doit(e)
    if sp.count_ops(e) > 80 or not _smooth_on_real_domain(e):
        return False
    syms = sorted(e.free_symbols, key=lambda s: s.name)
    for s in syms:
        ok, _, _ = _run_ladder(sp.diff(e, s), rungs)
        if not ok:
            return False
    point = {s: (-1 if s.is_negative else 1) for s in syms}
    at = e.subs(point)
    ok, _, _ = _run_ladder(at, rungs[:6])  # exact evaluation: no simplify
    return ok


def zero_test(entry: sp.Basic, *, force: bool = False, side_conditions: Sequence[sp.Basic] = ()) -> ZeroResult:
    """Try to show the scalar ``entry`` is identically zero on its declared domain.

    Parameters
    ----------
    entry : sympy.Basic
        A scalar residual.
    force : bool
        Allow the forced power/log rewrites (an override).
    side_conditions : sequence of relations
        Bounds the test may substitute (:func:`apply_side_conditions`).

    Returns
    -------
    ZeroResult
        Whether it is zero, by which rung, and what was left.

    Examples
    --------
    >>> import sympy as sp
    >>> x = sp.Symbol("x", real=True)
    >>> zero_test(sp.sqrt(x**2) - x).ok, zero_test(sp.sqrt(x**2) - x, side_conditions=[x > 0]).ok
    (False, True)
    """
    if entry.is_commutative is False or any(not s.is_commutative for s in entry.free_symbols):
        rem = sp.expand(entry)
        return ZeroResult(rem == 0, "noncommutative expand", str(rem))
    e = apply_side_conditions(entry, side_conditions) if side_conditions else entry
    ok, name, last = _run_ladder(e, RUNGS)
    if ok:
        return ZeroResult(True, name, "0")
    if force:
        ok, name, _ = _run_ladder(e, FORCE_RUNGS)
        if ok:
            return ZeroResult(True, name, "0", override=True)
    ok, name, last3 = _run_ladder(e, [_SIMPLIFY])
    if ok:
        return ZeroResult(True, name, "0")
    try:
        if _gradient_rung(e, RUNGS):
            return ZeroResult(True, _GRADIENT, "0")
    except Exception:  # pragma: no cover - a rung that raises did not help
        pass
    rem = last3 if last3 != e else last
    return ZeroResult(False, "none", str(rem)[:2000])
