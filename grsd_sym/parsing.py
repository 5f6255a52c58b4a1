r"""The one safe parser for every number and expression a user types.

Nothing a user types reaches :func:`eval`, :func:`sympy.sympify` or ``parse_expr``.  Two entry
points, both raising :class:`grsd_sym.errors.InputError` with a one-line message that names what
is valid:

* :func:`parse_number` reads an **exact rational** from a literal: ``3/2``, ``0.1`` (read as
  ``1/10``, the decimal written, never the binary float), ``1e-3``, ``-2``, ``+7``, ``2.5/4``
  and, only where allowed, ``oo`` / ``inf``.  The grammar is a regular expression, so nothing
  is evaluated; the number of digits and the decimal exponent are bounded before the rational
  is built.
* :func:`parse_expression` reads a formula with the caller's symbols.  The text is parsed by
  Python's :mod:`ast` (which only *parses*) and the tree is walked node by node; the only
  nodes accepted are

  - number literals (integers and decimals, read exactly; not ``True``, complex or strings),
  - the names given in ``symbols`` and the constants ``pi`` and ``E``,
  - calls of whitelisted functions (:data:`FUNCTIONS`: ``sqrt, cbrt, exp, log, sin, cos, tan,
    asin, acos, atan, sinh, cosh, tanh, gamma, Abs, sign, Max, Min``, plus the caller's
    ``functions``) with positional arguments only,
  - ``+ - * / **`` (``^`` is read as ``**``), unary ``+``/``-`` and parentheses.

  Everything else -- attributes, subscripts, lambdas, comparisons, keywords, ``__import__`` --
  is refused.  The length, node count, nesting depth and the size of every power are checked on
  the tree *before* anything is evaluated (:data:`LIMITS`); a power whose exponent is an
  integer literal or constant beyond :data:`LIMITS` ``["max_power"]`` (``10**10**10``) is
  refused, and numeric powers are bounded again just before each one is built.

Both functions also accept Python / SymPy numbers (``int``, ``float``, ``Fraction``,
``Decimal``, ``sympy.Rational``): floats are read through their shortest decimal ``repr``
(``0.1 -> 1/10``).  ``bool`` is not a number.

>>> from grsd_sym.parsing import parse_number, parse_expression
>>> parse_number("0.1", name="--a"), parse_number("3/2", name="--b"), parse_number("1e-3", name="x")
(1/10, 3/2, 1/1000)
>>> import sympy as sp
>>> lam = sp.Symbol("lambda", positive=True)
>>> parse_expression("c0*lambda^(3/2) + 0.5", symbols={"lambda": lam, "c0": sp.Symbol("c0")}, name="v")
c0*lambda**(3/2) + 1/2
>>> parse_number("__import__('os')", name="--a")
Traceback (most recent call last):
...
grsd_sym.errors.InputError: --a must be a number like 3/2, 0.1, 1e-3 or -2; got "__import__('os')"
"""

from __future__ import annotations

import ast
import decimal
import fractions
import math
import numbers
import re
from collections.abc import Callable, Mapping
from typing import Any

import sympy as sp

from grsd_sym.errors import InputError

__all__ = [
    "CONSTANTS",
    "FUNCTIONS",
    "LIMITS",
    "abbreviate",
    "exact_value",
    "parse_expression",
    "parse_number",
    "parse_number_or_symbol",
    "theory_symbols",
]

#: size limits, all checked before any evaluation
LIMITS: dict[str, int] = {
    "number_chars": 200,  # characters in a number literal
    "number_digits": 120,  # significant digits in a number literal
    "number_exponent": 1000,  # |e| in 1eN
    "expression_chars": 2000,  # characters in an expression
    "expression_nodes": 400,  # AST nodes
    "expression_depth": 40,  # AST nesting depth
    "max_power": 1000,  # |exponent| of a power with a numeric exponent
    "result_digits": 5000,  # digits of any exact number built while evaluating
    "function_arguments": 16,  # arguments of one call (Max/Min)
    "gamma_argument": 1000,  # |x| of gamma(x) for a numeric x (gamma(n) = (n-1)!)
}


def _checked_gamma(x: Any) -> Any:
    if getattr(x, "is_Number", False) and abs(x) > LIMITS["gamma_argument"]:
        raise InputError(
            f"gamma of a number beyond {LIMITS['gamma_argument']} is not evaluated; got gamma({abbreviate(x)})"
        )
    return sp.gamma(x)


