"""Sweeps of probe runs on Dask, with a crash-safe Parquet store (extra ``sweep``).

A sweep is a TOML file whose keys are probe options (:data:`grsd_sym.probe.runs.OPTIONS`); a
key holding a list is a grid axis, a scalar is fixed::

    framework = "numpy"
    arch = ["mlp", "resnet"]
    depth = [2, 4]
    seed = [0, 1]
    samples = 64
    steps = 200

:func:`run_sweep` expands the grid, skips the runs already in the store, and submits the others
as independent tasks to a Dask cluster (a ``LocalCluster`` of ``workers`` processes, or an
existing scheduler at ``scheduler``; remote workers need ``grsd_sym`` installed).  As each run
finishes the client writes it to ``DIR/runs/<run_id>.parquet``: one row (the grid keys, options,
status, error, diagnostics as JSON, and the per-checkpoint arrays as list columns), written to a
temporary file and renamed, so a file is either complete or absent.  ``run_id`` is a hash of the
run's full options, so a restarted sweep recognises finished runs and never runs one twice; a run
that raises is recorded with ``status = "failed"`` and its error and does not stop the others.

:func:`read_store` and :func:`report` read the store back: one object per run with its grid keys
and diagnostics, group means with seed-bootstrap confidence intervals, and figures.

>>> grid = expand_grid({"arch": ["mlp", "resnet"], "depth": [2, 4], "steps": 10})
>>> len(grid), grid[0]
(4, {'arch': 'mlp', 'depth': 2, 'steps': 10})
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import socket
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from grsd_sym.errors import GRSDError, InputError
from grsd_sym.probe.data import missing_extra
from grsd_sym.probe.runs import ALIASES, OPTIONS, jsonable, normalize_options

__all__ = [
    "REPORT_METRICS",
    "execute_run",
    "expand_grid",
    "format_report",
    "load_config",
    "read_store",
    "report",
    "run_id",
    "run_sweep",
    "write_run",
]

#: per-run diagnostics summarised by :func:`report`
REPORT_METRICS = (
    "grad_spread",
    "rho0",
    "kernel_movement_final",
    "adiabatic_ratio_median",
    "delta_K",
    "delta_K_null",
    "delta_W",
    "delta_W_null",
    "delta_W_offdiag",
    "b_flux",
    "loss_ratio",
)
#: per-checkpoint arrays stored as list columns
ARRAY_COLUMNS = (
    "t",
    "loss",
    "lr",
    "lambda_max",
    "lr_lambda_max",
    "gradient_noise_scale",
    "noise_ratio",
    "kernel_movement",
)


def _pyarrow():
    try:
        import pyarrow as pa  # type: ignore[import-untyped]  # pyarrow ships no type information
        import pyarrow.parquet as pq  # type: ignore[import-untyped]  # (see above)
    except ImportError:
        raise missing_extra("pyarrow", "sweep", "the sweep store") from None
    return pa, pq


# ----------------------------------------------------------------------------- config
def load_config(path: str | Path) -> dict:
    """Read a sweep TOML file; keys must be probe options, values scalars or non-empty lists.

    Parameters
    ----------
    path : str or pathlib.Path

    Returns
    -------
    dict
        Option name (aliases resolved) -> value or list of values.

    Raises
    ------
    InputError
        Missing or unreadable file, unknown key, empty list, nested table.

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "sweep.toml")
    >>> _ = open(path, "w").write("arch = ['mlp', 'resnet']\\ndepth = 2")
    >>> load_config(path)
    {'arch': ['mlp', 'resnet'], 'depth': 2}
    """
    import tomllib

    p = Path(path)
    if not p.is_file():
        raise InputError(f"sweep config {str(p)!r} does not exist")
    try:
        cfg = tomllib.loads(p.read_text())
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {str(p)!r} as TOML: {exc}") from None
    return _validate_config(cfg)


def _validate_config(cfg: dict) -> dict:
    """Resolve aliases and check a config dict (see :func:`load_config`)."""
    out: dict[str, Any] = {}
    for key, value in cfg.items():
        name = ALIASES.get(key, key)
        if name not in OPTIONS:
            raise InputError(f"unknown option {key!r} in the sweep config; valid: {', '.join(sorted(OPTIONS))}")
        if name in out:
            raise InputError(f"option {name!r} given twice (as {key!r} and an alias)")
        if isinstance(value, dict):
            raise InputError(f"option {key!r}: tables are not options")
        if isinstance(value, list) and not value:
            raise InputError(f"option {key!r}: an empty list sweeps nothing")
        if isinstance(value, list) and len(set(map(repr, value))) != len(value):
            raise InputError(f"option {key!r}: repeated values {value}")
        out[name] = value
    for run in expand_grid(out):
        normalize_options(run)  # types and choices of every grid point, before anything runs
    return out


def expand_grid(cfg: dict) -> list[dict]:
    """Cartesian product of the list-valued keys (in file order); scalars are copied to every run.

    Parameters
    ----------
    cfg : dict
        A sweep config.

    Returns
    -------
    list of dict
        One options dict per grid point.

    Examples
    --------
    >>> expand_grid({"arch": ["mlp", "resnet"], "depth": 2})
    [{'arch': 'mlp', 'depth': 2}, {'arch': 'resnet', 'depth': 2}]
    """
    axes = [(k, v if isinstance(v, list) else [v]) for k, v in cfg.items()]
    keys = [k for k, _ in axes]
    return [dict(zip(keys, combo, strict=True)) for combo in itertools.product(*(v for _, v in axes))]


def _grid_keys(cfg: dict) -> list[str]:
    """Keys swept as lists."""
    return [k for k, v in cfg.items() if isinstance(v, list)]


def run_id(options: dict) -> str:
    """Stable id of a run: hash of its full, normalised options.

    Parameters
    ----------
    options : dict
        Probe options (defaults filled in before hashing).

    Returns
    -------
    str
        16 hex digits.

    Examples
    --------
    >>> run_id({"arch": "mlp"}) == run_id({"arch": "mlp", "depth": 2})   # 2 is the default
    True
    """
    canon = json.dumps(jsonable(normalize_options(options)), sort_keys=True)
    return hashlib.sha256(canon.encode()).hexdigest()[:16]


# ----------------------------------------------------------------------------- one task
def execute_run(options: dict) -> dict:
    """Run one probe on a worker and return its store row; never raises for a failed run.

    Parameters
    ----------
    options : dict
        Probe options (:func:`~grsd_sym.probe.runs.run_probe`).

    Returns
    -------
    dict
        ``run_id``, ``options``, ``status`` (``done``/``failed``), ``error``, the summary,
        conditions and regime as JSON, the per-checkpoint arrays, timing and host.

    Examples
    --------
    >>> execute_run({"samples": 8, "steps": 2, "checkpoints": 2})["status"]
    'failed'
    """
    from grsd_sym.probe.blas import blas_threads
    from grsd_sym.probe.runs import run_probe

    started = time.time()
    row: dict[str, Any] = {
        "run_id": run_id(options),
        "options": json.dumps(jsonable(options)),
        "started_at": started,
        "host": socket.gethostname(),
        "pid": os.getpid(),
    }
    try:
        if normalize_options(options)["framework"] == "torch":
            import torch

            torch.set_num_threads(1)
        with blas_threads(1):
            rec = run_probe(options)
        row.update(
            status="done",
            error=None,
            summary=json.dumps(rec["summary"]),
            conditions=json.dumps(rec["conditions"]),
            regime=json.dumps(rec["regime"]),
            n_params=rec["n_params"],
            Mdot_source=rec["Mdot_source"],
        )
        for k in ARRAY_COLUMNS:
            v = rec["checkpoints"].get(k)
            row[k] = None if v is None else [None if x is None else float(x) for x in v]
    except Exception as exc:
        err = f"{type(exc).__name__}: {exc}"
        if not isinstance(exc, GRSDError):
            err += "\n" + "".join(traceback.format_tb(exc.__traceback__)[-3:])
        row.update(status="failed", error=err)
    row["finished_at"] = time.time()
    row["wall_time_s"] = row["finished_at"] - started
    return row


# ----------------------------------------------------------------------------- store
def _runs_dir(store: str | Path) -> Path:
    return Path(store) / "runs"


def write_run(store: str | Path, row: dict, grid: dict) -> Path:
    """Write one run atomically to ``store/runs/<run_id>.parquet`` (temporary file + rename).

    Parameters
    ----------
    store : str or pathlib.Path
    row : dict
        An :func:`execute_run` row.
    grid : dict
        The run's grid-key values.

    Returns
    -------
    pathlib.Path
        The file written.

    Examples
    --------
    >>> import tempfile
    >>> store = tempfile.mkdtemp()
    >>> row = execute_run({"samples": 8, "steps": 2, "checkpoints": 2})   # too small: recorded as failed
    >>> path = write_run(store, row, {"depth": 2})
    >>> path.suffix
    '.parquet'
    """
    pa, pq = _pyarrow()
    d = _runs_dir(store)
    d.mkdir(parents=True, exist_ok=True)
    cols: dict[str, Any] = {"grid": json.dumps(jsonable(grid))}
    for k, v in grid.items():
        cols[f"grid_{k}"] = v
    cols.update(row)
    arrays = {}
    for k, v in cols.items():
        if k in ARRAY_COLUMNS:
            arrays[k] = pa.array([v], type=pa.list_(pa.float64()))
        elif isinstance(v, bool):
            arrays[k] = pa.array([v], type=pa.bool_())
        elif isinstance(v, int):
            arrays[k] = pa.array([v], type=pa.int64())
        elif isinstance(v, float):
            arrays[k] = pa.array([v], type=pa.float64())
        else:
            arrays[k] = pa.array([None if v is None else str(v)], type=pa.string())
    table = pa.table(arrays)
    final = d / f"{row['run_id']}.parquet"
    tmp = d / f".{row['run_id']}.{os.getpid()}.tmp"
    pq.write_table(table, tmp)
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, final)
    return final


def _example_store() -> Path:
    """The examples' store: a temporary directory with one failed run (grid ``depth = 2``)."""
    import tempfile

    store = Path(tempfile.mkdtemp())
    write_run(store, execute_run({"samples": 8, "steps": 2, "checkpoints": 2}), {"depth": 2})
    return store


