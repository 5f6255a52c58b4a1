r"""The refuting witness: rigorous ball arithmetic at points over the whole declared domain.

A residual :math:`r = \mathrm{lhs} - \mathrm{rhs}` is evaluated with python-flint's ``acb``
(complex balls: a midpoint and a radius that provably encloses the exact value) at points
spread over the domain its symbols declare:

* positive symbols: log-uniform over :math:`10^{-8} \dots 10^{8}`, small integers, points near 1;
* real symbols: both signs, near 0; negative / nonnegative / nonzero accordingly;
* integer symbols: small, large (:math:`10^6`, :math:`10^{12}`) and of both signs where allowed;
* symbols without assumptions are complex: points off the real line and on the negative axis;
* points next to the branch points of ``sqrt``/``log``/non-integer powers/inverse trigonometric
  functions whose argument is a polynomial of low degree in one symbol.

Undefined functions (``f(x)``) are replaced by a *family* of concrete test functions: positive,
negative, sign-changing and complex-valued ones (restricted by the function's own assumptions,
``Function("f", positive=True)``).  One point whose enclosure of the residual excludes zero
**refutes** the claim; the point, both sides and the enclosure are recorded.  Points where the
residual is undefined (a pole, a side condition that fails) are skipped and counted.

Functions outside the ``acb`` whitelist are evaluated by SymPy's ``evalf`` (mpmath) at 60 digits;
the record then says ``engine = "mpmath"`` (not rigorous) and a refutation needs a residual above
``1e-30`` relative to its terms.

>>> import sympy as sp
>>> x = sp.Symbol("x", positive=True)
>>> res = evaluate_witness(sp.sqrt((4 - x) * (5 - x)) - sp.sqrt(4 - x) * sp.sqrt(5 - x))
>>> res.refuted, res.counterexample["point"]["x"] is not None
(True, True)
>>> evaluate_witness(sp.sin(x) ** 2 + sp.cos(x) ** 2 - 1).refuted
False
"""

from __future__ import annotations

import dataclasses
import math
import operator
import random
from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

import mpmath
import sympy as sp
from flint import acb, arb, ctx, fmpq, fmpz
from sympy.core.function import AppliedUndef

from grsd_sym.certify.zero_test import cached_doit

__all__ = [
    "BASE_PREC",
    "HIGH_PREC",
    "WitnessResult",
    "compile_acb",
    "evaluate_witness",
    "probe_family",
    "probe_function",
    "Undefined",
    "NotCompilable",
]

#: working precision (bits) at every point (about 57 decimal digits)
BASE_PREC = 192
#: precision (bits) of the re-evaluation at a few points (about 616 digits): catches exp(-1000)
HIGH_PREC = 2048
#: a point whose enclosure (containing 0) is wider than this many digits is re-evaluated, then skipped
INCONCLUSIVE_DIGITS = 20
#: relative size above which an mpmath (non-rigorous) residual counts as a refutation
MPMATH_REFUTE = mpmath.mpf(10) ** -30


class Undefined(Exception):
    """The expression is undefined (or undecidable) at this point: skip the point.

    Examples
    --------
    >>> import sympy as sp
    >>> from flint import acb
    >>> x = sp.Symbol("x")
    >>> compile_acb(1 / x)({x: acb(0)})
    Traceback (most recent call last):
    ...
    grsd_sym.certify.witness.Undefined: ...
    """


class NotCompilable(Exception):
    """The expression uses a function outside the ``acb`` whitelist.

    Examples
    --------
    >>> import sympy as sp
    >>> compile_acb(sp.Function("f")(sp.Symbol("x")))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    grsd_sym.certify.witness.NotCompilable: ...
    """


# --------------------------------------------------------------------------------------
# SymPy -> acb closures
# --------------------------------------------------------------------------------------

Env = Mapping[sp.Symbol, acb]
Closure = Callable[[Env], acb]


def _finite(z: acb) -> acb:
    if not z.is_finite():
        raise Undefined("non-finite value")
    return z


def _real_part(z: acb) -> arb:
    if not z.imag.is_zero():
        if z.imag.contains(0):
            raise Undefined("cannot decide whether a value is real")
        raise Undefined("a real-only function received a complex value")
    return z.real


def _const(value: Callable[[], acb]) -> Closure:
    return lambda env: value()


def _rational(q: sp.Rational) -> Closure:
    p, r = int(q.p), int(q.q)
    if r == 1:
        return lambda env: acb(p)
    return lambda env: acb(arb(fmpq(p, r)))


_UNARY: dict[type, str] = {
    sp.exp: "exp",
    sp.sin: "sin",
    sp.cos: "cos",
    sp.tan: "tan",
    sp.cot: "cot",
    sp.sec: "sec",
    sp.csc: "csc",
    sp.asin: "asin",
    sp.acos: "acos",
    sp.atan: "atan",
    sp.sinh: "sinh",
    sp.cosh: "cosh",
    sp.tanh: "tanh",
    sp.coth: "coth",
    sp.asinh: "asinh",
    sp.acosh: "acosh",
    sp.atanh: "atanh",
    sp.gamma: "gamma",
    sp.loggamma: "lgamma",
    sp.digamma: "digamma",
    sp.erf: "erf",
    sp.erfc: "erfc",
    sp.erfi: "erfi",
    sp.Ei: "ei",
    sp.li: "li",
    sp.Si: "si",
    sp.Ci: "ci",
    sp.Shi: "shi",
    sp.Chi: "chi",
    sp.airyai: "airy_ai",
    sp.airybi: "airy_bi",
    sp.elliptic_k: "elliptic_k",
    sp.conjugate: "conjugate",
    sp.sinc: "sinc",
}
_BESSEL: dict[type, str] = {
    sp.besselj: "bessel_j",
    sp.bessely: "bessel_y",
    sp.besseli: "bessel_i",
    sp.besselk: "bessel_k",
}