#: function name -> (callable, minimum arity, maximum arity)
FUNCTIONS: dict[str, tuple[Callable[..., Any], int, int]] = {
    "sqrt": (sp.sqrt, 1, 1),
    "cbrt": (sp.cbrt, 1, 1),
    "exp": (sp.exp, 1, 1),
    "log": (sp.log, 1, 2),
    "ln": (sp.log, 1, 1),
    "sin": (sp.sin, 1, 1),
    "cos": (sp.cos, 1, 1),
    "tan": (sp.tan, 1, 1),
    "asin": (sp.asin, 1, 1),
    "acos": (sp.acos, 1, 1),
    "atan": (sp.atan, 1, 1),
    "sinh": (sp.sinh, 1, 1),
    "cosh": (sp.cosh, 1, 1),
    "tanh": (sp.tanh, 1, 1),
    "gamma": (_checked_gamma, 1, 1),
    "Abs": (sp.Abs, 1, 1),
    "abs": (sp.Abs, 1, 1),
    "sign": (sp.sign, 1, 1),
    "Max": (sp.Max, 1, 16),
    "Min": (sp.Min, 1, 16),
    "max": (sp.Max, 1, 16),
    "min": (sp.Min, 1, 16),
}

#: named constants every expression may use (a caller's ``symbols`` take precedence)
CONSTANTS: dict[str, sp.Expr] = {"pi": sp.pi, "E": sp.E}

_NUMBER_EXAMPLES = "a number like 3/2, 0.1, 1e-3 or -2"
_DECIMAL = r"(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_NUMBER_RE = re.compile(rf"^([+-]?)({_DECIMAL})(?:/([+-]?)({_DECIMAL}))?$")
_INFINITY = {"oo", "inf", "infinity"}
_MINUS_SIGNS = str.maketrans({"\u2212": "-", "\u2012": "-", "\u2013": "-", "\ufe63": "-", "\uff0d": "-"})


def abbreviate(value: Any, width: int = 40) -> str:
    """``repr``-like text of ``value`` cut to about ``width`` characters (long numbers as ``1234...(400 digits)``).

    Parameters
    ----------
    value : Any
        What to show.
    width : int
        About the longest text returned.

    Returns
    -------
    str
        The text.

    Examples
    --------
    >>> abbreviate(10**400)
    '1000000000...(401 digits)'
    >>> abbreviate("x" * 100, 12)
    "'xxxxxxxxxx...(102 chars)"
    """
    if isinstance(value, (int, sp.Integer)) and not isinstance(value, bool):
        s = str(value)
        digits = len(s.lstrip("-"))
        return s if digits <= width else f"{s[:10]}...({digits} digits)"
    if isinstance(value, sp.Rational):
        return f"{abbreviate(value.p, width // 2)}/{abbreviate(value.q, width // 2)}"
    s = repr(value) if isinstance(value, str) else str(value)
    if '"' not in s and isinstance(value, str) and "'" in value:
        s = '"' + value + '"'
    s = s.replace("\n", "\\n")
    return s if len(s) <= width else f"{s[: width - 1]}...({len(s)} chars)"


def _shout(name: str) -> str:
    return name or "the value"


def _decimal_to_rational(text: str, name: str) -> sp.Rational:
    """An unsigned decimal literal (validated by the regex) -> Rational, sizes checked first."""
    mant, _, exp = text.lower().partition("e")
    e10 = int(exp) if exp else 0
    if len(exp.lstrip("+-")) > 6 or abs(e10) > LIMITS["number_exponent"]:
        raise InputError(
            f"{_shout(name)}: the decimal exponent of {abbreviate(text)} is beyond +-{LIMITS['number_exponent']}"
        )
    whole, _, frac = mant.partition(".")
    digits = (whole + frac).lstrip("0")
    if len(digits) > LIMITS["number_digits"]:
        raise InputError(f"{_shout(name)}: {abbreviate(text)} has more than {LIMITS['number_digits']} digits")
    p = int(whole + frac) if (whole + frac) else 0
    shift = e10 - len(frac)
    return sp.Rational(p * 10**shift) if shift >= 0 else sp.Rational(p, 10 ** (-shift))