def read_store(store: str | Path) -> list[dict]:
    """Every run in the store as a dict (JSON columns decoded), sorted by ``finished_at``.

    Parameters
    ----------
    store : str or pathlib.Path

    Returns
    -------
    list of dict

    Raises
    ------
    InputError
        Not a store, or an unreadable file.

    Examples
    --------
    >>> store = _example_store()    # one run, too small to diagnose: recorded as failed
    >>> [(r["grid"], r["status"]) for r in read_store(store)]
    [({'depth': 2}, 'failed')]
    """
    _, pq = _pyarrow()
    d = _runs_dir(store)
    if not d.is_dir():
        raise InputError(f"{str(store)!r} is not a sweep store (no runs/ directory)")
    rows = []
    for f in sorted(d.glob("*.parquet")):
        try:
            r = pq.read_table(f).to_pylist()[0]
        except Exception as exc:
            raise InputError(f"cannot read store file {str(f)!r}: {exc}") from None
        for k in ("grid", "summary", "conditions", "regime", "options"):
            if r.get(k) is not None:
                r[k] = json.loads(r[k])
        rows.append(r)
    rows.sort(key=lambda r: r.get("finished_at") or 0.0)
    return rows


# ----------------------------------------------------------------------------- the sweep
def run_sweep(
    config: dict | str | Path,
    store: str | Path,
    scheduler: str | None = None,
    workers: int = 2,
    retry_failed: bool = False,
    progress: Callable[[str], None] | None = None,
) -> dict:
    """Run every grid point not yet in ``store`` on Dask; return counts.

    Parameters
    ----------
    config : dict or path
        Sweep config (dict as from :func:`load_config`, or a TOML path).
    store : path
        Results directory (created).
    scheduler : str, optional
        Address of an existing Dask scheduler; default a ``LocalCluster``.
    workers : int
        Worker processes of the local cluster (one thread each).
    retry_failed : bool
        Run again the runs recorded as failed (default: keep their record).
    progress : callable, optional
        Receives one line per event.

    Returns
    -------
    dict
        ``total``, ``skipped``, ``done``, ``failed`` (of this invocation), ``store``.

    Raises
    ------
    InputError
        Bad config, missing extra.

    Examples
    --------
    ``run_sweep({"arch": ["mlp", "resnet"]}, "store", workers=2)`` runs the grid on a local Dask
    cluster; its arguments are checked before any worker starts:

    >>> run_sweep({"arch": ["mlp"]}, "store", workers=0)
    Traceback (most recent call last):
    ...
    grsd_sym.errors.InputError: workers must be an integer >= 1, got 0

    References
    ----------
    docs/theory/conditions.md (the measured conditions).
    """
    cfg = load_config(config) if not isinstance(config, dict) else _validate_config(config)
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise InputError(f"workers must be an integer >= 1, got {workers!r}")
    _pyarrow()
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise missing_extra("distributed", "sweep", "grsd probe sweep") from None
    say = progress or (lambda msg: None)
    keys = _grid_keys(cfg)
    runs = expand_grid(cfg)
    store = Path(store)
    _runs_dir(store).mkdir(parents=True, exist_ok=True)
    (store / "config.json").write_text(json.dumps({"config": cfg, "grid_keys": keys}, indent=1))
    have = {r["run_id"]: r["status"] for r in read_store(store)}
    todo, seen = [], set()
    for opts in runs:
        rid = run_id(opts)
        if rid in seen:
            continue
        seen.add(rid)
        st = have.get(rid)
        if st == "done" or (st == "failed" and not retry_failed):
            continue
        todo.append((rid, opts))
    total = len(seen)
    say(f"sweep: {total} runs in the grid, {total - len(todo)} already in {str(store)!r}, {len(todo)} to run")
    counts: dict[str, Any] = {"total": total, "skipped": total - len(todo), "done": 0, "failed": 0, "store": str(store)}
    if not todo:
        return counts
    import logging

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.ERROR
        )
        client = Client(cluster)
    t0 = time.perf_counter()
    try:
        futures = {}
        for rid, opts in todo:
            fut = client.submit(execute_run, opts, key=f"grsd-probe-{rid}", pure=False)
            futures[fut] = (rid, opts)
        for k, fut in enumerate(as_completed(list(futures)), start=1):
            rid, opts = futures[fut]
            try:
                row = fut.result()
            except Exception as exc:
                row = {
                    "run_id": rid,
                    "options": json.dumps(jsonable(opts)),
                    "status": "failed",
                    "error": f"{type(exc).__name__}: {exc}",
                    "finished_at": time.time(),
                }
            grid = {g: opts[g] for g in keys}
            write_run(store, row, grid)
            counts[row["status"]] += 1
            msg = (
                f"[{k}/{len(todo)}] {row['status']} {rid} "
                + " ".join(f"{g}={v}" for g, v in grid.items())
                + (
                    f" ({row.get('wall_time_s', 0):.1f} s)"
                    if row["status"] == "done"
                    else f": {str(row.get('error')).splitlines()[0]}"
                )
                + f"  elapsed {time.perf_counter() - t0:.0f} s"
            )
            say(msg)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return counts