def compile_acb(e: sp.Basic) -> Closure:
    """Compile a SymPy expression into ``env -> acb`` (raises :class:`NotCompilable`).

    Parameters
    ----------
    e : sympy.Basic
        The expression.

    Returns
    -------
    callable
        ``env -> acb``, ``env`` mapping each symbol to a ball.

    Examples
    --------
    >>> from flint import acb
    >>> x = sp.Symbol("x")
    >>> compile_acb(x**2 + 1)({x: acb(2)})
    5.00000000000000
    """
    if e.is_Integer or e.is_Rational:
        return _rational(sp.Rational(e))
    if e.is_Float:
        return _rational(sp.Rational(e))
    if e is sp.pi:
        return _const(lambda: acb(arb.pi()))
    if e is sp.E:
        return _const(lambda: acb(arb.const_e()))
    if e is sp.EulerGamma:
        return _const(lambda: acb(arb.const_euler()))
    if e is sp.Catalan:
        return _const(lambda: acb(arb.const_catalan()))
    if e is sp.GoldenRatio:
        return _const(lambda: acb((1 + arb(5).sqrt()) / 2))
    if e is sp.I:
        return _const(lambda: acb(0, 1))
    if e in (sp.oo, -sp.oo, sp.zoo, sp.nan):

        def undefined(env: Env) -> acb:
            raise Undefined("infinite or nan constant")

        return undefined
    if e.is_Symbol:

        def sym(env: Env, s: sp.Basic = e) -> acb:
            try:
                return env[s]
            except KeyError:
                raise NotCompilable(f"no value for {s}") from None

        return sym
    if e.is_Add:
        return _fold([compile_acb(a) for a in e.args], operator.add)
    if e.is_Mul:
        product = _fold([compile_acb(a) for a in e.args], operator.mul)
        return lambda env: _finite(product(env))
    if e.is_Pow:
        return _compile_pow(e)
    if isinstance(e, sp.log):
        a = compile_acb(e.args[0])
        if len(e.args) == 2:
            bse = compile_acb(e.args[1])
            return lambda env: _finite(_finite(a(env).log()) / _finite(bse(env).log()))
        return lambda env: _finite(a(env).log())
    f = type(e)
    if f in _UNARY:
        a = compile_acb(e.args[0])
        meth = _UNARY[f]
        return lambda env: _finite(getattr(a(env), meth)())
    if f in _BESSEL:
        nu, a = compile_acb(e.args[0]), compile_acb(e.args[1])
        meth = _BESSEL[f]
        return lambda env: _finite(getattr(a(env), meth)(nu(env)))
    return _compile_special(e)


def _compile_pow(e: sp.Pow) -> Closure:
    base = compile_acb(e.base)
    ex = e.exp
    if ex.is_Integer:
        n = int(ex)

        def ipow(env: Env) -> acb:
            b = base(env)
            if n < 0 and b.contains(0):
                raise Undefined("pole")
            return _finite(b**n)

        return ipow
    if ex == sp.S.Half:
        return lambda env: _finite(base(env).sqrt())
    if ex == -sp.S.Half:

        def rsqrt(env: Env) -> acb:
            b = base(env)
            if b.contains(0):
                raise Undefined("pole")
            return _finite(b.rsqrt())

        return rsqrt
    expo = compile_acb(ex)

    def gpow(env: Env) -> acb:
        b, w = base(env), expo(env)
        if b.contains(0):
            if b.is_zero() and w.real > 0:
                return acb(0)
            raise Undefined("power of a ball containing 0")
        return _finite(b**w)

    return gpow


def _relational(c: sp.Basic) -> Callable[[Env], bool]:
    """A condition -> env -> bool, raising :class:`Undefined` when the balls cannot decide it."""
    if c is sp.true:
        return lambda env: True
    if c is sp.false:
        return lambda env: False
    if isinstance(c, sp.And):
        parts = [_relational(a) for a in c.args]
        return lambda env: all(p(env) for p in parts)
    if isinstance(c, sp.Or):
        parts = [_relational(a) for a in c.args]
        return lambda env: any(p(env) for p in parts)
    if isinstance(c, sp.Not):
        inner = _relational(c.args[0])
        return lambda env: not inner(env)
    if isinstance(c, sp.Rel):
        d = compile_acb(c.lhs - c.rhs)
        op = c.rel_op

        def rel(env: Env) -> bool:
            v = d(env)
            if op in ("==", "!="):
                if v.is_zero():
                    return op == "=="
                if not v.contains(0):
                    return op == "!="
                raise Undefined("undecidable equality")
            r = _real_part(v)
            yes = {"<": r < 0, "<=": r <= 0, ">": r > 0, ">=": r >= 0}[op]
            no = {"<": r >= 0, "<=": r > 0, ">": r <= 0, ">=": r < 0}[op]
            if yes:
                return True
            if no:
                return False
            raise Undefined("undecidable inequality")

        return rel
    raise NotCompilable(f"condition {c}")