def _rational_from_python(value: Any, name: str, allow_infinity: bool) -> sp.Basic:
    if isinstance(value, bool) or value is None:
        raise InputError(f"{_shout(name)} must be {_NUMBER_EXAMPLES}; got {abbreviate(value)}")
    if isinstance(value, sp.Basic):
        if value in (sp.oo, -sp.oo):
            if allow_infinity:
                return value
            raise InputError(f"{_shout(name)} must be finite; got {value}")
        if isinstance(value, sp.Rational):
            return value
        if isinstance(value, sp.Float):
            if not value.is_finite:
                raise InputError(f"{_shout(name)} must be a finite number; got {value}")
            return _parse_text(str(value), name, allow_infinity)
        raise InputError(f"{_shout(name)} must be a rational number; got {abbreviate(value)}")
    if isinstance(value, numbers.Integral):
        return sp.Integer(int(value))
    if isinstance(value, fractions.Fraction):
        return sp.Rational(value.numerator, value.denominator)
    if isinstance(value, decimal.Decimal):
        if value.is_nan():
            raise InputError(f"{_shout(name)} must be a number; got NaN")
        if value.is_infinite():
            return _parse_text(str(value).lower().replace("infinity", "inf"), name, allow_infinity)
        return _parse_text(str(value), name, allow_infinity)
    if isinstance(value, numbers.Real):  # float, numpy floats
        f = float(value)
        if math.isnan(f):
            raise InputError(f"{_shout(name)} must be a number; got NaN")
        if math.isinf(f):
            return _parse_text("-inf" if f < 0 else "inf", name, allow_infinity)
        return _parse_text(repr(f), name, allow_infinity)
    raise InputError(f"{_shout(name)} must be {_NUMBER_EXAMPLES}; got {type(value).__name__} {abbreviate(value)}")


def _parse_text(value: str, name: str, allow_infinity: bool) -> sp.Basic:
    valid = _NUMBER_EXAMPLES + (" or oo" if allow_infinity else "")
    if len(value) > LIMITS["number_chars"]:
        raise InputError(
            f"{_shout(name)} must be {valid}; got {len(value)} characters (at most {LIMITS['number_chars']})"
        )
    text = value.strip().translate(_MINUS_SIGNS)
    low = text.lower()
    if low.lstrip("+-") in _INFINITY and low.count("-") + low.count("+") <= 1:
        if not allow_infinity:
            raise InputError(f"{_shout(name)} must be finite ({_NUMBER_EXAMPLES}); got {abbreviate(value)}")
        return -sp.oo if low.startswith("-") else sp.oo
    if low.lstrip("+-") == "nan":
        raise InputError(f"{_shout(name)} must be {valid}; got NaN")
    m = _NUMBER_RE.match(text)
    if m is None:
        raise InputError(f"{_shout(name)} must be {valid}; got {abbreviate(value)}")
    sign, num, dsign, den = m.groups()
    val = _decimal_to_rational(num, name)
    if den is not None:
        q = _decimal_to_rational(den, name)
        if q == 0:
            raise InputError(f"{_shout(name)}: division by zero in {abbreviate(value)}")
        val = val / q
        if dsign == "-":
            val = -val
    return -val if sign == "-" else val


