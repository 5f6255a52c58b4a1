r"""Lowering: SymPy closed forms -> cached numeric kernels (numpy/scipy and mpmath).

The symbolic half of :mod:`grsd_sym` derives exact closed forms (the lazy loss of GRSD-T13,
the characteristics of GRSD-T14, ...).  :func:`lower` turns one into a :class:`Kernel` with
SymPy's own code generation:

1. :func:`sympy.codegen.rewriting.optimize` with the standard rewrites ``expm1_opt`` and
   ``log1p_opt`` (:math:`e^x - 1 \to \operatorname{expm1}(x)`, :math:`\log(1+x) \to
   \operatorname{log1p}(x)`) and the project's *log-space* rule :data:`log_space_opt`: a product
   of at least two positive wide-range factors (powers with a symbolic exponent, ``exp``,
   ``gamma``, incomplete gammas) becomes :math:`\exp(\sum_i \log f_i)`, and a power
   :math:`(1 + x)^y` with symbolic :math:`y` becomes :math:`\exp(y\operatorname{log1p}(x))`; so
   :math:`\Gamma(200)(d t)^{-200}` is finite although :math:`\Gamma(200)` overflows a double;
2. :func:`sympy.lambdify` with ``cse=True`` for numpy (``scipy.special`` for the gamma family)
   and for mpmath (:class:`~sympy.printing.pycode.MpmathPrinter`: every Rational is built from
   exact integers at the working precision).

Kernels are cached: lowering the same expression twice compiles it once.

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

import functools
import inspect
import keyword
import math
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Any, TypedDict, Unpack

import mpmath
import numpy as np
import scipy.special
import sympy as sp
from sympy.codegen.cfunctions import log1p
from sympy.codegen.rewriting import ReplaceOptim, expm1_opt, log1p_opt, optimize
from sympy.core.function import AppliedUndef
from sympy.printing.numpy import SciPyPrinter
from sympy.printing.precedence import PRECEDENCE

from grsd_sym.errors import InputError, NonFiniteError

__all__ = ["Kernel", "lower", "safe_rewrite", "log_space_opt", "OPTIMIZATIONS"]


class _log_lowergamma(sp.Function):
    r""":math:`\log\gamma(a, x)`, evaluated as :math:`\log\Gamma(a) + \log P(a, x)` (no overflow)."""

    nargs = 2

    def _eval_evalf(self, prec: int) -> sp.Expr:
        return sp.log(sp.lowergamma(*self.args))._eval_evalf(prec)


class _log_uppergamma(sp.Function):
    r""":math:`\log\Gamma(a, x)`, evaluated as :math:`\log\Gamma(a) + \log Q(a, x)` (no overflow)."""

    nargs = 2

    def _eval_evalf(self, prec: int) -> sp.Expr:
        return sp.log(sp.uppergamma(*self.args))._eval_evalf(prec)


def _log_of_factor(f: sp.Expr) -> sp.Expr | None:
    """``log f`` if ``f`` is a positive wide-range factor, else ``None``."""
    if isinstance(f, sp.gamma) and f.args[0].is_positive:
        return sp.loggamma(f.args[0])
    if isinstance(f, (sp.lowergamma, sp.uppergamma)) and all(a.is_positive for a in f.args):
        return (_log_lowergamma if isinstance(f, sp.lowergamma) else _log_uppergamma)(*f.args)
    if isinstance(f, sp.exp) and f.args[0].is_extended_real:
        return f.args[0]
    if isinstance(f, sp.Pow):
        base, ex = f.args
        if ex.is_number or base.is_positive is not True or ex.is_extended_real is not True:
            return None
        if isinstance(base, sp.gamma):
            return ex * sp.loggamma(base.args[0])
        return ex * _log(base)
    return None


def _log(base: sp.Expr) -> sp.Expr:
    """``log1p(x)`` for ``base = 1 + x``, else ``log(base)``."""
    if isinstance(base, sp.Add) and sp.S.One in base.args:
        rest = base - 1
        if not rest.is_number:
            return log1p(rest)
    return sp.log(base)


def _log_space(expr: sp.Expr) -> sp.Expr:
    if isinstance(expr, sp.Pow):
        return sp.exp(expr.args[1] * _log(expr.args[0]))
    logs: list[sp.Expr] = []
    rest: list[sp.Expr] = []
    for f in expr.args:
        lf = _log_of_factor(f)
        (rest if lf is None else logs).append(f if lf is None else lf)
    return sp.Mul(*rest) * sp.exp(sp.Add(*logs))


def _is_log_space_target(expr: sp.Basic) -> bool:
    if isinstance(expr, sp.Pow):  # (1 + x)^y, y symbolic: exp(y log1p(x))
        base, ex = expr.args
        return isinstance(base, sp.Add) and sp.S.One in base.args and not ex.is_number
    return isinstance(expr, sp.Mul) and sum(_log_of_factor(f) is not None for f in expr.args) >= 2


#: the project's log-space rule, an optimization in the sense of :mod:`sympy.codegen.rewriting`
log_space_opt = ReplaceOptim(_is_log_space_target, _log_space)

#: the rewrites :func:`lower` applies, in order
OPTIMIZATIONS = (log_space_opt, expm1_opt, log1p_opt)


def safe_rewrite(expr: sp.Expr) -> sp.Expr:
    r"""Rewrite ``expr`` into a numerically safer, mathematically equal form (:data:`OPTIMIZATIONS`).

    Parameters
    ----------
    expr : sympy.Expr
        The closed form.

    Returns
    -------
    sympy.Expr
        ``expr`` with ``expm1``/``log1p`` and log-space products.

    Raises
    ------
    InputError
        If ``expr`` is not a SymPy expression.

    Examples
    --------
    >>> import sympy as sp
    >>> x = sp.Symbol("x", positive=True)
    >>> safe_rewrite(sp.log(1 + x) + sp.exp(x) - 1)
    expm1(x) + log1p(x)
    """
    if not isinstance(expr, sp.Basic):
        raise InputError(f"cannot lower {expr!r}: not a SymPy expression")
    return optimize(expr, OPTIMIZATIONS)


def _np_log_inc(regularized: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    def f(a: Any, x: Any) -> Any:
        return scipy.special.gammaln(a) + np.log(regularized(a, x))

    return f


def _inplace(ufunc: np.ufunc, x: Any) -> Any:
    """``ufunc(x)``, written into ``x`` when it is a float64 array (a temporary of the generated code)."""
    if type(x) is np.ndarray and x.dtype == np.float64 and x.ndim:
        return ufunc(x, out=x)
    return ufunc(x)


_NUMPY_EXTRA: Mapping[str, Callable[..., Any]] = {
    "_log_lowergamma": _np_log_inc(scipy.special.gammainc),
    "_log_uppergamma": _np_log_inc(scipy.special.gammaincc),
    "_inplace": _inplace,
}
_MPMATH_EXTRA: Mapping[str, Callable[..., Any]] = {
    "_log_lowergamma": lambda a, x: mpmath.log(mpmath.gammainc(a, 0, x)),
    "_log_uppergamma": lambda a, x: mpmath.log(mpmath.gammainc(a, x)),
}


class _ScalarFirstPrinter(SciPyPrinter):
    """numpy/scipy printer that spares array passes and temporaries (the results are unchanged).

    It multiplies the 0-d (scalar) factors of a product first (``c0 * lam0**p * t * p`` with an
    array ``t`` costs one array pass, not three), adds the scalar terms of a sum first, and
    evaluates ``exp``/``log``/``expm1``/``log1p`` of an array sum or product into that fresh
    temporary (:func:`_inplace`) instead of allocating another array.
    """

    def __init__(self, scalars: set[sp.Symbol]) -> None:
        super().__init__({"fully_qualified_modules": False, "inline": True, "allow_unknown_functions": True})
        self.scalars = scalars

    def _print_inplace_ufunc(self, expr: sp.Function) -> str:
        arg = expr.args[0]
        if isinstance(arg, (sp.Add, sp.Mul)) and not arg.free_symbols <= self.scalars:
            name = self._module_format(self.known_functions[type(expr).__name__])
            return f"_inplace({name}, {self._print(arg)})"
        return str(getattr(SciPyPrinter, f"_print_{type(expr).__name__}")(self, expr))

    _print_exp = _print_log = _print_expm1 = _print_log1p = _print_inplace_ufunc

    def _print_Add(self, expr: sp.Add, order: str | None = None) -> str:
        sc = [f for f in expr.args if f.free_symbols <= self.scalars]
        ar = [f for f in expr.args if not f.free_symbols <= self.scalars]
        if not sc or not ar:
            return super()._print_Add(expr, order)
        return f"{super()._print(sp.Add(*ar))} + ({super()._print(sp.Add(*sc))})"

    def _print_Mul(self, expr: sp.Mul) -> str:
        sc = [f for f in expr.args if f.free_symbols <= self.scalars]
        ar = [f for f in expr.args if not f.free_symbols <= self.scalars]
        if not sc or not ar:
            return super()._print_Mul(expr)
        return f"({super()._print(sp.Mul(*sc))})*{self.parenthesize(sp.Mul(*ar), PRECEDENCE['Mul'])}"


def _lambdify(
    args: tuple[sp.Symbol, ...],
    expr: sp.Expr,
    modules: list[Any],
    cse: bool | Callable[[sp.Expr], tuple[list[Any], sp.Expr]],
    printer: Any = None,
) -> Callable[..., Any]:
    try:
        return sp.lambdify(args, expr, modules=modules, cse=cse, printer=printer)
    except (NameError, KeyError, TypeError) as exc:  # an unsupported function
        raise InputError(f"cannot lower {expr}: {exc}") from None


@functools.lru_cache(maxsize=512)
def _compiled(
    expr: sp.Expr, args: tuple[sp.Symbol, ...], rewrite: bool, cse: bool
) -> tuple[sp.Expr, Callable[..., Any]]:
    """The rewritten expression and its mpmath function (the numpy ones: :func:`_compiled_numpy`)."""
    rewritten = safe_rewrite(expr) if rewrite else expr
    unknown = [f for f in rewritten.atoms(sp.Function) if isinstance(f, AppliedUndef)]
    if unknown:
        raise InputError(f"cannot lower the undefined function(s) {unknown}")
    _compiled_numpy(expr, args, rewrite, cse, (False,) * len(args))  # unsupported: fail early
    return rewritten, _lambdify(args, rewritten, [dict(_MPMATH_EXTRA), "mpmath"], cse)


@functools.lru_cache(maxsize=1024)
def _compiled_numpy(
    expr: sp.Expr, args: tuple[sp.Symbol, ...], rewrite: bool, cse: bool, scalar_mask: tuple[bool, ...]
) -> Callable[..., Any]:
    """The numpy function of ``expr``, specialised to which arguments are 0-d."""
    rewritten = safe_rewrite(expr) if rewrite else expr
    # arguments named like Python keywords ("lambda") would be replaced by Dummies: rename them
    safe = tuple(
        a if a.name.isidentifier() and not keyword.iskeyword(a.name) else sp.Symbol(f"arg{i}", **a.assumptions0)
        for i, a in enumerate(args)
    )
    rewritten = rewritten.xreplace(dict(zip(args, safe, strict=True)))
    args = safe
    printer = _ScalarFirstPrinter({a for a, m in zip(args, scalar_mask, strict=True) if m})

    def scalar_aware_cse(e: sp.Expr) -> tuple[list, sp.Expr]:
        subs, reduced = sp.cse(e, list=False)
        for sym, sub in subs:
            if sub.free_symbols <= printer.scalars:
                printer.scalars.add(sym)
        return subs, reduced

    return _lambdify(
        args, rewritten, [dict(_NUMPY_EXTRA), "numpy", "scipy"], scalar_aware_cse if cse else False, printer
    )


def _to_mpf(x: Any) -> Any:
    """Exact conversion of an argument for the mpmath path (no detour through a decimal string)."""
    if isinstance(x, (bool, np.bool_)):
        raise InputError("boolean arguments are not numbers")
    if isinstance(x, Fraction):
        return mpmath.mpf(x.numerator) / x.denominator
    if isinstance(x, sp.Basic):
        if x.is_Rational:
            return mpmath.mpf(int(x.p)) / int(x.q)
        if x.is_number and x.is_extended_real:
            return mpmath.mpf(sp.N(x, mpmath.mp.dps + 10)._mpf_)
        raise InputError(f"symbolic argument {x} cannot be evaluated as a real number")
    if isinstance(x, (int, float, np.integer, np.floating, str, mpmath.mpf)):
        return mpmath.mpf(int(x) if isinstance(x, np.integer) else x)  # a double is exact
    raise InputError(f"cannot use {x!r} as a numeric argument")


def _all_finite(a: np.ndarray) -> bool:
    """``np.isfinite(a).all()`` without a boolean temporary when ``a`` is finite.

    The sum is finite only if every entry is (a NaN or infinity propagates); a sum that
    overflows falls back to the exact test.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        if math.isfinite(np.add.reduce(a, axis=None)):
            return True
    return bool(np.isfinite(a).all())


