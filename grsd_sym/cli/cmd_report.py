"""``grsd report [ID|FILE ...] --out DIR [--format html|md]``: every certificate in one page."""

from __future__ import annotations

import argparse
import sys

from grsd_sym.cli._io import check_output_dir
from grsd_sym.registry import resolve, run_theorem
from grsd_sym.report import FORMATS, write_report

__all__ = ["HELP", "add_arguments", "run"]

HELP = "derive theorems and write a self-contained derivation report (HTML or Markdown)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Declare the items, ``--out`` (required) and ``--format`` of ``grsd report``.

    ``--format`` is case-insensitive (``MD`` is ``md``).

    Parameters
    ----------
    p : argparse.ArgumentParser
        Its parser.

    Examples
    --------
    >>> import argparse
    >>> p = argparse.ArgumentParser()
    >>> add_arguments(p)
    >>> p.parse_args(["T4", "--out", "r", "--format", "MD"]).format
    'md'
    """
    p.add_argument("items", nargs="*", metavar="ID|FILE", help="theorem IDs or proof files; default: all")
    p.add_argument("--out", metavar="DIR", required=True, help="folder to write report.html / report.md into")
    p.add_argument("--format", choices=FORMATS, default="html", type=str.lower, help="html (default) or md")


def run(args: argparse.Namespace) -> int:
    """Derive the theorems and write one HTML or Markdown report.

    Parameters
    ----------
    args : argparse.Namespace
        ``items`` (IDs or files; all when empty), ``out`` folder, ``format``.

    Returns
    -------
    int
        0 when all are verified, else 1.

    Examples
    --------
    >>> import argparse, tempfile
    >>> run(argparse.Namespace(items=["T11a"], out=tempfile.mkdtemp(), format="md"))  # doctest: +ELLIPSIS
    1/1 verified; report written to ...report.md
    0
    """
    check_output_dir(args.out, flag="--out")  # before minutes of derivations, not after
    theorems = resolve(args.items)
    certs = []
    for i, th in enumerate(theorems, 1):
        print(f"[{i}/{len(theorems)}] {th.id} ...", file=sys.stderr, flush=True)
        certs.append(run_theorem(th))
    path = write_report(certs, args.out, fmt=args.format)
    n_ok = sum(c.verified for c in certs)
    print(f"{n_ok}/{len(certs)} verified; report written to {path}")
    return 0 if n_ok == len(certs) else 1
