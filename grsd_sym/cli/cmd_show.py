"""``grsd show ID [--latex|--json]``: derive one theorem and print its certificate."""

from __future__ import annotations

import argparse

from grsd_sym.registry import get_theorem, run_theorem

HELP = "derive one theorem and print its certificate (text, LaTeX or JSON)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", metavar="ID", help="theorem ID, e.g. GRSD-T4 or T4")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--latex", action="store_true", help="print the LaTeX align block")
    fmt.add_argument("--json", action="store_true", help="print the certificate JSON")


def run(args: argparse.Namespace) -> int:
    cert = run_theorem(get_theorem(args.id))
    if args.latex:
        print(cert.to_latex(), end="")
    elif args.json:
        print(cert.to_json(), end="")
    else:
        print(f"{cert.theorem_id}: {cert.title}  [{cert.provenance}]")
        print(f"statement: {cert.statement}")
        for a in cert.assumptions:
            print(f"  assume: {a}")
        for i, st in enumerate(cert.steps, 1):
            mark = ("ok " if st.passed else "FAIL") if st.checked else st.kind[:4]
            print(f"  {i:2d}. [{mark}] {st.statement}\n        -- {st.reason}")
        print(cert.summary())
    return 0 if cert.verified else 1
