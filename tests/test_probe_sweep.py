"""Sweeps on Dask: grid expansion, atomic Parquet store, kill + restart, failed runs, report.

dask/distributed and pyarrow are imported directly: CI installs the ``sweep`` extra.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import distributed  # noqa: F401 - the extra must be installed
import numpy as np
import pyarrow.parquet as pq
import pytest

from grsd_sym.errors import InputError
from grsd_sym.probe.sweep import (
    execute_run,
    expand_grid,
    load_config,
    read_store,
    report,
    run_id,
    run_sweep,
    write_run,
)

TINY = {
    "framework": "numpy",
    "width": 8,
    "samples": 64,
    "input_dim": 16,
    "steps": 30,
    "checkpoints": 3,
    "shells": 3,
    "n_null": 5,
    "min_count": 3,
}


def _toml(d: dict) -> str:
    def val(v):
        if isinstance(v, list):
            return "[" + ", ".join(val(x) for x in v) + "]"
        return json.dumps(v)

    return "\n".join(f"{k} = {val(v)}" for k, v in d.items()) + "\n"


def test_grid_expansion_and_ids(tmp_path):
    cfg_file = tmp_path / "s.toml"
    cfg_file.write_text(_toml({"arch": ["mlp", "resnet"], "depths": [1, 2], "seed": [0, 1, 2], "steps": 10}))
    cfg = load_config(cfg_file)
    grid = expand_grid(cfg)
    assert len(grid) == 12 and cfg["depth"] == [1, 2]  # alias resolved
    ids = {run_id(g) for g in grid}
    assert len(ids) == 12
    assert run_id({"arch": "mlp", "depth": 1, "seed": 0, "steps": 10}) in ids


@pytest.mark.parametrize(
    "text,msg",
    [
        ("colour = 1\n", "unknown option"),
        ("depth = []\n", "empty list"),
        ("arch = ['mlp', 'vit']\n", "arch"),
        ("depth = [1, 1]\n", "repeated"),
        ("depth = \n", "TOML"),
    ],
)
def test_bad_configs_are_input_errors(tmp_path, text, msg):
    f = tmp_path / "bad.toml"
    f.write_text(text)
    with pytest.raises(InputError, match=msg):
        load_config(f)


def test_store_rows_are_atomic_and_report_statistics(tmp_path):
    rows = []
    for seed in (0, 1, 2):
        opts = dict(TINY, arch="resnet", depth=1, seed=seed)
        row = execute_run(opts)
        assert row["status"] == "done", row.get("error")
        write_run(tmp_path, row, {"arch": "resnet", "seed": seed})
        rows.append(row)
    bad = execute_run(dict(TINY, arch="mlp", depth=1, seed=0, data="npz:/no/such/file.npz"))
    assert bad["status"] == "failed" and "does not exist" in bad["error"]
    write_run(tmp_path, bad, {"arch": "mlp", "seed": 0})
    files = sorted(os.listdir(tmp_path / "runs"))
    assert len(files) == 4 and all(f.endswith(".parquet") for f in files)  # no temporaries left
    t = pq.read_table(tmp_path / "runs" / f"{rows[0]['run_id']}.parquet")
    assert t.num_rows == 1 and "t" in t.column_names and "loss" in t.column_names
    doc = report(tmp_path)
    assert doc["n_done"] == 3 and doc["n_failed"] == 1
    assert doc["failed"][0]["arch"] == "mlp" and "does not exist" in doc["failed"][0]["error"]
    (g,) = [g for g in doc["groups"] if g["arch"] == "resnet"]
    rho = [json.loads(r["summary"])["rho0"] for r in rows]
    assert g["metrics"]["rho0"]["mean"] == pytest.approx(np.mean(rho), rel=1e-12)
    assert g["metrics"]["rho0"]["ci_low"] <= np.mean(rho) <= g["metrics"]["rho0"]["ci_high"]
    assert min(rho) <= g["metrics"]["rho0"]["ci_low"]
    # per-checkpoint arrays survive the round trip
    r0 = next(r for r in doc["runs"] if r["seed"] == 0)
    assert len(r0["checkpoints"]["t"]) == len(r0["checkpoints"]["loss"]) >= 3


def test_damaged_store_file_is_reported(tmp_path):
    (tmp_path / "runs").mkdir()
    (tmp_path / "runs" / "abc.parquet").write_bytes(b"not parquet")
    with pytest.raises(InputError, match="cannot read store file"):
        read_store(tmp_path)
    with pytest.raises(InputError, match="not a sweep store"):
        read_store(tmp_path / "elsewhere")


def test_failed_run_does_not_stop_the_sweep_and_is_not_rerun(tmp_path):
    cfg = dict(TINY, arch="mlp", depth=1, seed=[0], data=["teacher", "npz:/no/such/file.npz"])
    lines = []
    c1 = run_sweep(cfg, tmp_path, workers=1, progress=lines.append)
    assert (c1["done"], c1["failed"]) == (1, 1)
    assert any("failed" in ln and "does not exist" in ln for ln in lines)
    c2 = run_sweep(cfg, tmp_path, workers=1)
    assert (c2["skipped"], c2["done"], c2["failed"]) == (2, 0, 0)
    doc = report(tmp_path)
    assert doc["n_done"] == 1 and doc["n_failed"] == 1 and doc["runs"][0]["data"] == "teacher"


def _launch(cfg_file, store):
    return subprocess.Popen(
        [sys.executable, "-m", "grsd_sym", "probe", "sweep", str(cfg_file), "--store", str(store), "--workers", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
def test_sweep_killed_by_sigterm_and_restarted_runs_each_point_once(tmp_path):
    cfg = dict(TINY, arch=["mlp", "resnet"], depth=[1, 2], seed=[0, 1], steps=150, samples=64)
    cfg_file = tmp_path / "sweep.toml"
    cfg_file.write_text(_toml(cfg))
    store = tmp_path / "store"
    runs_dir = store / "runs"
    proc = _launch(cfg_file, store)
    deadline = time.time() + 240
    while time.time() < deadline:
        n = len(list(runs_dir.glob("*.parquet"))) if runs_dir.is_dir() else 0
        if n >= 2 or proc.poll() is not None:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=120)
    first = {f.name: pq.read_table(f).to_pylist()[0]["finished_at"] for f in runs_dir.glob("*.parquet")}
    assert 2 <= len(first) < 8, "the sweep was not interrupted in the middle"
    proc = _launch(cfg_file, store)
    _out, err = proc.communicate(timeout=400)
    assert proc.returncode == 0, err
    assert f"{len(first)} already in" in err
    files = sorted(runs_dir.glob("*.parquet"))
    rows = read_store(store)
    assert len(files) == len(rows) == 8
    assert len({r["run_id"] for r in rows}) == 8
    # a run whose diagnostics fail at this tiny size is recorded as failed, with its error
    assert all(r["status"] == "done" or (r["status"] == "failed" and r["error"]) for r in rows)
    for f in files:  # finished runs were not run again
        if f.name in first:
            assert pq.read_table(f).to_pylist()[0]["finished_at"] == first[f.name]
    grid = {(r["grid"]["arch"], r["grid"]["depth"], r["grid"]["seed"]) for r in rows}
    assert grid == {(a, d, s) for a in ("mlp", "resnet") for d in (1, 2) for s in (0, 1)}
    rep = subprocess.run(
        [sys.executable, "-m", "grsd_sym", "probe", "report", str(store), "--json", "--no-figures"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert rep.returncode == 0, rep.stderr
    doc = json.loads(rep.stdout)
    done = [r for r in rows if r["status"] == "done"]
    assert len(doc["runs"]) == len(done) >= 1 and doc["n_failed"] == 8 - len(done)
    assert {"arch", "depth", "seed", "diagnostics", "conditions", "regime"} <= set(doc["runs"][0])
    assert {(g["arch"], g["depth"]) for g in doc["groups"]} == {(r["grid"]["arch"], r["grid"]["depth"]) for r in done}


def test_readme_sweep_config_is_valid(tmp_path):
    text = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    block = text.split("# sweep.toml (3. sweep)", 1)[1].split("```", 1)[0]
    f = tmp_path / "sweep.toml"
    f.write_text("#" + block)  # the rest of the comment line
    grid = expand_grid(load_config(f))
    assert len(grid) == 16 and {g["arch"] for g in grid} == {"rescnn", "cnn"}


def test_sweep_on_an_existing_scheduler(tmp_path):
    from dask.distributed import LocalCluster

    cfg = dict(TINY, arch="resnet", depth=1, seed=[0, 1])
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        c = run_sweep(cfg, tmp_path, scheduler=cluster.scheduler_address)
    assert c["total"] == 2 and c["done"] + c["failed"] == 2
    rows = read_store(tmp_path)
    assert sorted(r["grid"]["seed"] for r in rows) == [0, 1]
    assert {r["run_id"] for r in rows} == {run_id(dict(TINY, arch="resnet", depth=1, seed=s)) for s in (0, 1)}
