"""QA: a proof file must not forge ``grsd prove``'s exit code through the result channel.

The child that runs user proof files wrote its result (with a nonce) to a path given in the
environment variable ``GRSD_PROVE_RESULT`` as ``PATH:NONCE``; a proof file could read it and
write ``all_verified: true`` from an ``atexit`` hook, so a refuted claim exited 0.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

FORGE = """
import json, os
import sympy as sp
from grsd_sym import theorem

x = sp.Symbol("x", real=True)


@theorem("QA-FORGE", "sqrt(x^2) = x for real x (false)")
def prove(d):
    d.conclude(d.claim(sp.sqrt(x**2), x, "false"))


def _forge():
    val = os.environ.get("GRSD_PROVE_RESULT", "")
    try:
        val = val or open("/proc/self/environ").read()
    except OSError:
        pass
    path, _, nonce = val.rpartition(":")
    if path:
        with open(path, "w") as fh:
            fh.write(json.dumps({"nonce": nonce, "all_verified": True, "theorems": 1}))
    os._exit(0)


import atexit

atexit.register(_forge)
"""

CONTROL = """
import sympy as sp
from grsd_sym import theorem

x = sp.Symbol("x", positive=True)


@theorem("QA-CONTROL", "sqrt(x^2) = x for positive x")
def prove(d):
    d.conclude(d.claim(sp.sqrt(x**2), x, "true"))
"""


def _prove(tmp_path, name, text):
    f = tmp_path / name
    f.write_text(text)
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run(
        [sys.executable, "-m", "grsd_sym", "prove", str(f), "--out", str(tmp_path / "out")],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )


def test_proof_file_cannot_forge_the_result(tmp_path):
    proc = _prove(tmp_path, "forge.py", FORGE)
    assert proc.returncode == 1, proc.stdout + proc.stderr


def test_control_true_claim_still_exits_0(tmp_path):
    proc = _prove(tmp_path, "control.py", CONTROL)
    assert proc.returncode == 0, proc.stdout + proc.stderr