def _compile_special(e: sp.Basic) -> Closure:
    f = type(e)
    args = e.args
    if f is sp.Abs:
        a = compile_acb(args[0])
        return lambda env: acb(abs(a(env)))
    if f is sp.re:
        a = compile_acb(args[0])
        return lambda env: acb(a(env).real)
    if f is sp.im:
        a = compile_acb(args[0])
        return lambda env: acb(a(env).imag)
    if f is sp.arg:
        a = compile_acb(args[0])
        return lambda env: acb(_finite(a(env)).arg())
    if f is sp.sign:
        a = compile_acb(args[0])

        def sgn(env: Env) -> acb:
            v = a(env)
            if v.is_zero():
                return acb(0)
            if v.contains(0):
                raise Undefined("sign of a ball containing 0")
            return v / acb(abs(v))

        return sgn
    if f in (sp.Min, sp.Max):
        parts = [compile_acb(a) for a in args]
        is_min = f is sp.Min

        def mm(env: Env) -> acb:
            vals = [_real_part(p(env)) for p in parts]
            out = vals[0]
            for v in vals[1:]:
                out = out.min(v) if is_min else out.max(v)
            return acb(out)

        return mm
    if f is sp.Heaviside:
        a = compile_acb(args[0])
        h0 = compile_acb(args[1]) if len(args) > 1 else _rational(sp.S.Half)

        def heav(env: Env) -> acb:
            r = _real_part(a(env))
            if r > 0:
                return acb(1)
            if r < 0:
                return acb(0)
            if r.is_zero():
                return h0(env)
            raise Undefined("Heaviside at a ball containing 0")

        return heav
    if f is sp.Piecewise:
        branches = [(compile_acb(ex), _relational(c)) for ex, c in args]

        def pw(env: Env) -> acb:
            for ex, c in branches:
                if c(env):
                    return ex(env)
            raise Undefined("no Piecewise branch applies")

        return pw
    if f in (sp.floor, sp.ceiling):
        a = compile_acb(args[0])
        up = f is sp.ceiling

        def fl(env: Env) -> acb:
            r = _real_part(a(env))
            v = r.ceil() if up else r.floor()
            if v.rad() > 0:
                raise Undefined("floor/ceiling at an integer boundary")
            return acb(v)

        return fl
    if f is sp.atan2:
        y, x = compile_acb(args[0]), compile_acb(args[1])
        return lambda env: _finite(acb(arb.atan2(_real_part(y(env)), _real_part(x(env)))))
    if f is sp.acot:
        a = compile_acb(args[0])
        return lambda env: _finite((1 / _finite(a(env))).atan()) if not a(env).contains(0) else _raise("acot at 0")
    if f is sp.polygamma:
        n, a = args
        if not n.is_Integer:
            raise NotCompilable("polygamma of non-integer order")
        ca, cn = compile_acb(a), compile_acb(n)
        return lambda env: _finite(ca(env).polygamma(cn(env)))
    if f is sp.zeta:
        s = compile_acb(args[0])
        if len(args) == 2:
            a = compile_acb(args[1])
            return lambda env: _finite(s(env).zeta(a(env)))
        return lambda env: _finite(s(env).zeta())
    if f is sp.polylog:
        s, z = compile_acb(args[0]), compile_acb(args[1])
        return lambda env: _finite(z(env).polylog(s(env)))
    if f is sp.LambertW:
        a = compile_acb(args[0])
        k = int(args[1]) if len(args) > 1 and args[1].is_Integer else 0
        if len(args) > 1 and not args[1].is_Integer:
            raise NotCompilable("LambertW branch")
        return lambda env: _finite(a(env).lambertw(k))
    if f in (sp.uppergamma, sp.lowergamma):
        s_, z_ = compile_acb(args[0]), compile_acb(args[1])
        meth = "gamma_upper" if f is sp.uppergamma else "gamma_lower"
        return lambda env: _finite(getattr(z_(env), meth)(s_(env)))
    if f is sp.expint:
        s, z = compile_acb(args[0]), compile_acb(args[1])
        return lambda env: _finite(z(env).expint(s(env)))
    if f is sp.factorial:
        a = compile_acb(args[0])
        return lambda env: _finite((a(env) + 1).gamma())
    if f is sp.binomial:
        n_, k_ = compile_acb(args[0]), compile_acb(args[1])
        return lambda env: _binomial(n_(env), k_(env))
    if f is sp.RisingFactorial:
        a, n = compile_acb(args[0]), compile_acb(args[1])
        return lambda env: _finite((a(env) + n(env)).gamma() * a(env).rgamma())
    if f is sp.beta and len(args) == 2:
        a, b = compile_acb(args[0]), compile_acb(args[1])
        return lambda env: _finite(a(env).gamma() * b(env).gamma() * (a(env) + b(env)).rgamma())
    if f is sp.hyper:
        ap = [compile_acb(a) for a in args[0]]
        bq = [compile_acb(b) for b in args[1]]
        z = compile_acb(args[2])
        return lambda env: _finite(z(env).hypgeom([a(env) for a in ap], [b(env) for b in bq]))
    if f is sp.elliptic_e and len(args) == 1:
        a = compile_acb(args[0])
        return lambda env: _finite(a(env).elliptic_e())
    if f is sp.fresnels:
        a = compile_acb(args[0])
        return lambda env: _finite(a(env).fresnel_s())
    if f is sp.fresnelc:
        a = compile_acb(args[0])
        return lambda env: _finite(a(env).fresnel_c())
    if f is sp.KroneckerDelta:
        i, j = compile_acb(args[0]), compile_acb(args[1])

        def kd(env: Env) -> acb:
            d = i(env) - j(env)
            if d.is_zero():
                return acb(1)
            if not d.contains(0):
                return acb(0)
            raise Undefined("undecidable KroneckerDelta")

        return kd
    raise NotCompilable(f"{f.__name__} is not in the acb whitelist")


def _fold(parts: list[Closure], op: Callable[[acb, acb], acb]) -> Closure:
    """Left fold of ``op`` over the compiled terms (a sum or a product)."""

    def fold(env: Env) -> acb:
        tot = parts[0](env)
        for p in parts[1:]:
            tot = op(tot, p(env))
        return tot

    return fold


def _raise(msg: str) -> acb:
    raise Undefined(msg)


def _binomial(n: acb, k: acb) -> acb:
    """Binomial coefficient: exact for integer arguments (SymPy's convention), else by gamma."""
    if n.is_exact() and k.is_exact() and n.imag.is_zero() and k.imag.is_zero():
        nr, kr = n.real, k.real
        if nr.is_integer() and kr.is_integer():
            # an exact integer ball has a unique integer: unique_fmpz() is not None here
            ni, ki = int(cast(fmpz, nr.unique_fmpz())), int(cast(fmpz, kr.unique_fmpz()))
            if ki < 0:
                return acb(0)
            num = 1
            for i in range(ki):
                num *= ni - i
            return acb(num) / acb(math.factorial(ki))
    return _finite((n + 1).gamma() * (k + 1).rgamma() * (n - k + 1).rgamma())


# --------------------------------------------------------------------------------------
# test functions for undefined functions
# --------------------------------------------------------------------------------------

#: members of the family: name -> (kind, coefficients A..H of the template below)
_FAMILY: dict[str, tuple[str, tuple]] = {
    "positive": ("positive", (1, sp.Rational(1, 7), 2, 1, 0, 0, 0, 0)),
    "negative": ("negative", (-1, sp.Rational(1, 5), sp.Rational(3, 2), sp.Rational(1, 2), 0, 0, 0, 0)),
    "sign-changing": (
        "real",
        (sp.Rational(1, 3), sp.Rational(1, 9), 0, 1, 1, sp.Rational(7, 10), 0, sp.Rational(1, 5)),
    ),
    "complex": ("complex", (sp.Rational(1, 2), sp.Rational(1, 3), 1, 1, 0, 0, 4, sp.Rational(1, 7))),
    "positive-2": ("positive", (3, -sp.Rational(1, 5), sp.Rational(3, 2), sp.Rational(1, 3), 0, 0, 0, 0)),
}


