"""``grsd`` itself: --version, bare grsd, one-line errors, SIGTERM, output paths, the time budget."""

import contextlib
import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sympy as sp

from grsd_sym.budget import check_budget, run_with_budget
from grsd_sym.cli import COMMANDS, main, one_line
from grsd_sym.cli._io import (
    Terminated,
    check_output_dir,
    check_output_file,
    deferred_signals,
    file_mode,
    write_atomic,
)
from grsd_sym.errors import (
    BudgetExceededError,
    GRSDError,
    InputError,
    OutputPathError,
    RegionError,
)

ROOT = Path(__file__).resolve().parents[1]


def grsd(*argv, timeout=120, cwd=ROOT, **kw):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "grsd_sym", *argv],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
        env=env,
        check=False,
        **kw,
    )


def test_version(capsys):
    from grsd_sym import __version__

    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0 and __version__ in capsys.readouterr().out


def test_bare_grsd_lists_the_commands(capsys):
    assert main([]) == 0
    out = capsys.readouterr().out
    for name in COMMANDS:
        assert f"  {name} " in out
    assert "grsd COMMAND --help" in out


def test_one_line_abbreviates_numbers():
    msg = one_line("got b = " + "1234567890" * 40 + "\nvalid: b > 1")
    assert "\n" not in msg and "(400 digits)" in msg and len(msg) < 80


def test_error_messages_abbreviate_long_numbers(capsys):
    # regression: error messages printed 400-digit numbers
    rc = main(["solve", "transport", "--b", "1e400"])
    err = capsys.readouterr().err.splitlines()[-1]
    assert rc == 2 and "error" in err and "(401 digits)" in err and "0" * 40 not in err


def _no_work(*a, **k):
    raise AssertionError("the work started before the output path was checked")


def test_prove_out_is_a_file_one_line_before_work(tmp_path, capsys, monkeypatch):
    # regression: 'grsd prove T4 --out f' with f a file was a traceback (after the proof ran)
    from grsd_sym.cli import cmd_prove

    monkeypatch.setattr(cmd_prove, "run_theorem", _no_work)
    f = tmp_path / "f"
    f.write_text("x")
    rc = main(["prove", "T4", "--out", str(f)])
    err = capsys.readouterr().err
    assert rc == 2 and err.count("\n") == 1 and "is a file, not a folder" in err
    rc = main(["prove", "T4", "--out", str(f / "sub")])
    assert rc == 2 and "is a file, not a folder" in capsys.readouterr().err
    assert f.read_text() == "x" and sorted(p.name for p in tmp_path.iterdir()) == ["f"]


def test_report_out_is_a_file_one_line_before_work(tmp_path, capsys, monkeypatch):
    # regression: 'grsd report --out f' failed with a traceback after 31 s of derivations
    from grsd_sym.cli import cmd_report

    monkeypatch.setattr(cmd_report, "run_theorem", _no_work)
    f = tmp_path / "f"
    f.write_text("x")
    rc = main(["report", "--out", str(f)])
    err = capsys.readouterr().err
    assert rc == 2 and err.count("\n") == 1 and "is a file" in err and "[1/" not in err


def test_unwritable_out_via_dev_null(capsys):
    # works for root too: /dev/null is not a folder, and nothing can be created under it
    assert main(["report", "--out", "/dev/null/x"]) == 2
    assert "not a folder" in capsys.readouterr().err


def test_output_path_checks_create_nothing(tmp_path):
    target = tmp_path / "a" / "b"
    assert check_output_dir(target) == target and not (tmp_path / "a").exists()
    assert check_output_file(tmp_path / "x.png").name == "x.png" and list(tmp_path.iterdir()) == []
    for bad in ("", "a\x00b", "x" * 300):
        with pytest.raises(OutputPathError):
            check_output_dir(tmp_path / bad if bad else bad)
    with pytest.raises(OutputPathError, match="is a folder"):
        check_output_file(tmp_path)


@pytest.mark.parametrize("mask", [0o022, 0o002, 0o077])
def test_write_atomic_respects_the_umask(tmp_path, mask):
    # regression: certificates and reports were written 0600 (mkstemp's mode), whatever the umask
    old = os.umask(mask)
    try:
        p = write_atomic(tmp_path / "x.json", "{}")
        ref = tmp_path / "ref"
        with open(ref, "w") as fh:  # independent route: what a plain open() gives
            fh.write("{}")
    finally:
        os.umask(old)
    assert stat.S_IMODE(p.stat().st_mode) == stat.S_IMODE(ref.stat().st_mode) == 0o666 & ~mask
    assert file_mode() == 0o666 & ~old


