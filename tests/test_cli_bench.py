"""``grsd bench`` and the benchmark registry, through grsd_sym.cli.main (no subprocess)."""

import json
import types

import pytest

import grsd_sym.bench as bench
from grsd_sym.cli import main
from grsd_sym.errors import InputError


def test_registry_discovers_mine():
    mods = bench.discover()
    assert {"lower", "transport"} <= set(mods)
    for m in mods.values():
        assert isinstance(m.NAME, str) and isinstance(m.TARGET, str) and callable(m.run)


def test_bench_quick_json_lower(capsys):
    rc = main(["bench", "--quick", "--json", "--only", "lower"])
    out = capsys.readouterr()
    assert rc == 0
    doc = json.loads(out.out)
    (rec,) = doc["benchmarks"]
    assert set(bench.REQUIRED_KEYS) <= set(rec)
    assert rec["name"] == "lower" and rec["ratio"] > 0 and isinstance(rec["passed"], bool)
    # the kernel and the hand-written numpy agree on every case (the benchmark compares equals)
    for case in rec["details"]["cases"].values():
        assert case["max_rel_diff"] < 1e-12
    assert "lower" in out.err  # progress on stderr


def test_broken_benchmark_is_reported_not_hidden(monkeypatch, capsys):
    def boom(quick):
        raise RuntimeError("kaput")

    fake = {
        "ok": types.SimpleNamespace(
            NAME="ok",
            TARGET="ratio <= 2",
            run=lambda q: {"name": "ok", "ratio": 1.0, "target": "ratio <= 2", "passed": True, "details": {}},
        ),
        "bad": types.SimpleNamespace(NAME="bad", TARGET="ratio >= 1", run=boom),
    }
    monkeypatch.setattr(bench, "discover", lambda: fake)
    rc = main(["bench", "--json", "--strict"])
    doc = json.loads(capsys.readouterr().out)
    assert rc == 1 and doc["all_passed"] is False
    bad = next(r for r in doc["benchmarks"] if r["name"] == "bad")
    assert bad["passed"] is False and "kaput" in bad["details"]["error"]
    assert main(["bench", "--only", "ok"]) == 0
    assert "ok" in capsys.readouterr().out
    with pytest.raises(InputError):
        bench.run_all(names=["nope"])
    assert main(["bench", "--only", "nope"]) == 2
