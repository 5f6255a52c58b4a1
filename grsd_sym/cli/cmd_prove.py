"""``grsd prove [ID|FILE ...] [--json] [--out DIR] [--strict]``: run proofs, write certificates.

Exit code 0 iff every requested theorem is verified, 1 if any is unproven or refuted (an error
in a proof file, including ``sys.exit`` or a duplicate ID, is an unproven error certificate), 2
on bad arguments or a bad theorem ID.  ``--strict`` also refuses any certificate that uses an
override (``force``, ``domains``, a custom witness, ``generic``, side conditions).
A ``FILE`` is a user's own proof module written with the same Step/Certificate API.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from grsd_sym.cli._io import check_output_dir, deferred_signals, write_atomic
from grsd_sym.registry import resolve, run_theorem

__all__ = ["HELP", "add_arguments", "run"]

HELP = "run proofs (all, some IDs, or your own proof files) and write their certificates"


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Declare the items and ``--json``, ``--out``, ``--no-write``, ``--strict`` of ``grsd prove``.

    Parameters
    ----------
    p : argparse.ArgumentParser
        The parser to fill.

    Examples
    --------
    >>> import argparse
    >>> p = argparse.ArgumentParser()
    >>> add_arguments(p)
    >>> p.parse_args(["T4", "--strict"]).strict
    True
    """
    items = "theorem IDs (GRSD-T4, T4, t11a) or paths to proof modules; default: all"
    out = "folder for the certificates (ID.json, ID.tex); default ./certificates"
    strict = "refuse (verdict unproven) any certificate that uses an override"
    p.add_argument("items", nargs="*", metavar="ID|FILE", help=items)
    p.add_argument("--json", action="store_true", help="one JSON document on stdout")
    p.add_argument("--out", metavar="DIR", default="certificates", help=out)
    p.add_argument("--no-write", action="store_true", help="do not write certificate files")
    p.add_argument("--strict", action="store_true", help=strict)


def _stem(tid: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.+-]", "_", tid)[:80] or "theorem"


#: set in the child process that runs user proof files (see :func:`_run_isolated`)
_ISOLATED = "GRSD_PROVE_RESULT"


def _is_file(item: str) -> bool:
    return item.endswith(".py") or Path(item).is_file()


def _relay(src: Any, dst: Any) -> None:
    """Copy the child's output line by line (progress stays live; captured output stays ours)."""
    for line in src:
        dst.write(line)
        dst.flush()