def probe_family(func: Any) -> list[str]:
    """Names of the family members allowed by the assumptions of the undefined ``func``.

    Parameters
    ----------
    func : sympy undefined function
        E.g. ``Function("f", positive=True)``.

    Returns
    -------
    list of str
        Family member names.

    Examples
    --------
    >>> probe_family(sp.Function("f", positive=True))
    ['positive', 'positive-2']
    >>> len(probe_family(sp.Function("g")))
    5
    """
    probe = func(sp.Symbol("w_probe", real=True))
    if probe.is_positive:
        kinds = {"positive"}
    elif probe.is_negative:
        kinds = {"negative"}
    elif probe.is_nonnegative:
        kinds = {"positive"}
    elif probe.is_real:
        kinds = {"positive", "negative", "real"}
    else:
        kinds = {"positive", "negative", "real", "complex"}
    return [name for name, (kind, _) in _FAMILY.items() if kind in kinds]


def _template(nargs: int, tag: str) -> tuple[sp.Lambda, list[sp.Symbol]]:
    """``A exp(B s) (C + sin(D s)) + E (s - F) + G exp(i s / 3) + H w0 w1`` with coefficient symbols.

    ``s = w0 + w1/2 + w2/3 + ...``; one symbolic template is substituted once, and each family
    member is a choice of the coefficients at the evaluation point.
    """
    ws = sp.symbols(f"w0:{nargs}")
    cs = list(sp.symbols(f"{tag}_A {tag}_B {tag}_C {tag}_D {tag}_E {tag}_F {tag}_G {tag}_H", real=True))
    A, B, C, D, E, F, G, H = cs
    s = sum(w / (i + 1) for i, w in enumerate(ws))
    body = A * sp.exp(B * s) * (C + sp.sin(D * s)) + E * (s - F) + G * sp.exp(sp.I * s / 3)
    if nargs > 1:
        body += H * ws[0] * ws[1]
    return sp.Lambda(ws, body), cs


# --------------------------------------------------------------------------------------
# points
# --------------------------------------------------------------------------------------


def probe_function(member: str, nargs: int = 1) -> sp.Lambda:
    """The concrete test function ``member`` of ``nargs`` arguments (to re-evaluate a counterexample).

    Parameters
    ----------
    member : str
        A family member (:func:`probe_family`).
    nargs : int
        Number of arguments.

    Returns
    -------
    sympy.Lambda
        The function.

    Examples
    --------
    >>> probe_function("negative")(0)
    -3/2
    """
    lam, cs = _template(nargs, "_t")
    return sp.Lambda(lam.variables, lam.expr.subs(dict(zip(cs, _FAMILY[member][1], strict=True))))


def _dyadic(x: float) -> sp.Rational:
    return sp.Rational(x)  # exact value of the double: representable in arb without rounding


def _positive_values(rng: random.Random, n: int) -> list[sp.Rational]:
    fixed = [
        sp.Integer(1),
        _dyadic(1e8),
        _dyadic(1e-8),
        sp.Integer(7),
        sp.Rational(1, 2),
        _dyadic(10 ** rng.uniform(2, 8)),
        _dyadic(1 + 2.0**-20),
        sp.Integer(2),
        _dyadic(1 - 2.0**-20),
        sp.Integer(3),
    ]
    rand = [_dyadic(10 ** rng.uniform(-8, 8)) for _ in range(n)]
    return fixed + rand


def _values_for(sym: sp.Symbol, rng: random.Random, n: int) -> list[sp.Basic]:
    """Candidate values for ``sym`` over its whole declared domain (first ones are the specials)."""
    if sym.is_noninteger:
        vals = _values_for(
            sp.Dummy(
                positive=sym.is_positive,
                negative=sym.is_negative,
                real=sym.is_real,
                nonnegative=sym.is_nonnegative,
                nonpositive=sym.is_nonpositive,
            ),
            rng,
            n,
        )
        return [v for v in vals if not v.is_integer] + [sp.Rational(7, 3), -sp.Rational(7, 3)] * (
            0 if sym.is_positive else 1
        )
    if sym.is_integer:
        pos = [sp.Integer(v) for v in (1, 2, 3, 10**6 + 3, 5, 8, 13, 97, 10**12 + 39)]
        pos += [sp.Integer(rng.randint(4, 60)) for _ in range(n)]
        if sym.is_positive:
            return pos
        if sym.is_nonnegative:
            return [sp.Integer(0), *pos]
        if sym.is_negative:
            return [-v for v in pos]
        if sym.is_nonpositive:
            return [sp.Integer(0)] + [-v for v in pos]
        both = [v for pair in zip(pos, [-v for v in pos], strict=True) for v in pair]
        return both if sym.is_nonzero else [sp.Integer(0), *both]
    pos = _positive_values(rng, n)
    if sym.is_positive:
        return pos
    if sym.is_negative:
        return [-v for v in pos]
    if sym.is_nonnegative:
        return [sp.Integer(0), *pos]
    if sym.is_nonpositive:
        return [sp.Integer(0)] + [-v for v in pos]
    both = [v for pair in zip(pos, [-v for v in pos], strict=True) for v in pair]
    if sym.is_real:
        return both if sym.is_nonzero else [sp.Integer(0), *both]
    cplx = []
    for _ in range(n):  # magnitudes over many decades, every argument (both sides of the cut)
        mag, ang = 10 ** rng.uniform(-4, 4), rng.uniform(-3.14159, 3.14159)
        cplx.append(_dyadic(mag * math.cos(ang)) + sp.I * _dyadic(mag * math.sin(ang)))
    return [x for pair in zip(both, cplx, strict=False) for x in pair]  # both is longer: its tail is dropped on purpose