def parse_number(
    text: Any,
    *,
    name: str,
    allow_infinity: bool = False,
    positive: bool = False,
    nonnegative: bool = False,
    integer: bool = False,
    minimum: Any = None,
    maximum: Any = None,
) -> sp.Rational:
    """Read one exact number.

    Parameters
    ----------
    text : str or number
        ``'3/2'``, ``'0.1'`` (-> ``1/10``), ``'1e-3'``, ``'-2'``, ``'2.5/4'``; ``'oo'``, ``'inf'``
        (either sign) only with ``allow_infinity``.  Python and SymPy numbers are accepted too
        (floats via their decimal ``repr``); ``bool``, ``None``, NaN are not.
    name : str
        What the value is (``'--b'``), used in the message.
    allow_infinity : bool
        Accept ``oo`` / ``inf`` (returned as ``sympy.oo`` / ``-sympy.oo``).
    positive, nonnegative, integer : bool
        Require ``> 0``, ``>= 0``, an integer.
    minimum, maximum : number, optional
        Inclusive bounds.

    Returns
    -------
    sympy.Rational
        (``sympy.Integer`` for integers; ``sympy.oo`` only with ``allow_infinity``).

    Raises
    ------
    InputError
        One line naming the valid forms; sizes (characters, digits, decimal exponent, see
        :data:`LIMITS`) are checked before the number is built.

    Examples
    --------
    >>> parse_number("-2.5e1/10", name="x")
    -5/2
    >>> parse_number("inf", name="--t", allow_infinity=True)
    oo
    >>> parse_number("2 3", name="--a")
    Traceback (most recent call last):
    ...
    grsd_sym.errors.InputError: --a must be a number like 3/2, 0.1, 1e-3 or -2; got '2 3'
    """
    if isinstance(text, str):
        val = _parse_text(text, name, allow_infinity)
    else:
        val = _rational_from_python(text, name, allow_infinity)
    shown = abbreviate(text if isinstance(text, str) else val)
    if positive and not val > 0:
        raise InputError(f"{_shout(name)} must be > 0; got {shown}")
    if nonnegative and not val >= 0:
        raise InputError(f"{_shout(name)} must be >= 0; got {shown}")
    if integer and not val.is_Integer:
        raise InputError(f"{_shout(name)} must be an integer; got {shown}")
    if minimum is not None and val < minimum:
        raise InputError(f"{_shout(name)} must be >= {minimum}; got {shown}")
    if maximum is not None and val > maximum:
        raise InputError(f"{_shout(name)} must be <= {maximum}; got {shown}")
    return val


def parse_number_or_symbol(text: Any, *, name: str, symbols: Mapping[str, sp.Symbol], **kw: Any) -> sp.Basic:
    """A number (:func:`parse_number`) or one of the names in ``symbols`` (kept symbolic).

    Parameters
    ----------
    text : Any
        The user's text.
    name : str
        The option's name, for the error message.
    symbols : mapping of str to Symbol
        Names that stay symbolic.
    **kw
        Passed to :func:`parse_number`.

    Returns
    -------
    sympy.Basic
        The number or the symbol.

    Raises
    ------
    InputError
        If ``text`` is neither.

    Examples
    --------
    >>> parse_number_or_symbol("b", name="--b", symbols={"b": sp.Symbol("b")})
    b
    >>> parse_number_or_symbol("3/2", name="--b", symbols={"b": sp.Symbol("b")})
    3/2
    """
    if isinstance(text, str) and text.strip() in symbols:
        return symbols[text.strip()]
    try:
        return parse_number(text, name=name, **kw)
    except InputError as exc:
        if (
            isinstance(text, str)
            and _NUMBER_RE.match(text.strip().translate(_MINUS_SIGNS)) is None
            and text.strip().lower().lstrip("+-") not in _INFINITY | {"nan"}
        ):
            names = " or ".join(repr(k) for k in symbols)
            raise InputError(
                f"{_shout(name)} must be {_NUMBER_EXAMPLES}, or {names} for a symbolic value; got {abbreviate(text)}"
            ) from None
        raise exc from None


def theory_symbols() -> dict[str, sp.Symbol]:
    """The theory's canonical symbols (:mod:`grsd_sym.symbols`) by name, plus ``lambda``/``lam``.

    Returns
    -------
    dict of str to Symbol
        SymPy name (``"c_0"``) -> canonical symbol.

    Examples
    --------
    >>> names = theory_symbols()
    >>> names["lam"] is names["lambda"], "c_0" in names
    (True, True)
    """
    from grsd_sym import symbols as S

    out = {v.name: v for v in vars(S).values() if isinstance(v, sp.Symbol)}
    lam = out.get("lambda")
    if lam is not None:
        out.setdefault("lam", lam)
    return out


def exact_value(value: Any, *, name: str = "the value", symbols: Mapping[str, Any] | None = None) -> sp.Basic:
    """Any API argument as an exact SymPy object, text through the safe parser.

    ``str``: :func:`parse_number`, else :func:`parse_expression` over ``symbols``; ``float``: its
    decimal ``repr`` (``0.1 -> 1/10``; NaN and infinities refused); SymPy objects and other
    numbers: as they are (``sympify(strict=True)``, which never parses text).

    Parameters
    ----------
    value : Any
        The argument.
    name : str
        Named in an error.
    symbols : mapping, optional
        Names an expression may use.

    Returns
    -------
    sympy.Basic
        The exact value.

    Raises
    ------
    InputError
        For text that does not parse, NaN or an infinity.

    Examples
    --------
    >>> exact_value("3/2"), exact_value(0.1), exact_value(sp.Symbol("b") + 1)
    (3/2, 1/10, b + 1)
    """
    if isinstance(value, str):
        try:
            return parse_number(value, name=name)
        except InputError:
            return parse_expression(value, symbols=symbols or {}, name=name)
    if isinstance(value, float) or value is None or isinstance(value, bool):
        return parse_number(value, name=name)
    try:
        return sp.sympify(value, strict=True)  # strict: numbers and SymPy objects only, never text
    except (sp.SympifyError, TypeError, ValueError):
        raise InputError(
            f"{_shout(name)} must be a number or a SymPy expression, got {type(value).__name__} {abbreviate(value)}"
        ) from None