def _run_isolated(args: argparse.Namespace) -> int:
    """Run a ``prove`` that loads user proof files in a child process.

    A proof file is user code: it may call ``os._exit(0)``, register an ``atexit`` hook that
    forges the exit status, or patch the checker.  The child does the whole run; the exit code
    here is read from the result it writes (with a nonce) after the last certificate, never from
    its exit status, so a run that never finishes is exit 1 and a forged status changes nothing.
    """
    if not args.no_write:
        check_output_dir(args.out, flag="--out")  # before the work, as in-process
    nonce = secrets.token_hex(16)
    with tempfile.TemporaryDirectory(prefix="grsd-prove-") as tmp:
        result = Path(tmp) / "result.json"
        pkg_root = str(Path(__file__).resolve().parents[2])
        # the nonce goes through the child's stdin, read before any proof file is imported: a proof
        # file that reads the environment (os.environ, /proc/self/environ) cannot forge the result
        env = dict(os.environ, **{_ISOLATED: str(result)})
        env["PYTHONPATH"] = pkg_root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        argv = [sys.executable, "-m", "grsd_sym", "prove", *args.items, "--out", str(args.out)]
        argv += ["--no-write"] * bool(args.no_write) + ["--json"] * bool(args.json) + ["--strict"] * bool(args.strict)
        proc = subprocess.Popen(
            argv, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        assert proc.stdin is not None  # stdin=PIPE
        try:
            proc.stdin.write(nonce + "\n")
            proc.stdin.close()
        except OSError:  # the child died at once: no result, reported below
            pass
        relays = [
            threading.Thread(target=_relay, args=(proc.stdout, sys.stdout), daemon=True),
            threading.Thread(target=_relay, args=(proc.stderr, sys.stderr), daemon=True),
        ]
        for th in relays:
            th.start()
        try:
            rc = proc.wait()
            for th in relays:
                th.join()
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        try:
            doc = json.loads(result.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            doc = None
    if not isinstance(doc, dict) or doc.get("nonce") != nonce:
        if rc == 2:
            return 2  # bad input or usage, already reported by the child
        print(
            f"error: the proof run ended without a result (exit status {rc}): a proof file called "
            "os._exit, was killed or crashed the interpreter; nothing is verified",
            file=sys.stderr,
        )
        return 1
    return 0 if doc.get("all_verified") is True else 1


def run(args: argparse.Namespace) -> int:
    """Run the proofs (user files in a child process) and write their certificates.

    Parameters
    ----------
    args : argparse.Namespace
        ``items``, ``json``, ``out``, ``no_write`` and ``strict``.

    Returns
    -------
    int
        0 iff every requested theorem is verified (``--strict``: without overrides), else 1;
        2 for bad input reported by the child.

    Examples
    --------
    >>> import argparse
    >>> ns = argparse.Namespace(items=["T11a"], json=False, out="", no_write=True, strict=False)
    >>> run(ns)  # doctest: +ELLIPSIS
    GRSD-T11a  verified ...
    0
    """
    if any(_is_file(it) for it in args.items) and _ISOLATED not in os.environ:
        return _run_isolated(args)
    nonce = sys.stdin.readline().strip() if _ISOLATED in os.environ else ""  # before user files load
    theorems = resolve(args.items)
    out = None if args.no_write else check_output_dir(args.out, flag="--out")  # before the work
    log = sys.stderr if args.json else sys.stdout
    rows = []
    t_all = time.perf_counter()
    for i, th in enumerate(theorems, 1):
        if args.json:
            print(f"[{i}/{len(theorems)}] {th.id} ...", file=sys.stderr, flush=True)
        cert = run_theorem(th)
        verdict = cert.strict_verdict() if args.strict else cert.verdict
        files = {}
        if out is not None:
            stem = _stem(th.id)
            with deferred_signals():  # SIGTERM/Ctrl-C never leave a .json without its .tex
                files["json"] = str(cert.write_json(out / f"{stem}.json"))
                files["latex"] = str(write_atomic(out / f"{stem}.tex", cert.to_latex(standalone=True)))
        print(cert.summary(strict=args.strict), file=log, flush=True)
        d = cert.to_dict()
        rows.append(
            {
                "id": th.id,
                "title": th.title,
                "provenance": th.provenance,
                "verdict": verdict,
                "verified": verdict == "verified",
                "seconds": round(cert.seconds, 4),
                "checks": sum(1 for s in cert.steps if s.checked),
                "overrides": len(cert.overrides),
                "evidence": cert.evidence_verdict,
                "min_witness_digits": d["min_witness_digits"],
                "error": cert.error,
                "files": files,
            }
        )
    total = time.perf_counter() - t_all
    all_ok = bool(rows) and all(r["verified"] for r in rows)
    if _ISOLATED in os.environ:  # the child of _run_isolated: the result the parent trusts
        path = os.environ[_ISOLATED]
        write_atomic(path, json.dumps({"nonce": nonce, "all_verified": all_ok, "theorems": len(rows)}))
    if args.json:
        print(
            json.dumps(
                {
                    "command": "prove",
                    "ok": all_ok,
                    "warnings": [],
                    "all_verified": all_ok,
                    "strict": bool(args.strict),
                    "seconds": round(total, 3),
                    "theorems": rows,
                },
                indent=2,
                sort_keys=True,
                allow_nan=False,
            )
        )
    else:
        n_ok = sum(r["verified"] for r in rows)
        counts = {v: sum(r["verdict"] == v for r in rows) for v in ("refuted", "unproven")}
        extra = "".join(f", {n} {v}" for v, n in counts.items() if n)
        print(
            f"{n_ok}/{len(rows)} verified{extra}{' (strict)' if args.strict else ''} in {total:.2f} s"
            + (f"; certificates in {out}/" if out is not None else "")
        )
    return 0 if all_ok else 1