def _assumption_ok(sym: sp.Symbol, v: sp.Basic) -> bool:
    if sym.is_noninteger and v.is_integer:
        return False
    checks = (
        ("positive", lambda q: q.is_positive),
        ("negative", lambda q: q.is_negative),
        ("nonnegative", lambda q: q.is_nonnegative),
        ("nonpositive", lambda q: q.is_nonpositive),
        ("nonzero", lambda q: q.is_nonzero),
        ("real", lambda q: q.is_real),
        ("integer", lambda q: q.is_integer),
    )
    return all(not (getattr(sym, f"is_{name}") and not test(v)) for name, test in checks)


def _branch_values(expr: sp.Basic, syms: Sequence[sp.Symbol]) -> dict[sp.Symbol, list[sp.Basic]]:
    """Points next to branch points: roots of the arguments of sqrt/log/powers/inverse trig."""
    out: dict[sp.Symbol, list[sp.Basic]] = {}
    args: list[tuple[sp.Basic, tuple]] = []
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.log):
            args.append((node.args[0], (0,)))
        elif node.is_Pow and not node.exp.is_Integer:
            args.append((node.base, (0,)))
        elif isinstance(node, (sp.asin, sp.acos, sp.atanh)):
            args.append((node.args[0], (-1, 1)))
        elif isinstance(node, (sp.atan, sp.asinh)):
            args.append((node.args[0], ()))
        if len(args) > 40:
            break
    consts = sorted({abs(q) for q in expr.atoms(sp.Rational) if abs(q) > 1}, reverse=True)[:6]
    if expr.has(sp.pi):
        consts += [sp.Rational(round(float(q * sp.pi) * 2**20), 2**20) for q in consts[:3]]
    irr: list[sp.Rational] = []  # irrational constants (sqrt(80), exp(40)): dyadic approximations
    for node in sp.preorder_traversal(expr):
        if node.is_number and not node.is_Rational and node.is_real and len(irr) < 6:
            try:
                v = float(node)
            except (TypeError, ValueError):
                continue
            if math.isfinite(v) and abs(v) > 2**-20:
                irr.append(abs(_dyadic(v)))
    consts += [q for q in irr if q not in consts]
    for s in syms:  # values next to the expression's constants (x + 4, KroneckerDelta(n, -1000))
        for q in consts:
            for sign in (-1, 1):
                if s.is_integer:
                    if q.is_Integer:
                        cands = [sign * q, sign * q - 1, sign * q + 1]
                    else:
                        continue
                else:
                    cands = [sign * q * _dyadic(1 + 2.0**-10), sign * q * _dyadic(1 - 2.0**-10)]
                for v in cands:
                    if _assumption_ok(s, v):
                        out.setdefault(s, []).append(v)
    for arg, targets in args:
        fs = arg.free_symbols
        if len(fs) != 1:
            continue
        (s,) = fs
        if s not in syms or s.is_integer:
            continue
        for t in targets:
            try:
                poly = sp.Poly(arg - t, s)
            except sp.PolynomialError:
                continue
            if poly.degree() < 1 or poly.degree() > 4 or (not poly.domain.is_QQ and not poly.domain.is_ZZ):
                continue
            try:
                roots = [float(r) for r in sp.real_roots(poly)]
            except Exception:  # pragma: no cover - defensive
                continue
            for r in roots:
                for eps in (2.0**-10, 2.0**-30, 1.0):
                    for cand in (r + eps * max(1.0, abs(r)), r - eps * max(1.0, abs(r))):
                        v = _dyadic(cand)
                        if _assumption_ok(s, v):
                            out.setdefault(s, []).append(v)
    return out


# --------------------------------------------------------------------------------------
# the witness
# --------------------------------------------------------------------------------------


@dataclasses.dataclass
class WitnessResult:
    """What the witness found for one residual entry.

    Attributes
    ----------
    digits : float
        Worst agreement (digits of ``|r|`` relative to its terms); ``inf`` if all exact.
    evaluated, skipped : int
        Points evaluated, and points where the entry was undefined.
    refuted : bool
        Some point's enclosure excludes zero.
    engine : str
        ``arb`` (rigorous) or ``mpmath`` (60 digits, not rigorous).
    points : list of dict
        Each point, its family, the residual's enclosure and digits.
    counterexample : dict or None
        The refuting point.
    note : str
        A remark.

    Examples
    --------
    >>> import sympy as sp
    >>> x = sp.Symbol("x", real=True)
    >>> r = evaluate_witness(sp.sin(x)**2 + sp.cos(x)**2 - 1)
    >>> r.refuted, r.evaluated > 0, r.digits > 25, evaluate_witness(x - 1).refuted
    (False, True, True, True)
    """

    digits: float  # worst agreement (digits of |r| relative to its terms); inf if all exact
    evaluated: int
    skipped: int
    refuted: bool
    engine: str  # "arb" (rigorous) or "mpmath" (60 digits, not rigorous)
    points: list[dict]  # each: point, family, residual enclosure, digits
    counterexample: dict | None = None
    note: str = ""


def _ball(z: acb) -> dict:
    """A JSON-safe enclosure: midpoint (real/imag as decimal strings) and radius (float)."""
    re_, im_ = z.real, z.imag
    rad = float(max(re_.rad(), im_.rad()))
    return {
        "mid_re": re_.mid().str(20, radius=False),
        "mid_im": im_.mid().str(20, radius=False),
        "rad": rad if math.isfinite(rad) else None,
    }


def _agreement(total: acb, scale: arb) -> float:
    """Digits of agreement ``-log10(|total| / scale)`` (``inf`` for an exact zero)."""
    if total.is_zero():
        return math.inf
    mag = abs(total)
    if not (mag.is_finite() and scale.is_finite()):
        return -math.inf
    upper, sc = arb(mag.upper()), arb(scale.upper())
    if not upper > 0:
        return math.inf
    if not sc > 0:
        return -math.inf
    d = -((upper / sc).log() / arb(10).log())
    return float(d.mid())


def _to_acb(v: sp.Basic) -> acb:
    re_, im_ = v.as_real_imag()

    def one(q: sp.Basic) -> arb:
        q = sp.Rational(q)
        return arb(int(q.p)) if q.q == 1 else arb(fmpq(int(q.p), int(q.q)))

    return acb(one(re_), one(im_))


