"""``grsd report`` formulas as MathML (offline), and the notebook rendering of derived results."""

import html
import re
import xml.etree.ElementTree as ET
from collections import Counter

import latex2mathml  # noqa: F401  (an extra the test command installs: fail, never skip)
import pytest
import sympy as sp

from grsd_sym.cli import main
from grsd_sym.mathml import formula_html, latex_to_mathml

MATHML = "{http://www.w3.org/1998/Math/MathML}"


def _tokens(mathml: str) -> Counter:
    """Identifiers and numbers of a MathML tree (what a reader sees, independent of layout)."""
    named = re.compile(r"&(?!lt;|gt;|amp;|quot;|apos;|#)([A-Za-z]+);")
    root = ET.fromstring(named.sub(lambda m: html.unescape(m.group()), mathml))
    out = Counter()
    for el in root.iter():
        tag = el.tag.replace(MATHML, "")
        if tag in ("mi", "mn") and el.text and el.text.strip():
            out[(tag, el.text.strip().replace("\u2147", "e"))] += 1  # SymPy writes e as ExponentialE
    return out


@pytest.mark.parametrize(
    "expr",
    [
        sp.Symbol("x") ** 2 + sp.Rational(1, 2),
        sp.sqrt(sp.Symbol("t")) * sp.exp(-sp.Symbol("d") * sp.Symbol("t")),
        sp.Symbol("c_0") * sp.Symbol("t") ** (sp.Symbol("b") - 2),
        sp.Rational(3, 7) * sp.Symbol("k") ** 5 - 11,
    ],
)
def test_mathml_has_the_formula_tokens_of_sympys_own_mathml(expr):
    # two routes: latex2mathml on SymPy's LaTeX, and SymPy's own presentation-MathML printer
    ours = latex_to_mathml(sp.latex(expr))
    ref = sp.mathml(expr, printer="presentation")
    ref = f"<math xmlns='http://www.w3.org/1998/Math/MathML'>{ref}</math>"
    assert ours is not None and ours.startswith("<math")
    mine, theirs = _tokens(ours), _tokens(ref)

    # the same numbers and single-letter identifiers (function names are spelled differently, and a
    # subscript digit is an <mi> for one printer, an <mn> for the other)
    def keep(c):
        out = Counter()
        for (tag, text), n in c.items():
            if tag == "mn" or len(text) == 1:
                out[text] += n
        return out

    assert keep(mine) == keep(theirs), (mine, theirs)


def test_fallback_without_converter_shows_source(monkeypatch):
    import builtins

    latex_to_mathml.cache_clear()
    real = builtins.__import__

    def missing(name, *a, **k):
        if name.startswith("latex2mathml"):
            raise ImportError(name)
        return real(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", missing)
    try:
        cell = formula_html(r"\frac{a}{b}", "a/b")
    finally:
        latex_to_mathml.cache_clear()
    assert "<math" not in cell and r"\frac{a}{b}" in cell and "a/b" in cell


def test_formula_html_escapes_everything_but_mathml():
    cell = formula_html("<img src=x onerror=alert(1)>", "<script>")
    assert "<img" not in cell and "<script>" not in cell and "&lt;script&gt;" in cell


def test_report_renders_formulas_as_mathml_offline(tmp_path, capsys):
    rc = main(["report", "T4", "T13", "--out", str(tmp_path)])
    assert rc == 0, capsys.readouterr().err
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    maths = re.findall(r"<math\b.*?</math>", page, flags=re.DOTALL)
    cells = page.count("<div class='formula'>")  # prose cells (assumptions in words) are text
    assert len(maths) >= 10 and len(maths) >= 0.9 * cells
    for m in maths:
        ET.fromstring(m)  # well-formed XML, so the browser's MathML parser gets a real tree
    assert "<script" not in page and "http://" not in page.replace("http://www.w3.org/1998/Math/MathML", "")
    assert "<pre class='latex'>" in page  # the source stays, folded


# ---- notebook rendering -------------------------------------------------------------------


def test_reprs_are_short_and_render():
    from grsd_sym.derive.exponents import exponents
    from grsd_sym.derive.rigidity import check_velocity, derive_velocity

    form = derive_velocity(["time-rescaling", "separable"])
    check = check_velocity("c0*lambda**b", ["time-rescaling"])
    expo = exponents("time", "bordelon2024", a="2", b="3/2")
    for obj, expr in ((form, form.expr), (check, check.expr), (expo, expo.exponent)):
        text = repr(obj)
        assert len(text) <= 160 and "\n" not in text and sp.sstr(expr) in text
        assert obj._repr_latex_().endswith(sp.latex(expr) + "$")
        rich = obj._repr_html_()
        assert "<math" in rich and "<script" not in rich
    assert "[time-rescaling, separable; verified]" in repr(form)
    assert "REFUSED" in repr(check) and "2/3" in repr(expo) and "0.666667" in repr(expo)
