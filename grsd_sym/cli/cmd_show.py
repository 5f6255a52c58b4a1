"""``grsd show ID [--latex|--json]``: derive one theorem and print its certificate."""

from __future__ import annotations

import argparse

from grsd_sym.registry import get_theorem, run_theorem

__all__ = ["HELP", "add_arguments", "run"]

HELP = "derive one theorem and print its certificate (text, LaTeX or JSON)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Declare ``ID`` and the exclusive ``--latex``/``--json`` formats on ``grsd show``.

    Without either format the certificate is printed as text.

    Parameters
    ----------
    p : argparse.ArgumentParser
        The ``show`` parser; ``ID`` is positional.

    Examples
    --------
    >>> import argparse
    >>> add_arguments(p := argparse.ArgumentParser())
    >>> p.parse_args(["T4", "--latex"]).latex
    True
    """
    p.add_argument("id", metavar="ID", help="theorem ID, e.g. GRSD-T4 or T4")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--latex", action="store_true", help="print the LaTeX align block")
    fmt.add_argument("--json", action="store_true", help="print the certificate JSON")


def run(args: argparse.Namespace) -> int:
    """Derive one theorem and print its certificate as text, LaTeX or JSON.

    Parameters
    ----------
    args : argparse.Namespace
        ``id`` and the ``latex``/``json`` switches.

    Returns
    -------
    int
        0 for a verified certificate, 1 otherwise.

    Examples
    --------
    >>> import argparse
    >>> run(argparse.Namespace(id="T11a", latex=False, json=False))  # doctest: +ELLIPSIS
    GRSD-T11a: ... verdict: verified
    ...
    0
    """
    cert = run_theorem(get_theorem(args.id))
    if args.latex:
        print(cert.to_latex(), end="")
    elif args.json:
        print(cert.to_json(), end="")
    else:
        print(f"{cert.theorem_id}: {cert.title}  [{cert.provenance}]  verdict: {cert.verdict}")
        print(f"statement: {cert.statement}")
        print(f"conclusion: {'accepted' if cert.conclusion_accepted else 'NOT accepted'} ({cert.conclusion_reason})")
        for a in cert.assumptions:
            print(f"  assume: {a}")
        for i, st in enumerate(cert.steps, 1):
            mark = (st.verdict or "")[:8] if st.checked else st.kind[:8]
            print(f"  {i:2d}. [{mark:<8}] {st.statement}\n        -- {st.reason}")
            if st.check is not None:
                print(
                    f"        rung: {st.check.method}; witness: {st.check.witness_points} points "
                    f"({st.check.engine}), {st.check.skipped} undefined"
                )
            if st.overrides:
                print(f"        overrides: {st.overrides}")
            if st.check is not None and st.check.counterexample is not None:
                cx = st.check.counterexample
                print(f"        counterexample: {cx.get('point')} residual {cx.get('residual')}")
        for ev in cert.evidence:
            print(f"  evidence [{ev.verdict}] {ev.description} ({ev.method})")
        print(cert.summary())
    return 0 if cert.verified else 1