def evaluate_witness(
    entry: sp.Basic,
    *,
    points: int = 16,
    seed: int = 20261206,
    domains: Mapping[sp.Symbol, tuple] | None = None,
    functions: Mapping[Any, Any] | None = None,
    conditions: Sequence[sp.Basic] = (),
    sides: tuple[sp.Basic, sp.Basic] | None = None,
) -> WitnessResult:
    """Evaluate ``entry`` (a scalar residual) at points over the declared domain.

    Parameters
    ----------
    entry : sympy expression, the residual ``lhs - rhs``.
    points : number of points (the special values of each symbol come first).
    seed : seed of the point generator (the witness is reproducible).
    domains : ``{symbol: (lo, hi)}`` restricts a symbol (an override the certificate records).
    functions : ``{undefined function: Lambda}`` replaces the test-function family.
    conditions : relations every point must satisfy (side conditions); others are skipped.
    sides : ``(lhs, rhs)``, evaluated at a refuting point for the counterexample.

    Returns
    -------
    WitnessResult

    Examples
    --------
    >>> x = sp.Symbol("x", positive=True)
    >>> evaluate_witness(sp.log(x**2) - 2 * sp.log(x)).refuted
    False
    """
    rng = random.Random(seed)
    domains = dict(domains or {})
    functions = dict(functions or {})
    concrete, coeff_syms, members = _concretize(entry, functions)
    concrete_conds = [_concretize(c, functions, coeff_syms)[0] for c in conditions]
    syms = sorted(concrete.free_symbols - set(coeff_syms), key=lambda s: s.name)
    for c in concrete_conds:
        syms += sorted(c.free_symbols - set(coeff_syms) - set(syms), key=lambda s: s.name)
    terms = list(concrete.args) if concrete.is_Add else [concrete]
    engine = "arb"
    try:
        compiled = [compile_acb(t) for t in terms]
        cond_fns = [_relational(c) for c in concrete_conds]
    except NotCompilable as exc:
        engine = "mpmath"
        note = f"evaluated with SymPy evalf / mpmath at 60 digits (not rigorous): {exc}"
    else:
        note = "acb ball arithmetic (python-flint), rigorous enclosures"
    if concrete.has(sp.Derivative, sp.Subs, sp.Integral, sp.Sum, sp.Product, AppliedUndef):
        engine = "mpmath"
        note = "unevaluated derivative/integral/sum/undefined function: SymPy evalf at 60 digits (not rigorous)"
    cand: dict[sp.Symbol, list] = {}
    branch = _branch_values(concrete, syms)
    if engine == "mpmath":  # evalf can take minutes at extreme arguments: moderate points only
        points = min(points, 6)
        note += "; 6 points with |x| in [1/1000, 1000]"
    for s in syms:
        if s in domains:
            lo, hi = (sp.Rational(v) for v in domains[s])
            vals = [lo + (hi - lo) * sp.Rational(k, 16) for k in (1, 8, 15)]
            vals += [lo + (hi - lo) * _dyadic(rng.random()) for _ in range(points)]
        else:
            vals = _values_for(s, rng, points)
            if engine == "mpmath":
                moderate = [v for v in vals if v == 0 or sp.Rational(1, 1000) <= abs(v) <= 1000]
                vals = moderate or vals
        extra = branch.get(s, []) if s not in domains else []
        merged: list = []
        for i in range(max(len(vals), len(extra))):  # interleave: the domain's spread and the specials
            merged += ([vals[i]] if i < len(vals) else []) + ([extra[i]] if i < len(extra) else [])
        cand[s] = merged
    member_names = members
    res_points: list[dict] = []
    exact_points: list[dict] = []  # res_points' points as SymPy numbers (the records hold their text)
    worst = math.inf
    evaluated = skipped = 0
    seen_envs: list[dict] = []
    counter = None
    n_total = points + (12 if branch else 0)
    for i in range(n_total):
        if len(syms) == 1 or i < 3:
            point = {s: cand[s][i] if i < len(cand[s]) else rng.choice(cand[s]) for s in syms}
        else:
            point = {s: rng.choice(cand[s]) for s in syms}
        fam = member_names[i % len(member_names)] if member_names else None
        env_vals = dict(point)
        used: dict[str, str] = {}
        if fam is not None:
            for jf, (func, tag_syms, allowed) in enumerate(coeff_syms.groups):
                # different functions get different members (g(f(x)) = f(g(x)) must not pass)
                name = allowed[(i + jf) % len(allowed)]
                used[str(func)] = name
                for c, val in zip(tag_syms, _FAMILY[name][1], strict=True):
                    env_vals[c] = sp.Integer(val) if isinstance(val, int) else val
        try:
            if engine == "arb":
                total, scale, _ = _eval_arb(compiled, cond_fns, env_vals)
                digits = _agreement(total, scale)
                refutes = not total.contains(0)
                if not refutes and digits < INCONCLUSIVE_DIGITS:  # too wide to tell: more bits
                    total, scale, _ = _eval_arb(compiled, cond_fns, env_vals, HIGH_PREC)
                    digits = _agreement(total, scale)
                    refutes = not total.contains(0)
                    if not refutes and digits < INCONCLUSIVE_DIGITS:
                        raise Undefined("enclosure too wide to decide at 2048 bits")
                enclosure = _ball(total)
            else:
                total_mp, scale_mp = _eval_mpmath(concrete, terms, concrete_conds, env_vals)
                digits = (
                    math.inf
                    if total_mp == 0
                    else (-math.inf if scale_mp == 0 else float(-mpmath.log10(abs(total_mp) / scale_mp)))
                )
                refutes = scale_mp > 0 and abs(total_mp) > MPMATH_REFUTE * scale_mp
                enclosure = {
                    "mid_re": mpmath.nstr(mpmath.re(total_mp), 20),
                    "mid_im": mpmath.nstr(mpmath.im(total_mp), 20),
                    "rad": None,
                }
        except (Undefined, ZeroDivisionError, ValueError, OverflowError, TypeError, NotCompilable):
            skipped += 1
            continue
        evaluated += 1
        seen_envs.append(env_vals)
        rec = {
            "point": {s.name: str(point[s]) for s in syms},
            "functions": used,
            "residual": enclosure,
            "digits": digits if math.isfinite(digits) else None,
            "exact": digits == math.inf,
        }
        res_points.append(rec)
        exact_points.append({s: point[s] for s in syms})
        worst = min(worst, digits)
        if refutes:
            counter = dict(rec)
            counter["values"] = {s.name: point[s] for s in syms}
            if sides is not None:
                counter.update(_side_values(sides, functions, coeff_syms, env_vals, engine))
            break
    if counter is None and engine == "arb" and evaluated:
        counter = _high_precision_pass(compiled, cond_fns, res_points, exact_points, syms, coeff_syms, sides, functions)
        if counter is not None:
            worst = min(worst, counter["digits"] if counter["digits"] is not None else -math.inf)
    if counter is None and evaluated:
        why = _confirm_definite(entry, coeff_syms, seen_envs)
        if why:  # the witness evaluated SymPy's closed form of a sum/integral it could not confirm
            evaluated = 0
            note += "; " + why
    return WitnessResult(
        digits=worst,
        evaluated=evaluated,
        skipped=skipped,
        refuted=counter is not None,
        engine=engine,
        points=res_points[:12],
        counterexample=counter,
        note=note,
    )