# ----------------------------------------------------------------------------- report
def _bootstrap_ci(
    x: np.ndarray, rng: np.random.Generator, n_boot: int = 2000, level: float = 0.95
) -> tuple[float | None, float | None]:
    if x.size < 2:
        return None, None
    idx = rng.integers(0, x.size, size=(n_boot, x.size))
    means = x[idx].mean(axis=1)
    lo, hi = np.quantile(means, [(1 - level) / 2, (1 + level) / 2])
    return float(lo), float(hi)


def report(store: str | Path, figures: str | Path | None = None) -> dict:
    """Read a store: runs with grid keys and diagnostics, group statistics, optional figures.

    Runs are grouped by their grid keys other than ``seed``; each metric of
    :data:`REPORT_METRICS` gets its mean over the group and a 95% seed-bootstrap confidence
    interval of the mean (2000 resamples, fixed generator; ``None`` with fewer than 2 runs).

    Parameters
    ----------
    store : str or pathlib.Path
    figures : str or pathlib.Path, optional
        Write figures there (needs matplotlib).

    Returns
    -------
    dict
        ``store``, ``grid_keys``, ``n_runs``, ``n_done``, ``n_failed``, ``runs`` (one object per
        finished run: grid keys, ``run_id``, ``diagnostics``, ``conditions``, ``regime``),
        ``failed`` (grid keys and error), ``groups``, ``figures``.

    Raises
    ------
    InputError
        Not a store.

    Examples
    --------
    >>> store = _example_store()    # one run, too small to diagnose: recorded as failed
    >>> r = report(store)
    >>> r["n_runs"], r["n_failed"]
    (1, 1)
    """
    rows = read_store(store)
    cfgf = Path(store) / "config.json"
    keys = (
        json.loads(cfgf.read_text())["grid_keys"]
        if cfgf.is_file()
        else sorted({k for r in rows for k in (r.get("grid") or {})})
    )
    runs, failed = [], []
    for r in rows:
        grid = r.get("grid") or {}
        if r["status"] == "done":
            obj = dict(grid)
            obj.update(
                run_id=r["run_id"],
                diagnostics=r["summary"],
                conditions=r["conditions"],
                regime=r["regime"],
                wall_time_s=r.get("wall_time_s"),
                checkpoints={k: r.get(k) for k in ARRAY_COLUMNS},
            )
            runs.append(obj)
        else:
            obj = dict(grid)
            obj.update(run_id=r["run_id"], error=r.get("error"))
            failed.append(obj)
    gkeys = [k for k in keys if k != "seed"]
    groups: dict[tuple, list] = {}
    for r in runs:
        groups.setdefault(tuple(json.dumps(r.get(k)) for k in gkeys), []).append(r)
    rng = np.random.default_rng(0)
    out_groups = []
    for gk, members in groups.items():
        g: dict[str, Any] = {k: json.loads(v) for k, v in zip(gkeys, gk, strict=True)}
        g["n"] = len(members)
        stats = {}
        for m in REPORT_METRICS:
            x = np.array(
                [r["diagnostics"].get(m) for r in members if isinstance(r["diagnostics"].get(m), (int, float))],
                dtype=float,
            )
            x = x[np.isfinite(x)]
            lo, hi = _bootstrap_ci(x, rng)
            stats[m] = {"mean": float(x.mean()) if x.size else None, "ci_low": lo, "ci_high": hi, "n": int(x.size)}
        g["metrics"] = stats
        g["regime"] = sorted({r["regime"]["regime"] for r in members})
        out_groups.append(g)
    doc = {
        "store": str(store),
        "grid_keys": keys,
        "n_runs": len(rows),
        "n_done": len(runs),
        "n_failed": len(failed),
        "runs": runs,
        "failed": failed,
        "groups": out_groups,
        "figures": [],
    }
    if figures is not None and runs:
        doc["figures"] = _figures(doc, Path(figures))
    return doc


