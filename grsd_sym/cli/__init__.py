"""The ``grsd`` command.

Each sub-command lives in its own module ``grsd_sym/cli/cmd_<name>.py`` that defines

* ``HELP``: a one-line description, and
* ``add_arguments(parser)``: adds the sub-command's options to an ``argparse`` parser, and
* ``run(args) -> int``: does the work and returns the exit code.

Adding a sub-command is adding one module to :data:`COMMANDS`.  Errors of the project's
own types (:class:`grsd_sym.errors.GRSDError`) become a one-line message on stderr (long
numbers abbreviated) and exit code 2; so do argument errors (argparse's own convention).
Exit code 1 means "computed, but not verified" (a failed check); 130 an interruption
(Ctrl-C or SIGTERM, which is handled like Ctrl-C: temporary files are removed).
``grsd`` alone prints the command list; ``grsd --version`` the version.
"""

from __future__ import annotations

import argparse
import importlib
import os
import re
import sys
from collections.abc import Sequence

from grsd_sym.errors import GRSDError

__all__ = ["COMMANDS", "build_parser", "main", "one_line"]

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

    def error(self, message: str) -> None:  # type: ignore[override]  # exits, like the base
        self.exit(2, f"{self.prog}: error: {one_line(message, 300)}\n")


def _version() -> str:
    from grsd_sym import __version__

    return __version__


_LONG_NUMBER = re.compile(r"\d{31,}")


def one_line(message: str, width: int = 600) -> str:
    """An error message as one line: newlines folded, digit runs over 30 digits abbreviated.

    Parameters
    ----------
    message : str
        The message.
    width : int
        The longest line returned (longer ones end in ``...``).

    Returns
    -------
    str
        The message on one line.

    Examples
    --------
    >>> one_line("b = " + "7" * 400 + "\\nvalid: b > 1")
    'b = 7777777777...(400 digits); valid: b > 1'
    """
    text = _LONG_NUMBER.sub(lambda m: f"{m.group()[:10]}...({len(m.group())} digits)", str(message))
    text = "; ".join(part.strip() for part in text.splitlines() if part.strip())
    return text if len(text) <= width else text[: width - 3] + "..."


def build_parser() -> argparse.ArgumentParser:
    """The ``grsd`` parser, one sub-parser per module in :data:`COMMANDS`.

    Returns
    -------
    argparse.ArgumentParser
        The parser (its errors are one line, exit 2).

    Examples
    --------
    >>> build_parser().parse_args(["list", "--json"]).json
    True
    """
    parser = _Parser(
        prog="grsd",
        description="Derive, check and measure Generalized Resolution-Shell Dynamics (GRSD).",
    )
    parser.add_argument("--version", action="version", version=f"grsd (grsd_sym) {_version()}")
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


def _command_list(parser: argparse.ArgumentParser) -> str:
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    width = max(len(c.dest) for c in sub._choices_actions)
    lines = ["usage: grsd COMMAND [options]   (grsd COMMAND --help for its options)", "", "commands:"]
    lines += [f"  {c.dest:<{width}}  {c.help}" for c in sub._choices_actions]
    lines += ["", "e.g.  grsd list;  grsd prove T4;  grsd solve transport --b 3/2;  grsd --version"]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``grsd`` with ``argv`` (default: ``sys.argv[1:]``).

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments after ``grsd``.

    Returns
    -------
    int
        The exit code: 0 done/verified, 1 not verified, 2 bad input, 130 interrupted.

    Examples
    --------
    >>> main(["show", "NO-SUCH-ID"])
    2
    """
    from grsd_sym.cli._io import Terminated, handle_termination

    parser = build_parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv:
        print(_command_list(parser))
        return 0
    args = parser.parse_args(argv)
    handle_termination()
    try:
        return int(args._run(args) or 0)
    except GRSDError as exc:
        print(f"grsd {args.command}: error: {one_line(str(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as exc:
        why = "terminated (SIGTERM)" if isinstance(exc, Terminated) else "interrupted"
        print(f"grsd {args.command}: {why}; partial results were not written", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `grsd show T1 | head`: the reader left, not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:  # a file-system refusal (name too long, permission, full disk): one line
        where = f": {exc.filename}" if getattr(exc, "filename", None) else ""
        print(
            f"grsd {args.command}: error: {one_line(exc.strerror or str(exc), 200)}{one_line(str(where), 120)}",
            file=sys.stderr,
        )
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