def _definite_atoms(e: sp.Basic) -> list[sp.Basic]:
    out = []
    for node in e.atoms(sp.Integral, sp.Sum, sp.Product):
        if isinstance(node, sp.Integral) and not all(len(lim) == 3 for lim in node.limits):
            continue
        out.append(node)
    return out


def _interior_singularity(node: sp.Basic) -> str:
    """A reason if the integrand may have a singularity strictly inside the interval (any parameters).

    The quadrature check sees only moderate parameter values: ``Integral((x - a)**-2, (x, 0, 10**-6))``
    diverges only for ``a < 10**-6``.  Singularities SymPy lists as a finite set are compared with
    the limits symbolically; a singularity not provably outside the open interval refuses.
    """
    if not isinstance(node, sp.Integral) or len(node.limits) != 1:
        return ""
    var, lo, hi = node.limits[0]
    try:
        sing = sp.singularities(node.function, var)
    except Exception:  # SymPy cannot list them: the quadrature check stands alone
        return ""
    if not isinstance(sing, sp.FiniteSet):
        return ""
    for pt in sing:
        if pt.is_real is False or pt.is_extended_real is False:
            continue
        outside = (pt - lo).is_nonpositive or (pt - hi).is_nonnegative or (hi - lo).is_nonpositive
        if not outside:
            return f"the integrand of {str(node)[:200]} may be singular at {pt} inside the interval: unproven"
    return ""


def _confirm_definite(entry: sp.Basic, coeff_syms: Any, envs: Sequence[Mapping]) -> str:
    """Cross-check SymPy's ``doit`` of every definite integral, sum and product of ``entry``.

    ``doit`` can be wrong (Newton-Leibniz across a pole: ``Integral((x-a)**-2, (x, 0, 2a))``
    gives ``-2/a``), and the witness evaluates the ``doit`` form, so it cannot see that.  At up
    to three moderate witness points each such object is evaluated by quadrature / summation
    (SymPy ``evalf``, ``strict``) and must agree with its closed form; a point where the closed form
    is finite but the quadrature fails (divergent, oscillatory, too slow) confirms nothing.
    Returns ``""`` when every object is confirmed, else the reason.
    """
    atoms = _definite_atoms(entry)
    if not atoms:
        return ""
    reps = coeff_syms.reps
    raw = entry
    if reps and entry.atoms(AppliedUndef):
        raw = entry.replace(lambda z: isinstance(z, AppliedUndef) and z.func in reps, lambda z: reps[z.func](*z.args))
    atoms = _definite_atoms(raw)

    def moderate(env: Mapping) -> bool:
        for v in env.values():
            m = abs(complex(v))
            if m != 0 and not 1e-3 <= m <= 1e3:
                return False
        return True

    free = raw.free_symbols
    pts = [dict(env) for env in envs if moderate(env)][:3]
    if not pts and envs:
        pts = [dict(envs[0])]
    rng = random.Random(7)
    for s in sorted(free, key=lambda q: q.name):  # symbols the witness never saw (they cancelled after doit)
        vals = [v for v in _values_for(s, rng, 8) if v == 0 or 1e-3 <= abs(complex(v)) <= 1e3][:3] or [sp.Integer(1)]
        for i, env in enumerate(pts or [{}]):
            env.setdefault(s, vals[i % len(vals)])
        if not pts:
            pts = [{s: v} for v in vals]
    pts = [env for env in pts if moderate(env)]
    if not pts:
        return "no moderate witness point to confirm a definite integral/sum by quadrature: unproven"
    for node in atoms:
        if node.free_symbols - free:
            continue  # an inner object with a bound variable: its outer object is checked
        pole = _interior_singularity(node)
        if pole:
            return pole
        if _definite_atoms(node.function):  # nested: an inner closed form inside an outer quadrature
            return f"nested definite integrals/sums in {str(node)[:200]} are not confirmed by quadrature: unproven"
        closed = cached_doit(node).replace(  # SymPy's NonElementaryIntegral: evalf leaves it unevaluated
            lambda e: isinstance(e, sp.Integral) and type(e) is not sp.Integral, lambda e: sp.Integral(*e.args)
        )
        if closed == node:
            continue  # not evaluated by doit: the witness evaluates it numerically itself
        # a partly evaluated closed form (an inner integral done, the outer one left) is compared too
        partial = closed.has(sp.Integral, sp.Sum, sp.Product)
        confirmed = 0
        for env in pts:
            try:
                cv = closed.subs(env)
                if partial:  # evalf leaves c*Integral(...) alone: each remaining object by quadrature first
                    reps = {a: sp.N(a, 30, strict=True, maxn=400) for a in _definite_atoms(cv) if not a.free_symbols}
                    cv = cv.xreplace(reps)
                cv = sp.N(cv, 30)
                if not cv.is_number or cv.has(sp.oo, -sp.oo, sp.zoo, sp.nan):
                    continue  # the closed form is not finite here: the residual was not evaluated
                qv = sp.N(node.subs(env), 30, strict=True, maxn=400)
                ok = qv.is_number and not qv.has(sp.oo, -sp.oo, sp.zoo, sp.nan)
                ok = ok and abs(complex(qv - cv)) <= 1e-20 * max(1.0, abs(complex(cv)))
            except Exception:  # precision exhausted, divergent, not a number
                ok = False
            if not ok:
                return f"SymPy's closed form of {str(node)[:200]} is not confirmed by quadrature/summation: unproven"
            confirmed += 1
        if not confirmed:
            return f"SymPy's closed form of {str(node)[:200]} was not confirmed at any point: unproven"
    return ""


