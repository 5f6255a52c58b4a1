"""The safe parser (grsd_sym.parsing): exact numbers, whitelisted expressions, nothing executed."""

import fractions
import os
import time

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from grsd_sym.errors import InputError
from grsd_sym.parsing import (
    LIMITS,
    abbreviate,
    parse_expression,
    parse_number,
    parse_number_or_symbol,
)

LAM = sp.Symbol("lambda", positive=True)
T = sp.Symbol("t", positive=True)
SYMS = {"lambda": LAM, "t": T}


# ---- numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,p,q",
    [
        ("3/2", 3, 2),
        ("0.1", 1, 10),
        ("1e-3", 1, 1000),
        ("-2", -2, 1),
        ("+7", 7, 1),
        (".5", 1, 2),
        ("5.", 5, 1),
        ("2.5/4", 5, 8),
        ("-1/-2", 1, 2),
        ("1E2", 100, 1),
        (" 3/4 ", 3, 4),
        ("\u22123", -3, 1),
        ("0.34", 17, 50),
        ("1e-3/2", 1, 2000),
    ],
)
def test_number_literals_are_exact(text, p, q):
    val = parse_number(text, name="x")
    assert isinstance(val, sp.Rational) and val == sp.Rational(p, q)
    # independent route: Python's own exact decimal/fraction arithmetic
    num, _, den = text.strip().replace("\u2212", "-").partition("/")
    ref = fractions.Fraction(num) / (fractions.Fraction(den) if den else 1)
    assert fractions.Fraction(val.p, val.q) == ref


@pytest.mark.parametrize(
    "text",
    [
        "2 3",
        "True",
        "[1,2]",
        "nan",
        "NaN",
        "-nan",
        "__import__('os')",
        "1/0",
        "0x10",
        "1_000",
        "",
        " ",
        "1e5000",
        "1" * 300,
        "3/2/1",
        "2**3",
        "sqrt(2)",
        "oo",
        "inf",
        "-infinity",
        "1j",
        "None",
        "1e-3e2",
        "--1",
        "1.2.3",
    ],
)
def test_bad_numbers_are_one_line_input_errors(text):
    with pytest.raises(InputError) as info:
        parse_number(text, name="--a")
    msg = str(info.value)
    assert "\n" not in msg and msg.startswith("--a") and len(msg) < 200


def test_infinity_only_when_allowed():
    assert parse_number("oo", name="x", allow_infinity=True) == sp.oo
    assert parse_number("-inf", name="x", allow_infinity=True) == -sp.oo
    assert parse_number(float("inf"), name="x", allow_infinity=True) == sp.oo
    with pytest.raises(InputError, match="finite"):
        parse_number("oo", name="x")


def test_python_numbers():
    assert parse_number(0.1, name="x") == sp.Rational(1, 10)  # decimal repr, not the binary float
    assert parse_number(np.float64(0.25), name="x") == sp.Rational(1, 4)
    assert parse_number(fractions.Fraction(2, 6), name="x") == sp.Rational(1, 3)
    assert parse_number(np.int64(-4), name="x") == -4
    assert parse_number(sp.Rational(5, 7), name="x") == sp.Rational(5, 7)
    for bad in (True, None, float("nan"), [1], "x", sp.sqrt(2), complex(1, 1)):
        with pytest.raises(InputError):
            parse_number(bad, name="x")


def test_constraints():
    assert parse_number("3", name="n", integer=True, positive=True) == 3
    for text, kw in (
        ("0", {"positive": True}),
        ("-1/2", {"nonnegative": True}),
        ("1.5", {"integer": True}),
        ("7", {"maximum": 5}),
        ("2", {"minimum": 3}),
    ):
        with pytest.raises(InputError):
            parse_number(text, name="x", **kw)


def test_sizes_checked_before_building():
    # 1e999999999 would be a billion-digit integer: refused from the exponent's text alone
    t0 = time.perf_counter()
    for text in ("1e999999999", "1e-999999999", "9" * 150, "1/1e99999"):
        with pytest.raises(InputError):
            parse_number(text, name="x")
    assert time.perf_counter() - t0 < 10  # refused from the text (building them would take minutes)
    assert parse_number("1e400", name="x") == sp.Integer(10) ** 400  # within the limits: exact


def test_number_or_symbol():
    b = sp.Symbol("b")
    assert parse_number_or_symbol("b", name="--b", symbols={"b": b}) is b
    assert parse_number_or_symbol("-3/2", name="--b", symbols={"b": b}) == sp.Rational(-3, 2)
    with pytest.raises(InputError, match="'b' for a symbolic value"):
        parse_number_or_symbol("c", name="--b", symbols={"b": b})


@given(st.fractions(max_denominator=10**6).filter(lambda f: abs(f.numerator) < 10**30))
@settings(max_examples=60, deadline=None)
def test_fraction_round_trip(f):
    assert parse_number(f"{f.numerator}/{f.denominator}", name="x") == sp.Rational(f.numerator, f.denominator)