def _figures(doc: dict, outdir: Path) -> list[str]:
    from grsd_sym.probe.plots import require_matplotlib

    require_matplotlib()
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    outdir.mkdir(parents=True, exist_ok=True)
    files = []
    x_key = next((k for k in ("depth", "width", "samples") if k in doc["grid_keys"]), None)
    metrics = ("grad_spread", "rho0", "kernel_movement_final", "delta_K")
    fig, axes = plt.subplots(1, len(metrics), figsize=(4 * len(metrics), 3.2))
    series: dict[str, list] = {}
    for g in doc["groups"]:
        label = " ".join(f"{k}={g[k]}" for k in g if k not in ("n", "metrics", "regime", x_key))
        series.setdefault(label or "all", []).append(g)
    for ax, m in zip(axes, metrics, strict=True):
        for label, gs in series.items():
            gs = sorted(gs, key=lambda g: g.get(x_key) if x_key else 0)
            xs = [g.get(x_key, i) if x_key else i for i, g in enumerate(gs)]
            mu = np.array([np.nan if g["metrics"][m]["mean"] is None else g["metrics"][m]["mean"] for g in gs])
            lo = np.array([np.nan if g["metrics"][m]["ci_low"] is None else g["metrics"][m]["ci_low"] for g in gs])
            hi = np.array([np.nan if g["metrics"][m]["ci_high"] is None else g["metrics"][m]["ci_high"] for g in gs])
            ax.errorbar(
                xs, mu, yerr=[np.nan_to_num(mu - lo), np.nan_to_num(hi - mu)], marker="o", capsize=3, label=label
            )
        ax.set_title(m)
        ax.set_xlabel(x_key or "group")
    axes[0].legend(fontsize=7)
    fig.tight_layout()
    f = outdir / "sweep_conditions.png"
    fig.savefig(f, dpi=100)
    plt.close(fig)
    files.append(str(f))
    fig, ax = plt.subplots(figsize=(5, 3.5))
    for r in doc["runs"]:
        t, loss = r["checkpoints"].get("t"), r["checkpoints"].get("loss")
        if t and loss and len(t) > 1:
            ax.loglog(t[1:], loss[1:], alpha=0.6, lw=1)
    ax.set_xlabel("t = lr x steps")
    ax.set_ylabel("loss")
    fig.tight_layout()
    f = outdir / "sweep_loss.png"
    fig.savefig(f, dpi=100)
    plt.close(fig)
    files.append(str(f))
    return files


