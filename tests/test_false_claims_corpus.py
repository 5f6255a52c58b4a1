"""The checker on a corpus of false claims and true identities, through ``grsd prove`` on a user file.

No false claim may be verified; every refutation's counterexample is re-evaluated independently
(SymPy ``evalf``/mpmath at 50 digits, with adaptive extra precision for cancellation) and must
show a non-zero residual whose value agrees with the recorded enclosure.  The default run takes
every fourth item of each list; ``-m slow`` runs the whole corpus.
"""

import json

import mpmath
import pytest
import sympy as sp
from sympy.core.function import AppliedUndef

from grsd_sym.bench.checker_corpus import FALSE, SYMBOLS, TRUE
from grsd_sym.certify.witness import probe_function
from grsd_sym.cli import main

PROOF_FILE = """
from grsd_sym import theorem
from grsd_sym.bench.checker_corpus import FALSE, TRUE

WANTED = {wanted!r}


def _make(item):
    @theorem(item.id, item.name)
    def prove(d):
        step = d.claim(item.lhs, item.rhs, item.name)
        d.conclude(step.statement)
    return prove


for _item in FALSE + TRUE:
    if _item.id in WANTED:
        globals()["prove_" + _item.id] = _make(_item)
"""


def _value(text: str) -> sp.Expr:
    # our own certificate's exact point values ("5115/128", "3/4 - 7*I/8"): machine output
    return sp.sympify(text, locals=dict(SYMBOLS), rational=True)


def _reevaluate(item, cx: dict) -> sp.Expr:
    """lhs - rhs at the counterexample with the recorded test functions, at 50 digits."""
    point = {SYMBOLS[name]: _value(v) for name, v in cx["point"].items()}
    expr = item.lhs - item.rhs
    members = cx.get("functions") or {}
    if members:
        reps = {}
        for app in expr.atoms(AppliedUndef):
            reps[app.func] = probe_function(members[str(app.func)], len(app.args))
        expr = expr.replace(lambda e: isinstance(e, AppliedUndef) and e.func in reps, lambda e: reps[e.func](*e.args))
    expr = expr.doit().subs(point).doit()
    return sp.N(expr, 50, maxn=6000)


def _run_corpus(tmp_path, items, capsys):
    f = tmp_path / "corpus_proof.py"
    f.write_text(PROOF_FILE.format(wanted=sorted(it.id for it in items)))
    out = tmp_path / "certs"
    rc = main(["prove", str(f), "--json", "--out", str(out)])
    summary = json.loads(capsys.readouterr().out)
    certs = {it.id: json.loads((out / f"{it.id}.json").read_text()) for it in items}
    return rc, summary, certs


def _check(items, rc, summary, certs):
    false_verified = [it.id for it in items if not it.true and certs[it.id]["verdict"] == "verified"]
    assert false_verified == []
    true_refuted = [it.id for it in items if it.true and certs[it.id]["verdict"] == "refuted"]
    assert true_refuted == []
    assert rc == (0 if all(certs[it.id]["verdict"] == "verified" for it in items) else 1)
    assert summary["all_verified"] is False  # the false claims
    n_checked = 0
    for it in items:
        cert = certs[it.id]
        if cert["verdict"] != "refuted":
            continue
        (step,) = [s for s in cert["steps"] if s["kind"] == "claim"]
        cx = step["check"]["counterexample"]
        assert cx is not None and cx["point"] is not None
        val = _reevaluate(it, cx)
        assert val.is_number and val != 0, (it.id, cx)
        rec = cx["residual"]
        re_, im_ = val.as_real_imag()
        with mpmath.workdps(60):
            rec_val = mpmath.mpc(mpmath.mpf(rec["mid_re"]), mpmath.mpf(rec["mid_im"]))
            got = mpmath.mpc(mpmath.mpf(str(sp.N(re_, 50))), mpmath.mpf(str(sp.N(im_, 50))))
            # the enclosure (midpoint +/- radius) and the independent value agree to 8 digits
            tol = mpmath.mpf(10) ** -8 * abs(got) + mpmath.mpf(rec["rad"] or 0)
            assert abs(got - rec_val) <= tol, (it.id, got, rec)
        n_checked += 1
    return n_checked


def _subset(items, every):
    return [it for i, it in enumerate(items) if i % every == 0]


def test_corpus_sizes():
    assert len(FALSE) >= 60 and len(TRUE) >= 60


def test_sample_of_the_corpus_through_grsd_prove(tmp_path, capsys):
    items = _subset(FALSE, 4) + _subset(TRUE, 4)
    rc, summary, certs = _run_corpus(tmp_path, items, capsys)
    n = _check(items, rc, summary, certs)
    assert n == sum(1 for it in items if not it.true and certs[it.id]["verdict"] == "refuted") > 10


@pytest.mark.slow
def test_whole_corpus_through_grsd_prove(tmp_path, capsys):
    items = FALSE + TRUE
    rc, summary, certs = _run_corpus(tmp_path, items, capsys)
    _check(items, rc, summary, certs)
    n_true = sum(certs[it.id]["verdict"] == "verified" for it in TRUE)
    n_refuted = sum(certs[it.id]["verdict"] == "refuted" for it in FALSE)
    print(
        f"\ncorpus: {len(FALSE)} false claims: 0 verified, {n_refuted} refuted; "
        f"{len(TRUE)} true identities: {n_true} verified"
    )
    assert n_true >= 55