class Kernel:
    r"""A lowered closed form: numpy and mpmath evaluators of one SymPy expression.

    Parameters
    ----------
    expr : sympy.Expr
        The source expression (kept unchanged in :attr:`expr`).
    args : sequence of sympy.Symbol
        The argument symbols, in call order; every free symbol of ``expr`` must be one.
    convention : Convention, dict or None
        The convention the expression was derived in (:mod:`grsd_sym.conventions`).
    rewrite, cse : bool
        Apply :func:`safe_rewrite` / common subexpression elimination (both default on).

    Raises
    ------
    InputError
        Free symbols that are not arguments, repeated arguments, unsupported functions.

    Notes
    -----
    Calls broadcast like numpy; ``kernel(...)`` is ``kernel.numpy(...)``.  Non-finite inputs
    raise :class:`~grsd_sym.errors.NonFiniteError`, and so does a non-finite result unless
    ``check=False``.

    Examples
    --------
    >>> import sympy as sp
    >>> x, y = sp.symbols("x y", positive=True)
    >>> k = Kernel(sp.log(1 + x) * y, [x, y])
    >>> k(1e-20, y=[1.0, 2.0]).tolist(), k.rewritten
    ([1e-20, 2e-20], y*log1p(x))
    """

    def __init__(
        self,
        expr: sp.Expr,
        args: Sequence[sp.Symbol] | sp.Symbol,
        *,
        convention: Any = None,
        rewrite: bool = True,
        cse: bool = True,
    ) -> None:
        self.expr = sp.sympify(expr, strict=True)
        self.args = (args,) if isinstance(args, sp.Symbol) else tuple(args)
        if not all(isinstance(a, sp.Symbol) for a in self.args) or len(set(self.args)) != len(self.args):
            raise InputError(f"kernel arguments must be distinct SymPy symbols, got {self.args}")
        if convention is not None and not (isinstance(convention, dict) or hasattr(convention, "to_dict")):
            raise InputError("convention must be a Convention (with to_dict()), a dict, or None")
        free = self.expr.free_symbols - set(self.args)
        if free:
            raise InputError(
                f"expression has free symbols that are not kernel arguments: {', '.join(sorted(map(str, free)))}"
            )
        self.convention = convention
        self._key = (self.expr, self.args, bool(rewrite), bool(cse))
        self.rewritten, self._mp_fn = _compiled(*self._key)
        self._np_fns: dict[tuple[bool, ...], Callable[..., Any]] = {}

    def numpy_function(self, scalar_mask: tuple[bool, ...]) -> Callable[..., Any]:
        """The bare compiled numpy function for arguments whose 0-d-ness is ``scalar_mask``.

        No binding, broadcasting or finiteness checks: for inner loops that validated their
        inputs once (the finite-volume solver).
        """
        return self._np_fn(tuple(bool(m) for m in scalar_mask))

    def _np_fn(self, scalar_mask: tuple[bool, ...]) -> Callable[..., Any]:
        fn = self._np_fns.get(scalar_mask)
        if fn is None:
            fn = self._np_fns[scalar_mask] = _compiled_numpy(*self._key, scalar_mask)
        return fn

    @property
    def numpy_source(self) -> str:
        """The generated numpy source."""
        return inspect.getsource(self._np_fn((False,) * len(self.args)))

    @property
    def mpmath_source(self) -> str:
        """The generated mpmath source."""
        return inspect.getsource(self._mp_fn)

    def _bind(self, args: tuple, kwargs: dict) -> list:
        if len(args) > len(self.args):
            raise InputError(
                f"kernel takes {len(self.args)} arguments ({', '.join(map(str, self.args))}), got {len(args)}"
            )
        values = dict(zip((s.name for s in self.args), args, strict=False))  # the rest come by keyword
        for key, val in kwargs.items():
            if key not in {s.name for s in self.args} or key in values:
                raise InputError(
                    f"unknown or repeated kernel argument {key!r} (arguments: {', '.join(s.name for s in self.args)})"
                )
            values[key] = val
        missing = [s.name for s in self.args if s.name not in values]
        if missing:
            raise InputError(f"missing kernel argument(s): {', '.join(missing)}")
        return [values[s.name] for s in self.args]

    def numpy(self, *args: Any, check: bool = True, **kwargs: Any) -> np.ndarray:
        """Evaluate in float64; arguments broadcast like numpy arrays.

        Parameters
        ----------
        *args, **kwargs : array_like
            The arguments, positionally in :attr:`args` order or by symbol name.
        check : bool
            Raise :class:`NonFiniteError` on non-finite inputs or results.

        Returns
        -------
        numpy.ndarray
            The values, of the broadcast shape of the arguments.
        """
        arrs = [np.asarray(v, dtype=float) for v in self._bind(args, kwargs)]
        if check:
            for s, a in zip(self.args, arrs, strict=True):
                if not _all_finite(a):
                    raise NonFiniteError(f"kernel argument {s} contains NaN or infinity")
        with np.errstate(all="ignore"):
            out = np.asarray(self._np_fn(tuple(a.ndim == 0 for a in arrs))(*arrs), dtype=float)
        shape = np.broadcast_shapes(*(a.shape for a in arrs))
        if out.shape != shape:
            out = np.broadcast_to(out, shape).copy()
        if check and not _all_finite(out):
            raise NonFiniteError(
                f"kernel for {self.expr} produced non-finite values in float64 "
                "(overflow or outside its domain); use .mpmath() there"
            )
        return out

    __call__ = numpy

    def mpmath(self, *args: Any, dps: int = 50, **kwargs: Any) -> Any:
        """Evaluate with mpmath at ``dps`` decimal digits; exact numbers stay exact.

        Returns an ``mpf`` for scalar arguments, a numpy object array of them for array-likes.
        """
        if not isinstance(dps, int) or dps < 5:
            raise InputError(f"dps must be an integer >= 5, got {dps!r}")
        vals = self._bind(args, kwargs)
        with mpmath.workdps(dps):
            if any(np.ndim(v) > 0 for v in vals if not isinstance(v, (str, sp.Basic))):
                bc = np.broadcast_arrays(*(np.asarray(v, dtype=object) for v in vals))
                out = np.empty(bc[0].shape, dtype=object)
                for idx in np.ndindex(out.shape):
                    out[idx] = self._mp_one([b[idx] for b in bc])
                return out
            return self._mp_one(vals)

    def _mp_one(self, vals: list[Any]) -> Any:
        xs = [_to_mpf(v) for v in vals]
        for s, x in zip(self.args, xs, strict=True):
            if not mpmath.isfinite(x):
                raise NonFiniteError(f"kernel argument {s} is not a finite real number")
        out = mpmath.mpmathify(self._mp_fn(*xs))
        if isinstance(out, mpmath.mpc):
            if out.imag != 0:
                raise InputError(f"kernel for {self.expr} is complex at these arguments")
            out = out.real
        if not mpmath.isfinite(out):
            raise NonFiniteError(f"kernel for {self.expr} is not finite at these arguments")
        return +out

    def convention_dict(self) -> dict | None:
        """The convention as a plain dict (``None`` if the kernel has none)."""
        c = self.convention
        return None if c is None else dict(c) if isinstance(c, dict) else c.to_dict()

    def __repr__(self) -> str:
        return f"Kernel(({', '.join(map(str, self.args))}) -> {self.expr})"


class _KernelOptions(TypedDict, total=False):
    convention: Any
    rewrite: bool
    cse: bool


def lower(expr: sp.Expr, args: Sequence[sp.Symbol] | sp.Symbol, **options: Unpack[_KernelOptions]) -> Kernel:
    r"""Lower a SymPy expression to a cached :class:`Kernel` of the given argument symbols.

    Parameters
    ----------
    expr : sympy.Expr
        The closed form.
    args : sequence of sympy.Symbol
        Its arguments, in call order.
    **options
        ``convention``, ``rewrite``, ``cse`` of :class:`Kernel` (``rewrite=False, cse=False``: the naive kernel).

    Returns
    -------
    Kernel

    Raises
    ------
    InputError
        See :class:`Kernel`.

    Examples
    --------
    >>> import sympy as sp
    >>> A, kap, d, t = sp.symbols("A kappa d t", positive=True)
    >>> k = lower(A * sp.gamma(kap) * (d * t) ** (-kap), [A, kap, d, t])
    >>> float(k.numpy(1.0, 200.0, 2.0, 1e3))   # Gamma(200) alone overflows a double
    2.453914978808...e-288

    References
    ----------
    GRSD-T13 (the lazy loss of the example).
    """
    return Kernel(expr, args, **options)