# --------------------------------------------------------------------------------------
# expressions
# --------------------------------------------------------------------------------------

_BINOPS: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}
#: lower-case spellings accepted but not listed in messages
_ALIASES = ("abs", "max", "min", "ln")


def _basic(x: Any) -> sp.Basic:
    """A value built by the walker as a SymPy object (numbers from callers' functions included)."""
    if isinstance(x, sp.Basic):
        return x
    if isinstance(x, bool) or not isinstance(x, numbers.Number):
        raise InputError(f"a function returned {type(x).__name__}, not a number or expression")
    return _rational_from_python(x, "a function's value", False)


class _Walker:
    """Validates the tree (pass 1) then evaluates it bottom-up (pass 2)."""

    def __init__(
        self,
        source: str,
        symbols: Mapping[str, Any],
        functions: Mapping[str, Any],
        name: str,
        hidden: tuple[str, ...] = (),
    ):
        self.hidden = hidden
        self.source = source
        self.symbols = symbols
        self.functions = functions
        self.name = name

    def valid(self) -> str:
        names = sorted(k for k in self.symbols if k not in self.hidden) or ["(none)"]
        funcs = sorted(k for k in self.functions if k not in _ALIASES)
        text = f"numbers, the names {', '.join(names)}"
        if funcs:
            text += f", calls of {', '.join(funcs)}"
        return text + ", + - * / ** (or ^), unary minus and parentheses"

    def fail(self, what: str) -> InputError:
        return InputError(f"{_shout(self.name)}: {what}; valid: {self.valid()}")

    # -- pass 1: structure and sizes, nothing evaluated --------------------------------
    def check(self, node: ast.AST, depth: int = 0) -> float | None:
        """Validate ``node``; return an upper bound of log10|value| for constant subtrees (else None)."""
        if depth > LIMITS["expression_depth"]:
            raise InputError(f"{_shout(self.name)}: nested deeper than {LIMITS['expression_depth']} levels")
        if isinstance(node, ast.Expression):
            return self.check(node.body, depth + 1)
        if isinstance(node, ast.Constant):
            v = node.value
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                raise self.fail(f"{abbreviate(v)} is not allowed")
            lit = self.literal(node)
            return math.log10(abs(lit)) if lit != 0 else -math.inf
        if isinstance(node, ast.Name):
            if node.id not in self.symbols:
                if node.id in self.functions:
                    raise self.fail(f"{node.id} is a function: call it, e.g. {node.id}(x)")
                raise self.fail(f"unknown name {abbreviate(node.id)}")
            return None
        if isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, (ast.USub, ast.UAdd)):
                raise self.fail(f"the operator {type(node.op).__name__} is not allowed")
            return self.check(node.operand, depth + 1)
        if isinstance(node, ast.BinOp):
            if not isinstance(node.op, (*_BINOPS, ast.Pow)):
                raise self.fail(f"the operator {type(node.op).__name__} is not allowed")
            left = self.check(node.left, depth + 1)
            right = self.check(node.right, depth + 1)
            if isinstance(node.op, ast.Pow):
                return self.check_power(left, right)
            if left is None or right is None:
                return None
            if isinstance(node.op, (ast.Add, ast.Sub)):
                return max(left, right) + 0.31
            return left + right if isinstance(node.op, ast.Mult) else left + max(0.0, -right) + 1
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name):
                raise self.fail("only the listed functions can be called (no attributes or calls of calls)")
            if node.func.id not in self.functions:
                raise self.fail(f"unknown function {abbreviate(node.func.id)}")
            if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
                raise self.fail(f"{node.func.id}() takes positional arguments only")
            _, lo, hi = self.functions[node.func.id]
            if not lo <= len(node.args) <= hi:
                want = str(lo) if lo == hi else f"{lo} to {hi}"
                raise self.fail(f"{node.func.id}() takes {want} argument(s), got {len(node.args)}")
            for a in node.args:
                self.check(a, depth + 1)
            return None
        raise self.fail(f"{type(node).__name__} is not allowed")

    def check_power(self, base: float | None, exp: float | None) -> float | None:
        if exp is None:
            return None
        if exp > math.log10(LIMITS["max_power"]):
            raise InputError(
                f"{_shout(self.name)}: a power with an exponent beyond {LIMITS['max_power']} is not evaluated"
            )
        if base is None:
            return None
        bound = base * 10**exp if base > 0 else abs(base) * 10**exp
        if bound > LIMITS["result_digits"]:
            raise InputError(
                f"{_shout(self.name)}: a power with more than {LIMITS['result_digits']} digits is not evaluated"
            )
        return bound

    def literal(self, node: ast.Constant) -> sp.Rational:
        text = ast.get_source_segment(self.source, node)
        if text is None or isinstance(node.value, complex):
            raise self.fail(f"the literal {abbreviate(node.value)} is not allowed")
        text = text.replace("_", "")
        if not re.fullmatch(_DECIMAL, text):
            if re.fullmatch(r"0[xXoObB][0-9a-fA-F]+", text):
                raise self.fail(f"write {text} in decimal")
            raise self.fail(f"the literal {abbreviate(text)} is not allowed")
        return _decimal_to_rational(text, self.name)

    # -- pass 2: evaluation, each power bounded again just before it is built ------------
    def eval(self, node: ast.AST) -> Any:
        if isinstance(node, ast.Expression):
            return self.eval(node.body)
        if isinstance(node, ast.Constant):
            return self.literal(node)
        if isinstance(node, ast.Name):
            return self.symbols[node.id]
        if isinstance(node, ast.UnaryOp):
            v = self.eval(node.operand)
            return -v if isinstance(node.op, ast.USub) else v
        if isinstance(node, ast.BinOp):
            a, b = self.eval(node.left), self.eval(node.right)
            if isinstance(node.op, ast.Pow):
                self.guard_power(a, b)
                out = a**b
            else:
                out = _BINOPS[type(node.op)](a, b)
            return self.guard_size(out)
        if isinstance(node, ast.Call):
            assert isinstance(node.func, ast.Name)  # pass 1 refused every other callee
            fn = self.functions[node.func.id][0]
            try:
                return self.guard_size(fn(*[self.eval(a) for a in node.args]))
            except InputError as exc:
                if str(exc).startswith(_shout(self.name)):
                    raise
                raise InputError(f"{_shout(self.name)}: {exc}") from None
        raise self.fail(f"{type(node).__name__} is not allowed")  # pragma: no cover - pass 1 refused it

    def guard_power(self, a: Any, b: Any) -> None:
        b, a = _basic(b), _basic(a)
        if b.is_Number and abs(b) > LIMITS["max_power"]:
            raise InputError(
                f"{_shout(self.name)}: a power with an exponent beyond {LIMITS['max_power']} "
                f"is not evaluated (got {abbreviate(b)})"
            )
        if a.is_Rational and b.is_Number and a != 0:
            mag = max(abs(math.log10(abs(a.p))) if a.p else 0, math.log10(a.q))
            if mag * abs(float(b)) > LIMITS["result_digits"]:
                raise InputError(
                    f"{_shout(self.name)}: a power with more than {LIMITS['result_digits']} digits is not evaluated"
                )

    def guard_size(self, v: Any) -> Any:
        if isinstance(v, sp.Rational) and max(v.p.bit_length(), v.q.bit_length()) > 3.33 * LIMITS["result_digits"]:
            raise InputError(
                f"{_shout(self.name)}: an intermediate number has more than {LIMITS['result_digits']} digits"
            )
        if isinstance(v, sp.Basic) and not v.is_Atom:  # SymPy merges (x**1000)**1000 into x**1000000
            for pw in v.atoms(sp.Pow):
                if pw.exp.is_Number and abs(pw.exp) > LIMITS["max_power"]:
                    raise InputError(
                        f"{_shout(self.name)}: a power with an exponent beyond {LIMITS['max_power']} "
                        f"is not evaluated (got {abbreviate(pw.exp)} after combining powers)"
                    )
        return v


