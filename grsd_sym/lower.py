r"""Lowering: SymPy closed forms -> numeric kernels (numpy and mpmath).

The symbolic half of :mod:`grsd_sym` produces exact SymPy expressions (loss curves such as
GRSD-T13's :math:`L(t) = A\,\Gamma(\kappa)\,(d t)^{-\kappa}`, characteristics of GRSD-T14, ...).
:func:`lower` turns one into a :class:`Kernel`, which evaluates it

* in **float64** over numpy arrays (broadcasting), after numerically safe rewrites and common
  subexpression elimination, and
* in **arbitrary precision** with mpmath, where every exact number of the expression (Integer,
  Rational) is built from exact integers at the working precision, never from a Python float.

Numerically safe rewrites (:func:`safe_rewrite`), applied bottom-up:

.. math::

    c\,e^{x} - c \to c\,\operatorname{expm1}(x), \qquad
    \log(1 + x) \to \operatorname{log1p}(x), \qquad
    (1 + x)^{y} \to \exp\bigl(y \operatorname{log1p}(x)\bigr)\ (y \notin \mathbb{Z}),

and *log-space* evaluation of products that can overflow in intermediate steps: a product of
at least two positive "wide-range" factors (powers with a symbolic exponent, ``exp``,
``gamma``, incomplete gammas), or of a gamma-family factor with any other wide-range factor,
becomes

.. math::  \prod_i f_i \to \exp\Bigl(\sum_i \log f_i\Bigr), \qquad
           \log\Gamma(z) = \operatorname{loggamma}(z),\quad \log x^{y} = y \log x .

So :math:`\Gamma(200)\,(d t)^{-200}` is finite although :math:`\Gamma(200)` overflows a
double.  A kernel records the expression it came from, its argument symbols, the convention
the expression was derived in (see :mod:`grsd_sym.conventions`) and the generated source.

>>> import sympy as sp
>>> x = sp.Symbol("x", positive=True)
>>> k = lower(1 - sp.exp(-x), [x])
>>> print(k.rewritten)
-expm1(-x)
>>> float(k.numpy(1e-12))           # the naive 1 - exp(-x) gives 1.000088900582341e-12
9.999999999995e-13
>>> import mpmath
>>> mpmath.nstr(k.mpmath(sp.Rational(1, 10**12), dps=30), 25)
'9.999999999995000000000002e-13'
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, Iterable, Sequence

import mpmath
import numpy as np
import sympy as sp
from sympy.codegen.cfunctions import expm1, log1p

from grsd_sym.errors import InputError, NonFiniteError

__all__ = ["Kernel", "lower", "safe_rewrite", "log_space_exp", "np_loggamma", "np_gamma",
           "np_lowergamma", "np_uppergamma", "np_log_lowergamma", "np_log_uppergamma"]


# --------------------------------------------------------------------------------------
# the log-space exponential: an unevaluated exp (so SymPy does not fold it back to powers)
# --------------------------------------------------------------------------------------

class log_space_exp(sp.Function):
    r"""``exp`` of a sum of logarithms, kept unevaluated: :math:`\exp(\sum_i \log f_i)`.

    SymPy would fold ``exp(y*log(x))`` back into ``x**y``; this class keeps the log-space form
    until code generation, where it prints as ``exp``.
    """

    nargs = 1

    def _eval_evalf(self, prec):
        return sp.exp(self.args[0])._eval_evalf(prec)

    def fdiff(self, argindex=1):
        return self * 1

    def _eval_is_positive(self):
        if self.args[0].is_extended_real:
            return True
        return None


class _log_lowergamma(sp.Function):
    """``log(lowergamma(a, x))``, evaluated without forming ``lowergamma`` (no overflow)."""

    nargs = 2

    def _eval_evalf(self, prec):
        return sp.log(sp.lowergamma(*self.args))._eval_evalf(prec)


class _log_uppergamma(sp.Function):
    """``log(uppergamma(a, x))``, evaluated without forming ``uppergamma``."""

    nargs = 2

    def _eval_evalf(self, prec):
        return sp.log(sp.uppergamma(*self.args))._eval_evalf(prec)


# --------------------------------------------------------------------------------------
# numerically safe rewrites
# --------------------------------------------------------------------------------------

def _rewrite_add(expr: sp.Add) -> sp.Expr:
    """Pair ``coeff*exp(u)`` with ``-coeff`` inside a sum: ``coeff*expm1(u)``."""
    terms = list(expr.args)
    changed = True
    while changed:
        changed = False
        for i, term in enumerate(terms):
            factors = sp.Mul.make_args(term)
            exps = [f for f in factors if isinstance(f, sp.exp)]
            if len(exps) != 1:
                continue
            coeff = sp.Mul(*[f for f in factors if f is not exps[0]])
            target = -coeff
            for j, other in enumerate(terms):
                if j != i and other == target:
                    new = coeff * expm1(exps[0].args[0])
                    terms = [t for m, t in enumerate(terms) if m not in (i, j)] + [new]
                    changed = True
                    break
            if changed:
                break
    return sp.Add(*terms)


def _one_plus(base: sp.Expr) -> sp.Expr | None:
    """``x`` if ``base == 1 + x`` (with ``x`` not a number), else ``None``."""
    if isinstance(base, sp.Add):
        ones = [a for a in base.args if a == 1]
        if ones:
            rest = sp.Add(*[a for a in base.args if a != 1])
            if not rest.is_number:
                return rest
    return None


_GAMMA_FAMILY = (sp.gamma, sp.lowergamma, sp.uppergamma)


def _log_of_factor(f: sp.Expr) -> tuple[sp.Expr, bool] | None:
    """``(log f, is_gamma_family)`` if ``f`` is a positive wide-range factor, else ``None``."""
    if isinstance(f, sp.gamma) and f.args[0].is_positive:
        return sp.loggamma(f.args[0]), True
    if isinstance(f, sp.lowergamma) and f.args[0].is_positive and f.args[1].is_positive:
        return _log_lowergamma(*f.args), True
    if isinstance(f, sp.uppergamma) and f.args[0].is_positive and f.args[1].is_positive:
        return _log_uppergamma(*f.args), True
    if isinstance(f, (sp.exp, log_space_exp)) and f.args[0].is_extended_real:
        return f.args[0], False
    if isinstance(f, sp.Pow):
        base, ex = f.args
        if ex.is_number or base.is_positive is not True or ex.is_extended_real is not True:
            return None
        if isinstance(base, sp.gamma):
            return ex * sp.loggamma(base.args[0]), True
        one = _one_plus(base)
        return ex * (log1p(one) if one is not None else sp.log(base)), False
    return None


def _rewrite_mul(expr: sp.Mul) -> sp.Expr:
    """Log-space evaluation of products of positive wide-range factors."""
    logs, rest, n_gamma = [], [], 0
    for f in expr.args:
        lf = _log_of_factor(f)
        if lf is None:
            rest.append(f)
        else:
            logs.append(lf[0])
            n_gamma += lf[1]
    if len(logs) >= 2:
        return sp.Mul(*rest) * log_space_exp(sp.Add(*logs))
    return expr


def _rewrite_node(expr: sp.Expr) -> sp.Expr:
    if isinstance(expr, sp.Add):
        return _rewrite_add(expr)
    if isinstance(expr, sp.log) and len(expr.args) == 1:
        one = _one_plus(expr.args[0])
        if one is not None:
            return log1p(one)
        return expr
    if isinstance(expr, sp.Pow):
        base, ex = expr.args
        one = _one_plus(base)
        if one is not None and not (ex.is_integer is True):
            return log_space_exp(ex * log1p(one))
        return expr
    if isinstance(expr, sp.Mul):
        return _rewrite_mul(expr)
    return expr


def safe_rewrite(expr: sp.Expr) -> sp.Expr:
    r"""Rewrite ``expr`` bottom-up into a numerically safer, mathematically equal form.

    Rules (module docstring): ``c e^x - c -> c expm1(x)``, ``log(1+x) -> log1p(x)``,
    ``(1+x)^y -> exp(y log1p(x))`` for non-integer ``y``, and log-space products of positive
    wide-range factors with ``gamma -> exp(loggamma)``.

    >>> import sympy as sp
    >>> x, y = sp.symbols("x y", positive=True)
    >>> safe_rewrite(sp.log(1 + x) + sp.exp(x) - 1)
    expm1(x) + log1p(x)
    """
    expr = sp.sympify(expr)
    if not isinstance(expr, sp.Basic):
        raise InputError(f"cannot lower {expr!r}: not a SymPy expression")

    def walk(e):
        if e.is_Atom:
            return e
        args = [walk(a) for a in e.args]
        if any(a is not b for a, b in zip(args, e.args)):
            e = e.func(*args)
        return _rewrite_node(e)

    return walk(expr)


# --------------------------------------------------------------------------------------
# numpy special functions the kernels need (numpy itself has no gamma family)
# --------------------------------------------------------------------------------------

_lgamma_u = np.frompyfunc(math.lgamma, 1, 1)
_gamma_u = np.frompyfunc(lambda z: math.gamma(z) if z < 171.7 else math.inf, 1, 1)


def np_loggamma(z):
    r""":math:`\log\Gamma(z)` for ``z > 0`` (elementwise, libm accuracy)."""
    z = np.asarray(z, dtype=float)
    if np.any(~(z > 0)):
        raise InputError("the numpy loggamma kernel needs z > 0 (got a value <= 0 or NaN)")
    if z.ndim == 0:
        return np.float64(math.lgamma(float(z)))
    return _lgamma_u(z).astype(float)


def np_gamma(z):
    r""":math:`\Gamma(z)` elementwise (``inf`` past the float range, which the kernel reports)."""
    z = np.asarray(z, dtype=float)
    if z.ndim == 0:
        zf = float(z)
        try:
            return np.float64(math.gamma(zf))
        except (OverflowError, ValueError):
            return np.float64(math.inf if zf > 0 else math.nan)
    with np.errstate(all="ignore"):
        return _gamma_u(z).astype(float)


def _check_inc_gamma(a, x):
    a = np.asarray(a, dtype=float)
    x = np.asarray(x, dtype=float)
    if np.any(~(a > 0)) or np.any(~(x >= 0)):
        raise InputError("the numpy incomplete-gamma kernels need a > 0 and x >= 0")
    return np.broadcast_arrays(a, x)


def _log_p_series(a, x):
    r"""log P(a, x) by :math:`P = x^a e^{-x}/\Gamma(a+1) \sum_n x^n/((a+1)\cdots(a+n))`."""
    term = np.ones_like(x)
    total = np.ones_like(x)
    ap = a.copy()
    active = np.ones(x.shape, dtype=bool)
    for _ in range(5000):
        ap = ap + 1.0
        term = np.where(active, term * x / ap, 0.0)
        total = total + term
        active = term > total * 1e-17
        if not active.any():
            break
    with np.errstate(divide="ignore"):
        return a * np.log(x) - x - np_loggamma(a + 1.0) + np.log(total)


def _log_q_cf(a, x):
    r"""log Q(a, x) by the continued fraction (modified Lentz), valid for ``x >= a + 1``."""
    tiny = 1e-300
    bb = x + 1.0 - a
    c = np.full_like(x, 1.0 / tiny)
    dd = 1.0 / bb
    hh = dd.copy()
    for i in range(1, 5000):
        an = -i * (i - a)
        bb = bb + 2.0
        dd = an * dd + bb
        dd = np.where(np.abs(dd) < tiny, tiny, dd)
        c = bb + an / c
        c = np.where(np.abs(c) < tiny, tiny, c)
        dd = 1.0 / dd
        delta = dd * c
        hh = hh * delta
        if np.all(np.abs(delta - 1.0) < 1e-16):
            break
    return a * np.log(x) - x - np_loggamma(a) + np.log(hh)


def np_log_lowergamma(a, x):
    r""":math:`\log\gamma(a, x)`, :math:`\gamma(a,x) = \int_0^x u^{a-1} e^{-u}\,du`, ``a > 0``, ``x > 0``."""
    a, x = _check_inc_gamma(a, x)
    out = np.empty(x.shape, dtype=float)
    ser = x < a + 1.0
    if ser.any():
        out[ser] = np_loggamma(a[ser]) + _log_p_series(a[ser], x[ser])
    if (~ser).any():
        aa, xx = a[~ser], x[~ser]
        out[~ser] = np_loggamma(aa) + np.log1p(-np.exp(_log_q_cf(aa, xx)))
    return out[()] if out.ndim == 0 else out


def np_log_uppergamma(a, x):
    r""":math:`\log\Gamma(a, x)`, :math:`\Gamma(a,x) = \int_x^\infty u^{a-1} e^{-u}\,du`, ``a > 0``."""
    a, x = _check_inc_gamma(a, x)
    out = np.empty(x.shape, dtype=float)
    ser = x < a + 1.0
    if ser.any():
        aa, xx = a[ser], x[ser]
        out[ser] = np_loggamma(aa) + np.log1p(-np.exp(_log_p_series(aa, xx)))
    if (~ser).any():
        out[~ser] = np_loggamma(a[~ser]) + _log_q_cf(a[~ser], x[~ser])
    return out[()] if out.ndim == 0 else out


def np_lowergamma(a, x):
    r"""Lower incomplete gamma :math:`\gamma(a, x)` (``a > 0``, ``x >= 0``), elementwise."""
    with np.errstate(over="ignore"):
        return np.exp(np_log_lowergamma(a, x))


def np_uppergamma(a, x):
    r"""Upper incomplete gamma :math:`\Gamma(a, x)` (``a > 0``, ``x >= 0``), elementwise."""
    with np.errstate(over="ignore"):
        return np.exp(np_log_uppergamma(a, x))


def _mp_log_lowergamma(a, x):
    return mpmath.log(mpmath.gammainc(a, 0, x))


def _mp_log_uppergamma(a, x):
    return mpmath.log(mpmath.gammainc(a, x))


# --------------------------------------------------------------------------------------
# code generation
# --------------------------------------------------------------------------------------

_NP_FUNCS = {
    sp.exp: "np.exp", log_space_exp: "np.exp", sp.log: "np.log", expm1: "np.expm1",
    log1p: "np.log1p", sp.sin: "np.sin", sp.cos: "np.cos", sp.tan: "np.tan",
    sp.sinh: "np.sinh", sp.cosh: "np.cosh", sp.tanh: "np.tanh", sp.atan: "np.arctan",
    sp.Abs: "np.abs", sp.sign: "np.sign", sp.gamma: "np_gamma", sp.loggamma: "np_loggamma",
    sp.lowergamma: "np_lowergamma", sp.uppergamma: "np_uppergamma",
    _log_lowergamma: "np_log_lowergamma", _log_uppergamma: "np_log_uppergamma",
    sp.erf: "np_erf", sp.erfc: "np_erfc", sp.Max: "np_max", sp.Min: "np_min",
}

_MP_FUNCS = {
    sp.exp: "mpmath.exp", log_space_exp: "mpmath.exp", sp.log: "mpmath.log",
    expm1: "mpmath.expm1", log1p: "mpmath.log1p", sp.sin: "mpmath.sin", sp.cos: "mpmath.cos",
    sp.tan: "mpmath.tan", sp.sinh: "mpmath.sinh", sp.cosh: "mpmath.cosh",
    sp.tanh: "mpmath.tanh", sp.atan: "mpmath.atan", sp.Abs: "mpmath.fabs", sp.sign: "mpmath.sign",
    sp.gamma: "mpmath.gamma", sp.loggamma: "mpmath.loggamma",
    sp.lowergamma: "mp_lowergamma", sp.uppergamma: "mpmath.gammainc",
    _log_lowergamma: "mp_log_lowergamma", _log_uppergamma: "mp_log_uppergamma",
    sp.erf: "mpmath.erf", sp.erfc: "mpmath.erfc", sp.Max: "max", sp.Min: "min",
    sp.hyper: None,
}

_CONSTANTS_NP = {sp.pi: "np.pi", sp.E: "np.e", sp.EulerGamma: "np.euler_gamma"}
_CONSTANTS_MP = {sp.pi: "mpmath.pi", sp.E: "mpmath.e", sp.EulerGamma: "mpmath.euler"}


def _np_erf_scalar(x):
    return math.erf(x)


_erf_u = np.frompyfunc(math.erf, 1, 1)
_erfc_u = np.frompyfunc(math.erfc, 1, 1)


def _np_erf(x):
    return _erf_u(np.asarray(x, dtype=float)).astype(float)


def _np_erfc(x):
    return _erfc_u(np.asarray(x, dtype=float)).astype(float)


def _np_max(*a):
    out = a[0]
    for b in a[1:]:
        out = np.maximum(out, b)
    return out


def _np_min(*a):
    out = a[0]
    for b in a[1:]:
        out = np.minimum(out, b)
    return out


def _mp_lowergamma(a, x):
    return mpmath.gammainc(a, 0, x)


class _Emitter:
    """Prints a (cse-reduced) expression as Python source for one backend.

    ``backend`` is ``"numpy"`` (float64 literals, numpy ufuncs) or ``"mpmath"`` (every number
    built from exact integers at the working precision: ``mpf(p)/q``).
    """

    def __init__(self, backend: str, names: dict[sp.Symbol, str], scalars: frozenset = frozenset()):
        self.backend = backend
        self.names = names
        self.scalars = scalars  # symbols known to be 0-d at call time: hoisted first
        self.funcs = _NP_FUNCS if backend == "numpy" else _MP_FUNCS
        self.consts = _CONSTANTS_NP if backend == "numpy" else _CONSTANTS_MP

    def number(self, e: sp.Expr) -> str:
        if self.backend == "numpy":
            if e.is_Integer:
                return repr(float(e)) if abs(int(e)) > 2**53 else f"{int(e)}.0"
            if e.is_Rational:
                return repr(float(Fraction(int(e.p), int(e.q))))
            if e.is_Float:
                return repr(float(e))
        else:
            if e.is_Integer:
                return f"mpf({int(e)})"
            if e.is_Rational:
                return f"(mpf({int(e.p)})/{int(e.q)})"
            if e.is_Float:  # a Float is an exact dyadic rational: keep every bit
                r = sp.Rational(e)
                return f"(mpf({int(r.p)})/{int(r.q)})"
        raise InputError(f"cannot lower the number {e!r}")

    def __call__(self, e: sp.Expr) -> str:
        if e in self.names:
            return self.names[e]
        if e in self.consts:
            return self.consts[e]
        if e.is_Number:
            if e is sp.nan or e in (sp.oo, -sp.oo, sp.zoo):
                raise NonFiniteError(f"cannot lower the non-finite constant {e}")
            return self.number(e)
        if e.is_Symbol:
            raise InputError(f"symbol {e} is not an argument of the kernel (arguments: "
                             f"{', '.join(str(s) for s in self.names)})")
        if isinstance(e, sp.Add):
            sc = [a for a in e.args if self.is_scalar(a)]
            ar = [a for a in e.args if not self.is_scalar(a)]
            parts = ([("(" + " + ".join(self(a) for a in sc) + ")")] if sc else []) + [self(a) for a in ar]
            return "(" + " + ".join(parts) + ")"
        if isinstance(e, sp.Mul):
            return self.product(e.args)
        if isinstance(e, sp.Pow):
            return self.power(*e.args)
        func = self.funcs.get(e.func)
        if func is None:
            raise InputError(f"cannot lower {e.func.__name__} to {self.backend} "
                             f"(supported: {', '.join(sorted(f.__name__ for f in self.funcs if self.funcs[f]))})")
        return f"{func}(" + ", ".join(self(a) for a in e.args) + ")"

    def is_scalar(self, e: sp.Expr) -> bool:
        return e.free_symbols <= self.scalars

    def product(self, factors) -> str:
        """Numbers and 0-d factors first (one scalar), then the array factors: fewer array passes."""
        groups = {True: ([], []), False: ([], [])}
        for f in factors:
            num, den = groups[self.is_scalar(f)]
            if isinstance(f, sp.Pow) and f.args[1].is_Rational and f.args[1] < 0:
                den.append(sp.Pow(f.args[0], -f.args[1]))
            else:
                num.append(f)

        def block(num, den):
            top = " * ".join(self(f) for f in num) if num else self.number(sp.Integer(1))
            if den:
                return "(" + top + " / (" + " * ".join(self(f) for f in den) + "))"
            return top

        (snum, sden), (anum, aden) = groups[True], groups[False]
        if not anum and not aden:
            return "(" + block(snum, sden) + ")"
        head = "(" + block(snum, sden) + ") * " if (snum or sden) else ""
        return "(" + head + block(anum, aden) + ")"

    def power(self, base: sp.Expr, ex: sp.Expr) -> str:
        b = self(base)
        if ex == sp.Rational(1, 2):
            return f"{'np' if self.backend == 'numpy' else 'mpmath'}.sqrt({b})"
        if ex == sp.Rational(-1, 2):
            one = self.number(sp.Integer(1))
            return f"({one} / {'np' if self.backend == 'numpy' else 'mpmath'}.sqrt({b}))"
        if ex.is_Integer:
            n = int(ex)
            if n == -1:
                return f"({self.number(sp.Integer(1))} / {b})"
            if self.backend == "numpy" and 2 <= n <= 4:
                return "(" + " * ".join([b] * n) + ")" if n > 2 else f"np.square({b})"
            if self.backend == "mpmath":
                return f"({b} ** {n})"
            return f"np.power({b}, {n}.0)"
        if self.backend == "numpy":
            return f"np.power({b}, {self(ex)})"
        return f"mpmath.power({b}, {self(ex)})"


def _as_tuple_of_symbols(args) -> tuple[sp.Symbol, ...]:
    if isinstance(args, sp.Symbol):
        args = [args]
    out = tuple(args)
    for a in out:
        if not isinstance(a, sp.Symbol):
            raise InputError(f"kernel arguments must be SymPy symbols, got {a!r}")
    if len(set(out)) != len(out):
        raise InputError("kernel arguments must be distinct symbols")
    return out


def _to_mpf(x):
    """Exact conversion of an argument for the mpmath path (no detour through a float)."""
    if isinstance(x, mpmath.mpf):
        return x
    if isinstance(x, (bool, np.bool_)):
        raise InputError("boolean arguments are not numbers")
    if isinstance(x, (int, np.integer)):
        return mpmath.mpf(int(x))
    if isinstance(x, Fraction):
        return mpmath.mpf(x.numerator) / x.denominator
    if isinstance(x, sp.Basic):
        x = sp.nsimplify(x) if x.is_Float else x
        if x.is_Rational:
            return mpmath.mpf(int(x.p)) / int(x.q)
        if x.is_number:
            return mpmath.mpf(sp.N(x, mpmath.mp.dps + 10)._mpf_) if x.is_real else None
        raise InputError(f"symbolic argument {x} cannot be evaluated numerically")
    if isinstance(x, str):
        return mpmath.mpf(x)
    if isinstance(x, (float, np.floating)):
        return mpmath.mpf(float(x))  # exact: a double is a dyadic rational
    raise InputError(f"cannot use {x!r} as a numeric argument")


class Kernel:
    r"""A lowered closed form: numpy and mpmath evaluators of one SymPy expression.

    Attributes
    ----------
    expr : the source SymPy expression (unchanged);
    args : the argument symbols, in call order;
    convention : the convention the expression was derived in (a ``Convention``, a dict, or
        ``None``; :meth:`convention_dict` gives it as a dict);
    rewritten : ``expr`` after :func:`safe_rewrite` (equal to ``expr`` when ``rewrite=False``);
    replacements, reduced : the common subexpressions and the reduced expression (``sympy.cse``);
    numpy_source, mpmath_source : the generated Python source.

    Calls broadcast over numpy arrays; ``kernel(...)`` is ``kernel.numpy(...)``.  Non-finite
    inputs raise :class:`~grsd_sym.errors.NonFiniteError`, and so does a non-finite result
    unless ``check=False``.
    """

    def __init__(self, expr, args, *, convention=None, rewrite=True, cse=True):
        self.expr = sp.sympify(expr)
        self.args = _as_tuple_of_symbols(args)
        if convention is not None and not (isinstance(convention, dict) or hasattr(convention, "to_dict")):
            raise InputError("convention must be a Convention (with to_dict()), a dict, or None")
        self.convention = convention
        free = self.expr.free_symbols - set(self.args)
        if free:
            raise InputError(f"expression has free symbols that are not kernel arguments: "
                             f"{', '.join(sorted(map(str, free)))}")
        self.rewrite = bool(rewrite)
        self.use_cse = bool(cse)
        self.rewritten = safe_rewrite(self.expr) if rewrite else self.expr
        if cse:
            self.replacements, reduced = sp.cse(self.rewritten, optimizations=None)
            self.reduced = reduced[0]
        else:
            self.replacements, self.reduced = [], self.rewritten
        self.numpy_source = self._generate("numpy")
        self.mpmath_source = self._generate("mpmath")
        self._np_fn = self._compile(self.numpy_source, "numpy")
        self._np_cache: dict[tuple[bool, ...], Any] = {}
        self._mp_fn = self._compile(self.mpmath_source, "mpmath")

    # -- generation ----------------------------------------------------------------------
    def _generate(self, backend: str, scalar_mask: tuple[bool, ...] | None = None) -> str:
        """Python source of the kernel; ``scalar_mask[i]`` says argument ``i`` is 0-d."""
        params = [f"a{i}" for i in range(len(self.args))]
        names = {s: p for s, p in zip(self.args, params)}
        mask = scalar_mask or (False,) * len(self.args)
        scalars = {s for s, m in zip(self.args, mask) if m}
        lines = [f"def _kernel({', '.join(params)}):"]
        for sym, sub in self.replacements:
            em = _Emitter(backend, names, frozenset(scalars))
            code = em(sub)
            if sub.free_symbols <= scalars:
                scalars.add(sym)
            names[sym] = f"_{sym.name}"
            lines.append(f"    _{sym.name} = {code}")
        lines.append(f"    return {_Emitter(backend, names, frozenset(scalars))(self.reduced)}")
        return "\n".join(lines) + "\n"

    def numpy_source_for(self, scalar_mask: tuple[bool, ...]) -> str:
        """The numpy source specialised to which arguments are scalars (0-d)."""
        return self._generate("numpy", tuple(bool(m) for m in scalar_mask))

    @staticmethod
    def _compile(source: str, backend: str):
        ns: dict[str, Any] = {"np": np, "mpmath": mpmath, "mpf": mpmath.mpf, "math": math,
                              "np_gamma": np_gamma, "np_loggamma": np_loggamma,
                              "np_lowergamma": np_lowergamma, "np_uppergamma": np_uppergamma,
                              "np_log_lowergamma": np_log_lowergamma,
                              "np_log_uppergamma": np_log_uppergamma, "np_erf": _np_erf,
                              "np_erfc": _np_erfc, "np_max": _np_max, "np_min": _np_min,
                              "mp_lowergamma": _mp_lowergamma,
                              "mp_log_lowergamma": _mp_log_lowergamma,
                              "mp_log_uppergamma": _mp_log_uppergamma}
        exec(compile(source, f"<grsd kernel {backend}>", "exec"), ns)
        return ns["_kernel"]

    # -- evaluation ----------------------------------------------------------------------
    def _bind(self, args, kwargs) -> list:
        if len(args) > len(self.args):
            raise InputError(f"kernel takes {len(self.args)} arguments "
                             f"({', '.join(map(str, self.args))}), got {len(args)}")
        values = list(args) + [None] * (len(self.args) - len(args))
        by_name = {s.name: i for i, s in enumerate(self.args)}
        for key, val in kwargs.items():
            if key not in by_name:
                raise InputError(f"unknown kernel argument {key!r} (arguments: {', '.join(by_name)})")
            if values[by_name[key]] is not None:
                raise InputError(f"argument {key!r} given twice")
            values[by_name[key]] = val
        missing = [self.args[i].name for i, v in enumerate(values) if v is None]
        if missing:
            raise InputError(f"missing kernel argument(s): {', '.join(missing)}")
        return values

    def numpy(self, *args, check: bool = True, **kwargs) -> np.ndarray:
        """Evaluate in float64; arguments broadcast like numpy arrays."""
        vals = self._bind(args, kwargs)
        arrs = []
        for s, v in zip(self.args, vals):
            a = np.asarray(v, dtype=float)
            if check and not np.isfinite(a).all():
                raise NonFiniteError(f"kernel argument {s} contains NaN or infinity")
            arrs.append(a)
        mask = tuple(a.ndim == 0 for a in arrs)
        fn = self._np_cache.get(mask)
        if fn is None:
            fn = self._np_cache[mask] = self._compile(self.numpy_source_for(mask), "numpy")
        with np.errstate(all="ignore"):
            out = fn(*arrs)
        out = np.asarray(out, dtype=float)
        shape = np.broadcast_shapes(*(a.shape for a in arrs)) if arrs else ()
        if out.shape != shape:
            out = np.broadcast_to(out, shape).copy()
        if check and not np.isfinite(out).all():
            bad = int(np.size(out) - np.count_nonzero(np.isfinite(out)))
            raise NonFiniteError(f"kernel for {self.expr} produced {bad} non-finite value(s) in "
                                 f"float64 (overflow or outside its domain); use .mpmath() there")
        return out

    __call__ = numpy

    def mpmath(self, *args, dps: int = 50, **kwargs):
        """Evaluate with mpmath at ``dps`` decimal digits; exact numbers stay exact.

        Scalar arguments give an ``mpf``; array-like arguments give a numpy object array of them.
        """
        if not isinstance(dps, int) or dps < 5:
            raise InputError(f"dps must be an integer >= 5, got {dps!r}")
        vals = self._bind(args, kwargs)
        with mpmath.workdps(dps):
            if any(np.ndim(v) > 0 for v in vals if not isinstance(v, (str, sp.Basic))):
                objs = [np.asarray(v, dtype=object) for v in vals]
                bc = np.broadcast_arrays(*objs)
                out = np.empty(bc[0].shape, dtype=object)
                for idx in np.ndindex(out.shape):
                    out[idx] = self._mp_one([b[idx] for b in bc])
                return out
            return self._mp_one(vals)

    def _mp_one(self, vals):
        xs = []
        for s, v in zip(self.args, vals):
            x = _to_mpf(v)
            if x is None or not mpmath.isfinite(x):
                raise NonFiniteError(f"kernel argument {s} is not a finite real number: {v!r}")
            xs.append(x)
        out = self._mp_fn(*xs)
        out = mpmath.mpmathify(out)
        if isinstance(out, mpmath.mpc):
            if out.imag == 0:
                out = out.real
            else:
                raise InputError(f"kernel for {self.expr} is complex at these arguments "
                                 "(outside its real domain)")
        if not mpmath.isfinite(out):
            raise NonFiniteError(f"kernel for {self.expr} is not finite at these arguments")
        return +out

    def convention_dict(self) -> dict | None:
        """The convention as a plain dict (``None`` if the kernel has none)."""
        c = self.convention
        if c is None:
            return None
        return dict(c) if isinstance(c, dict) else c.to_dict()

    def __repr__(self) -> str:
        args = ", ".join(map(str, self.args))
        return f"Kernel(({args}) -> {self.expr})"


def lower(expr, args: Sequence[sp.Symbol] | sp.Symbol, *, convention=None, rewrite: bool = True,
          cse: bool = True) -> Kernel:
    r"""Lower a SymPy expression to a :class:`Kernel` of the given argument symbols.

    ``rewrite`` applies :func:`safe_rewrite` (expm1/log1p/log-space); ``cse`` applies
    ``sympy.cse``.  Both default on; turning them off gives the naive kernel (for comparison).

    >>> import sympy as sp
    >>> A, kap, d, t = sp.symbols("A kappa d t", positive=True)
    >>> k = lower(A * sp.gamma(kap) * (d * t) ** (-kap), [A, kap, d, t])
    >>> float(k.numpy(1.0, 200.0, 2.0, 1e3))   # Gamma(200) alone overflows a double
    2.453914978808623e-288
    """
    return Kernel(expr, args, convention=convention, rewrite=rewrite, cse=cse)
