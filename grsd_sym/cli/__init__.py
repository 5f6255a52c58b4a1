"""The ``grsd`` command.

Each sub-command lives in its own module ``grsd_sym/cli/cmd_<name>.py`` that defines

* ``HELP``: a one-line description, and
* ``add_arguments(parser)``: adds the sub-command's options to an ``argparse`` parser, and
* ``run(args) -> int``: does the work and returns the exit code.

Adding a sub-command is adding one module to :data:`COMMANDS`.  Errors of the project's
own types (:class:`grsd_sym.errors.GRSDError`) become a one-line message on stderr and
exit code 2; so do argument errors (argparse's own convention).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import Sequence

from grsd_sym.errors import GRSDError

__all__ = ["main", "COMMANDS", "build_parser"]

#: sub-command name -> module name inside :mod:`grsd_sym.cli`
COMMANDS: dict[str, str] = {
    "list": "cmd_list",
    "prove": "cmd_prove",
    "show": "cmd_show",
    "derive": "cmd_derive",
    "solve": "cmd_solve",
    "exponents": "cmd_exponents",
    "simulate": "cmd_simulate",
    "bench": "cmd_bench",
    "probe": "cmd_probe",
    "report": "cmd_report",
}


class _Parser(argparse.ArgumentParser):
    """argparse with a one-line error (exit 2) instead of the full usage block."""

    def error(self, message: str) -> None:  # pragma: no cover - exercised via CLI tests
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="grsd",
        description="Derive, check and measure Generalized Resolution-Shell Dynamics (GRSD).",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name, modname in COMMANDS.items():
        try:
            mod = importlib.import_module(f"grsd_sym.cli.{modname}")
        except ModuleNotFoundError as exc:
            if exc.name == f"grsd_sym.cli.{modname}":
                continue  # sub-command not built yet
            raise
        p = sub.add_parser(name, help=mod.HELP, description=mod.HELP)
        mod.add_arguments(p)
        p.set_defaults(_run=mod.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args._run(args) or 0)
    except GRSDError as exc:
        print(f"grsd {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # pragma: no cover
        print("grsd: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `grsd show T1 | head`: the reader left, not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