def test_write_atomic_leaves_no_temporary_file_when_interrupted(tmp_path, monkeypatch):
    def killed(*a, **k):
        raise Terminated()

    monkeypatch.setattr(os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(tmp_path / "x.tex", "text")
    assert list(tmp_path.iterdir()) == []


def test_deferred_signals_complete_the_block_then_deliver(tmp_path):
    from grsd_sym.cli._io import handle_termination

    old = signal.getsignal(signal.SIGTERM)
    handle_termination()
    done = []

    def block():  # the signal arrives mid-block; both writes must still happen
        with deferred_signals():
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.05)
            done.append("json")
            done.append("tex")

    try:
        with pytest.raises(Terminated):
            block()
    finally:
        signal.signal(signal.SIGTERM, old)
    assert done == ["json", "tex"]


def test_sigterm_is_handled_like_ctrl_c():
    # a long solve: SIGTERM (what SLURM and CI send) -> a one-line message, exit 130, the child killed
    proc = subprocess.Popen(
        [sys.executable, "-m", "grsd_sym", "solve", "transport", "--b", "9973/10000"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    first = proc.stderr.readline()  # "solving ...": the handler is installed, the child is working
    time.sleep(1.0)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=20)
    err = first + err
    assert proc.returncode == 130 and "terminated (SIGTERM)" in err and "Traceback" not in err


def test_sigterm_during_prove_leaves_complete_pairs(tmp_path):
    proc = subprocess.Popen(
        [sys.executable, "-m", "grsd_sym", "prove", "--json", "--out", str(tmp_path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    proc.stderr.readline()
    proc.stderr.readline()  # "[2/N] ...": certificates are being written
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "Traceback" not in err
    names = sorted(p.name for p in tmp_path.iterdir())
    assert not [n for n in names if n.endswith(".tmp") or n.startswith(".")]
    stems = {n.rsplit(".", 1)[0] for n in names}
    assert names == sorted([f"{s}.json" for s in stems] + [f"{s}.tex" for s in stems])


# ---- the budget ---------------------------------------------------------------------------


def _swallowing_loop():
    while True:
        with contextlib.suppress(BaseException):
            time.sleep(0.02)


def _raise_region():
    raise RegionError("outside: b > 1")


def test_budget_returns_results_and_project_errors():
    assert run_with_budget(sp.integrate, sp.Symbol("x") ** 2, seconds=30) == sp.Symbol("x") ** 3 / 3
    with pytest.raises(RegionError, match="b > 1"):
        run_with_budget(_raise_region, seconds=30)
    assert run_with_budget(lambda: 3, seconds=None) == 3


def test_budget_kills_what_swallows_exceptions():
    t0 = time.monotonic()
    with pytest.raises(BudgetExceededError, match="within the time budget of 1 s"):
        run_with_budget(_swallowing_loop, seconds=1, what="the loop")
    assert time.monotonic() - t0 < 1 + 5


def test_budget_values():
    assert check_budget("90") == 90.0 and check_budget("0") is None and check_budget("none") is None
    for bad in ("-1", "nan", "1e9", "x"):
        with pytest.raises(InputError):
            check_budget(bad)
    with pytest.raises(InputError):
        run_with_budget(lambda: 1, seconds=-1)
    assert issubclass(BudgetExceededError, GRSDError)


# ---- JSON vocabulary ----------------------------------------------------------------------


def _readme_vocabulary():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("### JSON vocabulary")
    block = text[start : text.index("\n## ", start)]
    keys = set()
    for line in block.splitlines():
        if line.startswith("| `"):
            cell = line.split("|")[1]
            keys |= {part.strip().strip("`") for part in cell.split(",")}
    return keys


@pytest.mark.parametrize(
    "argv",
    [
        ["solve", "transport", "--b", "2", "--c-form", "const"],
        ["derive", "velocity", "--assume", "time-rescaling", "--check", "c0*lambda**2"],
        ["exponents", "time", "--convention", "bordelon2024", "--a", "2", "--b", "3/2"],
        ["simulate", "transport", "--b", "2", "--c0", "4", "--kappa", "0.9", "--d", "2", "--t-max", "1e3"],
        ["prove", "T1", "--no-write"],
    ],
)
def test_every_json_document_uses_the_documented_vocabulary(capsys, argv):
    rc = main([*argv, "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert doc["command"].split()[0] == argv[0]
    assert doc["ok"] is (rc == 0) and isinstance(doc["warnings"], list)
    vocab = _readme_vocabulary()
    keys = {k for k in doc if not (k.endswith("_float") and k[:-6] in doc)}
    if argv[0] == "exponents":  # plus the query's own quantities, by name (README)
        keys &= vocab | {"kind"}
        assert {"kind", "law", "exponent", "exponent_float", "parameters", "convention"} <= set(doc)
    assert keys <= vocab, sorted(keys - vocab)