def parse_expression(
    text: str,
    *,
    symbols: Mapping[str, sp.Symbol],
    name: str,
    functions: Mapping[str, Callable[..., Any]] | None = None,
    default_functions: bool = True,
) -> sp.Expr:
    """Read a formula over the names in ``symbols``, never executing it.

    Parameters
    ----------
    text : str
        The formula, e.g. ``'c0*lambda**b'`` or ``'lam^2*Max(lam*t, 1)'``.  ``lambda`` (a Python
        keyword) may be used when ``symbols`` has a ``'lambda'`` entry.
    symbols : mapping of str to sympy.Symbol (or any SymPy expression)
        The names the formula may use; the constants ``pi`` and ``E`` are added unless shadowed.
    name : str
        What the formula is (``'--check'``), used in the message.
    functions : mapping of str to callable, optional
        Extra functions (e.g. undefined functions ``Phi``), any number of arguments; the
        whitelist :data:`FUNCTIONS` is always available unless ``default_functions=False``.

    Returns
    -------
    sympy.Expr
        With every decimal literal exact (``0.5`` -> ``1/2``).

    Raises
    ------
    InputError
        On anything outside the grammar (one line naming the allowed names, functions and
        operators), on sizes beyond :data:`LIMITS` (checked before evaluation), division by
        zero or a non-finite result.

    Examples
    --------
    >>> x = sp.Symbol("x")
    >>> parse_expression("sqrt(x)/2 + 0.25", symbols={"x": x}, name="f")
    sqrt(x)/2 + 1/4
    >>> parse_expression("10**10**10", symbols={}, name="--a")
    Traceback (most recent call last):
    ...
    grsd_sym.errors.InputError: --a: a power with an exponent beyond 1000 is not evaluated
    """
    if not isinstance(text, str):
        raise InputError(f"{_shout(name)} must be text (a formula), got {type(text).__name__}")
    if len(text) > LIMITS["expression_chars"]:
        raise InputError(
            f"{_shout(name)}: the formula has {len(text)} characters, at most {LIMITS['expression_chars']}"
        )
    if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in text) or "\x7f" in text:
        raise InputError(f"{_shout(name)}: control characters are not allowed")
    src = text.strip().replace("^", "**").translate(_MINUS_SIGNS)
    if not src:
        raise InputError(f"{_shout(name)} is empty; give a formula such as {next(iter(symbols), 'x')}**2")
    syms: dict[str, Any] = {**CONSTANTS, **dict(symbols)}
    alias = ""
    if "lambda" in syms:  # a Python keyword: rename the token before parsing
        alias = "lambda_"
        while alias in syms:
            alias += "_"
        src = re.sub(r"(?<![\w.])lambda(?!\w)", alias, src)
        syms[alias] = syms["lambda"]
    funcs: dict[str, tuple[Callable[..., Any], int, int]] = dict(FUNCTIONS) if default_functions else {}
    for fname, fn in (functions or {}).items():
        funcs[fname] = (fn, 0, LIMITS["function_arguments"])
    walker = _Walker(src, syms, funcs, name, hidden=(alias,))
    try:
        tree = ast.parse(src, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        msg = getattr(exc, "msg", None) or type(exc).__name__
        raise walker.fail(f"cannot parse {abbreviate(text)} ({msg})") from None
    n_nodes = sum(1 for _ in ast.walk(tree))
    if n_nodes > LIMITS["expression_nodes"]:
        raise InputError(f"{_shout(name)}: the formula has {n_nodes} parts, at most {LIMITS['expression_nodes']}")
    try:
        walker.check(tree)
        expr = walker.eval(tree)
    except RecursionError:
        raise InputError(f"{_shout(name)}: the formula is nested too deeply") from None
    except (TypeError, ValueError, ZeroDivisionError, ArithmeticError) as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(f"{_shout(name)}: cannot evaluate {abbreviate(text)} ({type(exc).__name__})") from None
    expr = _basic(expr)
    if not isinstance(expr, sp.Expr):
        raise InputError(f"{_shout(name)} must be an expression, got {abbreviate(str(expr))}")
    if expr.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise InputError(f"{_shout(name)}: {abbreviate(text)} is not finite (division by zero?)")
    return expr