class _Coeffs(list):
    """Template coefficient symbols, with their grouping by function and the replacements."""

    def __init__(self) -> None:
        super().__init__()
        self.groups: list = []
        self.reps: dict = {}


def _concretize(entry: sp.Basic, functions: Mapping, coeff_syms: Any = None) -> tuple[sp.Basic, Any, list[str]]:
    """Replace undefined functions by the symbolic template (or ``functions[f]``); evaluate derivatives."""
    if coeff_syms is None:
        coeff_syms = _Coeffs()
    reps = coeff_syms.reps
    members: list[str] = []
    for app in sorted(entry.atoms(AppliedUndef), key=str):
        f = app.func
        if f in reps:
            continue
        if f in functions:
            reps[f] = functions[f]
            continue
        lam, cs = _template(len(app.args), f"_{f}")
        reps[f] = lam
        allowed = probe_family(f)
        coeff_syms.extend(cs)
        coeff_syms.groups.append((f, cs, allowed))
    for _, _, allowed in coeff_syms.groups:
        members = sorted(set(members) | set(allowed), key=list(_FAMILY).index)
    if not reps or not entry.atoms(AppliedUndef):
        e = cached_doit(entry)
        return e, coeff_syms, members
    e = entry.replace(lambda z: isinstance(z, AppliedUndef) and z.func in reps, lambda z: reps[z.func](*z.args))
    return cached_doit(e), coeff_syms, members


def _eval_arb(compiled: list[Closure], conds: list, env_vals: Mapping, prec: int = BASE_PREC) -> tuple[acb, arb, int]:
    old = ctx.prec
    ctx.prec = prec
    try:
        env = {s: _to_acb(v) for s, v in env_vals.items()}
        for c in conds:
            if not c(env):
                raise Undefined("side condition fails")
        vals = [_finite(t(env)) for t in compiled]
        total = vals[0]
        scale = abs(vals[0])
        for v in vals[1:]:
            total = total + v
            scale = scale + abs(v)
        return total, scale, prec
    finally:
        ctx.prec = old


def _eval_mpmath(concrete: sp.Basic, terms: list, conds: list, env_vals: Mapping):
    subs = dict(env_vals)
    for c in conds:
        cv = c.subs(subs)
        if cv is not sp.true:
            raise Undefined("side condition fails or undecidable")
    with mpmath.workdps(90):
        vals = []
        for t in terms:
            at = t.subs(subs)
            # two precisions must agree: a divergent integral or sum gives garbage that does not
            one, two = (sp.N(at, dps) for dps in (40, 60))
            for v in (one, two):
                if v.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or not v.is_number:
                    raise Undefined("not a finite number")
            re_, im_ = two.as_real_imag()
            val = mpmath.mpc(mpmath.mpf(str(sp.N(re_, 60))), mpmath.mpf(str(sp.N(im_, 60))))
            re1, im1 = one.as_real_imag()
            val1 = mpmath.mpc(mpmath.mpf(str(sp.N(re1, 40))), mpmath.mpf(str(sp.N(im1, 40))))
            if abs(val - val1) > mpmath.mpf(10) ** -30 * max(abs(val), mpmath.mpf(1)):
                raise Undefined("evalf at 40 and 60 digits disagree (divergent or unstable)")
            vals.append(val)
        total = mpmath.fsum(vals)
        scale = mpmath.fsum(abs(v) for v in vals)
    return total, scale


def _side_values(sides, functions, coeff_syms, env_vals, engine) -> dict:
    """Both sides at the refuting point (concretised like the residual; evaluated only here)."""
    try:
        sides = tuple(_concretize(s, functions, coeff_syms)[0] for s in sides)
        side_fns = [compile_acb(s) for s in sides] if engine == "arb" else None
        if side_fns is not None:
            old = ctx.prec
            ctx.prec = BASE_PREC
            try:
                env = {s: _to_acb(v) for s, v in env_vals.items()}
                lv, rv = (f(env) for f in side_fns)
            finally:
                ctx.prec = old
            return {"lhs": _ball(lv), "rhs": _ball(rv)}
        lv, rv = (sp.N(s.subs(dict(env_vals)), 30) for s in sides)
        return {
            "lhs": {"mid_re": str(sp.re(lv)), "mid_im": str(sp.im(lv)), "rad": None},
            "rhs": {"mid_re": str(sp.re(rv)), "mid_im": str(sp.im(rv)), "rad": None},
        }
    except Exception:  # the sides may be undefined where the residual is not (x/x - 1)
        return {"lhs": None, "rhs": None}


def _high_precision_pass(compiled, conds, res_points, exact_points, syms, coeff_syms, sides, functions):
    """Re-evaluate two points at :data:`HIGH_PREC` bits: residuals like ``exp(-1000)`` show up."""
    for rec, point in zip(res_points[:2], exact_points[:2], strict=True):
        if rec["exact"]:
            continue
        env_vals: dict = {s: point[s] for s in syms}
        for func, tag_syms, _allowed in coeff_syms.groups:
            name = rec["functions"][str(func)]
            for c, val in zip(tag_syms, _FAMILY[name][1], strict=True):
                env_vals[c] = sp.Integer(val) if isinstance(val, int) else val
        try:
            total, scale, _ = _eval_arb(compiled, conds, env_vals, HIGH_PREC)
        except (Undefined, ZeroDivisionError, ValueError):
            continue
        if not total.contains(0):
            d = _agreement(total, scale)
            out = dict(rec, residual=_ball(total), digits=d if math.isfinite(d) else None, precision_bits=HIGH_PREC)
            out["values"] = {s.name: env_vals[s] for s in syms}
            if sides is not None:
                out.update(_side_values(sides, functions, coeff_syms, env_vals, "arb"))
            return out
    return None