def _fmt(x) -> str:
    if x is None:
        return "n/a"
    if x != 0 and (abs(x) >= 1e4 or abs(x) < 1e-3):
        return f"{x:.2e}"
    return f"{x:.3f}"


def format_report(doc: dict) -> str:
    """Text table of :func:`report`: per group, mean [95% CI] of each metric.

    Parameters
    ----------
    doc : dict
        A :func:`report` document.

    Returns
    -------
    str

    Examples
    --------
    >>> store = _example_store()    # one run, too small to diagnose: recorded as failed
    >>> format_report(report(store)).split(":")[1]
    ' 0 runs done, 1 failed (grid keys'
    """
    gkeys = [k for k in doc["grid_keys"] if k != "seed"]
    lines = [
        (
            f"store {doc['store']}: {doc['n_done']} runs done, {doc['n_failed']} failed "
            f"(grid keys: {', '.join(doc['grid_keys']) or 'none'})"
        ),
        "",
    ]
    cols = ("grad_spread", "rho0", "kernel_movement_final", "delta_K", "delta_K_null", "b_flux")
    head = "  ".join(f"{k:>10}" for k in gkeys) + f"  {'n':>3}  " + "  ".join(f"{c:>26}" for c in cols) + "  regime"
    lines += [head, "-" * len(head)]
    for g in doc["groups"]:
        cells = []
        for c in cols:
            s = g["metrics"][c]
            ci = f"[{_fmt(s['ci_low'])}, {_fmt(s['ci_high'])}]" if s["ci_low"] is not None else ""
            cells.append(f"{_fmt(s['mean']) + ' ' + ci:>26}")
        lines.append(
            "  ".join(f"{g.get(k)!s:>10}" for k in gkeys)
            + f"  {g['n']:>3}  "
            + "  ".join(cells)
            + "  "
            + "; ".join(g["regime"])
        )
    if doc["failed"]:
        lines += ["", "failed runs:"]
        for f in doc["failed"]:
            grid = " ".join(f"{k}={f.get(k)}" for k in doc["grid_keys"])
            lines.append(f"  {f['run_id']} {grid}: {str(f.get('error')).splitlines()[0]}")
    if doc["figures"]:
        lines += ["", "figures: " + ", ".join(doc["figures"])]
    lines.append("")
    lines.append("CI: 95% bootstrap over seeds of the group mean (2000 resamples)")
    return "\n".join(lines)