@given(st.decimals(allow_nan=False, allow_infinity=False, places=6, min_value=-(10**9), max_value=10**9))
@settings(max_examples=60, deadline=None)
def test_decimal_round_trip(d):
    val = parse_number(str(d), name="x")
    assert fractions.Fraction(val.p, val.q) == fractions.Fraction(d)


# ---- expressions --------------------------------------------------------------------------


def test_expressions_exact_and_with_the_given_names():
    e = parse_expression("c0*lambda^(3/2) + 0.5*t", symbols={**SYMS, "c0": sp.Symbol("c0")}, name="v")
    assert e == sp.Symbol("c0") * LAM ** sp.Rational(3, 2) + T / 2
    assert parse_expression("lambda**2*Max(lambda*t, 1)", symbols=SYMS, name="v") == LAM**2 * sp.Max(LAM * T, 1)
    assert parse_expression("sqrt(t)*exp(-t)/gamma(3)", symbols=SYMS, name="f") == sp.sqrt(T) * sp.exp(-T) / 2
    assert parse_expression("log(t, 2)", symbols=SYMS, name="f") == sp.log(T) / sp.log(2)
    assert parse_expression("-(-t)", symbols=SYMS, name="f") == T
    assert parse_expression("2*pi*E", symbols={}, name="f") == 2 * sp.pi * sp.E
    F = sp.Function("F")
    assert parse_expression("F(lambda*t)", symbols=SYMS, name="f", functions={"F": F}) == F(LAM * T)


SENTINEL = "/tmp/grsd_parsing_sentinel"


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('touch " + SENTINEL + "')",
        "t.__class__",
        "t[0]",
        "lambda x: x",
        "(lambda: 1)()",
        "[t]",
        "{t}",
        "t if t else 1",
        "t == t",
        "t and t",
        "not t",
        "t @ t",
        "t // 2",
        "t % 2",
        "t << 2",
        "~t",
        "f'{t}'",
        "'t'",
        "b't'",
        "...",
        "True",
        "None",
        "1j",
        "eval('1')",
        "exec('1')",
        "open('x')",
        "sqrt(t, key=1)",
        "sqrt(*[t])",
        "x",
        "getattr(t, 'a')",
        "Max",
        "(t := 2)",
        "t; t",
        "t\nt",
        "t\x00",
        "sympify('1')",
    ],
)
def test_hostile_expressions_refused_and_nothing_runs(text):
    if os.path.exists(SENTINEL):
        os.unlink(SENTINEL)
    with pytest.raises(InputError) as info:
        parse_expression(text, symbols=SYMS, name="--check")
    assert "\n" not in str(info.value) and not os.path.exists(SENTINEL)


@pytest.mark.parametrize(
    "text",
    [
        "10**10**10",
        "2**(t*0 + 10**10)",
        "(2**1000)**1000",
        "t**100000",
        "gamma(10**6)",
        "9**9**9",
        "(" * 300 + "t" + ")" * 300,
        "-" * 1000 + "t",
        "+".join(["t"] * 500),
        "t" * 3000,
        "Max(" + ",".join(["t"] * 40) + ")",
    ],
)
def test_size_limits_refuse_quickly(text):
    t0 = time.perf_counter()
    with pytest.raises(InputError):
        parse_expression(text, symbols=SYMS, name="--check")
    assert time.perf_counter() - t0 < 10  # refused, not evaluated (a hang would be minutes)


def test_limits_are_documented_numbers():
    assert LIMITS["max_power"] == 1000 and parse_expression("t**1000", symbols=SYMS, name="f") == T**1000
    with pytest.raises(InputError):
        parse_expression("t**1001", symbols=SYMS, name="f")


def test_abbreviate_long_numbers():
    assert abbreviate(7**500).endswith("(423 digits)") and len(abbreviate(7**500)) < 40
    assert len(abbreviate("x" * 10_000)) < 60


def test_the_package_never_parses_text_with_sympify():
    # every sympify call in grsd_sym is strict (numbers and SymPy objects only, a string raises),
    # and no module calls parse_expr or eval: user text goes through grsd_sym.parsing alone
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "grsd_sym"
    found = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", None))
            strict = any(k.arg == "strict" and getattr(k.value, "value", None) is True for k in node.keywords)
            builtin = isinstance(node.func, ast.Name) and name in ("eval", "exec")  # not a walker's .eval
            if (name == "sympify" and not strict) or name == "parse_expr" or builtin:
                found.append(f"{path.relative_to(root)}:{node.lineno} {name}")
    assert found == []


def test_strict_sympify_refuses_text():
    import sympy as sp

    with pytest.raises(sp.SympifyError):
        sp.sympify("__import__('os')", strict=True)
    assert sp.sympify(3, strict=True) == sp.Integer(3)
