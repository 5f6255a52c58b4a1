"""One probe run from its options, in any framework: the unit of ``grsd probe`` and of sweeps.

A run is a flat dict of *probe options* (the names of the ``grsd probe`` flags and of the keys
of a sweep's TOML file, :data:`OPTIONS`): framework, architecture, sizes, data set, optimizer,
measurement settings.  :func:`run_probe` builds the data set, the network (the same initial
weights in numpy, torch and jax for a given ``seed``), trains it, records the trajectory and
measures the four conditions of docs/theory/conditions.md (:func:`grsd_sym.probe.diagnostics.diagnose`).
Its result is JSON-ready: the options, the diagnostics summary, the four conditions grouped, the
regime of the optimizer and the per-checkpoint arrays (``t``, loss, ``lr * lambda_max``,
gradient-noise scale, kernel movement).

>>> normalize_options({"arch": "mlp", "depth": 2})["framework"]
'numpy'
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from grsd_sym.errors import InputError
from grsd_sym.probe.architectures import ARCHS, ArchSpec
from grsd_sym.probe.data import image_shape, load_data, parse_data_spec
from grsd_sym.probe.experiment import jsonable  # one home: numpy -> plain JSON
from grsd_sym.probe.optim import OPTIMIZERS, optimize
from grsd_sym.probe.recording import MDOT_METHODS, _optimizer_spec, build_trajectory

__all__ = [
    "ALIASES",
    "FRAMEWORKS",
    "OPTIONS",
    "conditions",
    "jsonable",
    "normalize_options",
    "run_probe",
]

FRAMEWORKS = ("numpy", "torch", "jax")

#: probe option -> (type, default, help); the keys of a sweep config and of a run record
OPTIONS: dict[str, tuple[type, Any, str]] = {
    "framework": (str, "numpy", "numpy | torch | jax"),
    "arch": (str, "resnet", "mlp | resnet | cnn | rescnn"),
    "depth": (int, 2, "hidden layers / residual blocks"),
    "width": (int, 16, "hidden width (channels for cnn/rescnn)"),
    "seed": (int, 0, "initialisation seed (also the SGD batch order)"),
    "data": (str, "teacher", "teacher | digits | npz:PATH"),
    "samples": (int, 96, "training samples n"),
    "input_dim": (int, 24, "teacher input dimension"),
    "task_seed": (int, 0, "teacher draw / digits subset"),
    "target": (str, "label", "digits target: label | onehot"),
    "activation": (str, "tanh", "tanh | relu"),
    "branch_scale": (float, None, "residual branch scale (default 1/sqrt(depth))"),
    "optimizer": (str, "gd", "gd | gf | sgd"),
    "steps": (int, 300, "optimizer steps"),
    "checkpoints": (int, 8, "log-spaced checkpoints"),
    "lr": (float, None, "learning rate (default lr_scale / lambda_max(M(0)))"),
    "lr_scale": (float, 0.5, "lr = lr_scale / lambda_max(M(0)) when lr is not given"),
    "gf_bound": (float, 0.1, "gf: lr * lambda_max(t) at each checkpoint"),
    "batch_size": (int, None, "sgd minibatch size"),
    "momentum": (float, 0.0, "heavy-ball momentum"),
    "mdot": (str, "jvp", "jvp (exact) | central (differences); numpy uses the complex step"),
    "block_size": (int, None, "samples per Jacobian block (torch/jax)"),
    "max_memory": (int, 1 << 30, "bytes of Jacobian blocks held at once (torch/jax)"),
    "dtype": (str, "float64", "float64 | float32 (torch/jax evaluation dtype)"),
    "shells": (int, 5, "shells in the scaling window"),
    "min_count": (int, None, "modes for a populated shell (default: the diagnostics' own)"),
    "n_null": (int, 50, "permutation-null draws"),
}

#: plural / CLI spellings accepted for option names
ALIASES = {
    "archs": "arch",
    "depths": "depth",
    "seeds": "seed",
    "n_samples": "samples",
    "n_checkpoints": "checkpoints",
    "n_shells": "shells",
    "optim": "optimizer",
}


def _coerce(name: str, value):
    typ = OPTIONS[name][0]
    if value is None:
        return None
    if typ is int:
        if isinstance(value, bool) or not (
            isinstance(value, (int, np.integer)) or (isinstance(value, float) and value.is_integer())
        ):
            raise InputError(f"option {name!r} must be an integer, got {value!r}")
        return int(value)
    if typ is float:
        if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
            raise InputError(f"option {name!r} must be a number, got {value!r}")
        v = float(value)
        if not math.isfinite(v):
            raise InputError(f"option {name!r} must be finite, got {value!r}")
        return v
    if not isinstance(value, str):
        raise InputError(f"option {name!r} must be a string, got {value!r}")
    return value


def normalize_options(options: dict) -> dict:
    """Fill defaults, resolve aliases, check names, types and choices of one run's options.

    Parameters
    ----------
    options : dict
        Option names (or aliases) of :data:`OPTIONS` and their values.

    Returns
    -------
    dict
        Every option of :data:`OPTIONS`, checked.

    Raises
    ------
    InputError
        Unknown option, wrong type, or a choice outside its list.

    Examples
    --------
    >>> o = normalize_options({"arch": "resnet"})
    >>> o["arch"], o["framework"]
    ('resnet', 'numpy')
    """
    if not isinstance(options, dict):
        raise InputError(f"options must be a dict, got {type(options).__name__}")
    out = {k: v[1] for k, v in OPTIONS.items()}
    for key, value in options.items():
        name = ALIASES.get(key, key)
        if name not in OPTIONS:
            raise InputError(f"unknown probe option {key!r}; valid: {', '.join(sorted(OPTIONS))}")
        out[name] = _coerce(name, value)
    for name, choices in (
        ("framework", FRAMEWORKS),
        ("arch", ARCHS),
        ("optimizer", OPTIMIZERS),
        ("mdot", MDOT_METHODS),
        ("activation", ("tanh", "relu")),
        ("dtype", ("float64", "float32")),
        ("target", ("label", "onehot")),
    ):
        if out[name] not in choices:
            raise InputError(f"option {name!r} must be one of {', '.join(choices)}, got {out[name]!r}")
    parse_data_spec(out["data"])
    for name in ("depth", "width", "samples", "steps", "input_dim"):
        if out[name] < 1:
            raise InputError(f"option {name!r} must be >= 1, got {out[name]}")
    if out["shells"] < 3:
        raise InputError(f"option 'shells' must be >= 3, got {out['shells']}")
    if out["checkpoints"] < 2:
        raise InputError(f"option 'checkpoints' must be >= 2, got {out['checkpoints']}")
    if out["framework"] == "numpy" and out["arch"] in ("cnn", "rescnn"):
        raise InputError(f"arch {out['arch']!r} needs --framework torch or jax (the numpy nets are mlp and resnet)")
    return out


#: condition-4 numbers carried when the diagnostics report them
CONDITION4_KEYS = (
    "delta_K",
    "delta_K_null",
    "p_value",
    "delta_W",
    "delta_W_null",
    "delta_W_offdiag",
    "delta_W_offdiag_null",
    "b_flux",
    "verdict",
)


def conditions(summary: dict) -> dict:
    """The four conditions of docs/theory/conditions.md picked out of a ``diagnose`` summary.

    Parameters
    ----------
    summary : dict
        ``diagnose(...)["summary"]`` (missing keys give ``None``).

    Returns
    -------
    dict
        ``1_gradient_propagation``, ``2_functional_incoherence``, ``3_jacobian_evolution``,
        ``4_log_shift_invariance``.

    Examples
    --------
    >>> conditions({"rho0": 0.1, "verdict": "supported"})["2_functional_incoherence"]
    {'rho0': 0.1}
    """
    g = summary.get
    c4 = {k: g(k) for k in CONDITION4_KEYS if k in summary}
    test = summary.get("condition4")
    if isinstance(test, dict):  # the statistical test of condition 4, when the diagnostics run it
        c4.update({k: test.get(k) for k in ("p_value", "verdict") if k in test})
    return {
        "1_gradient_propagation": {"grad_spread": g("grad_spread"), "grad_log_slope": g("grad_log_slope")},
        "2_functional_incoherence": {"rho0": g("rho0")},
        "3_jacobian_evolution": {
            "kernel_movement_final": g("kernel_movement_final"),
            "adiabatic_ratio_median": g("adiabatic_ratio_median"),
        },
        "4_log_shift_invariance": c4,
    }


#: options passed on to the adapters under their own name (``checkpoints`` is ``n_checkpoints``)
_RUN_KEYS = (
    "optimizer",
    "steps",
    "lr",
    "lr_scale",
    "gf_bound",
    "batch_size",
    "momentum",
    "seed",
    "mdot",
    "block_size",
    "max_memory",
    "dtype",
)


def _adapter_options(o: dict) -> dict:
    """The adapters' keyword options of normalised probe options ``o``."""
    kw = {k: o[k] for k in _RUN_KEYS}
    kw["n_checkpoints"] = o["checkpoints"]
    return kw


def _numpy_trajectory(spec: ArchSpec, o: dict, task):
    net = spec.numpy_network(o["seed"])
    X, y = task.X, task.y
    N, k = y.shape

    def measure(step, t, theta, lr):
        J, M, Md, e = net.kernel_and_velocity(theta, X, y)
        g = (J.reshape(N, k, -1) * e.reshape(N, k, 1)).sum(1)
        return {
            "e": e,
            "M": M,
            "Mdot": Md,
            "loss": 0.5 * float(e @ e),
            "lambda_max": float(np.linalg.eigvalsh(M)[-1]),
            "sum_sq": float((g * g).sum()),
            "grad_sum": g.sum(0),
            "hidden_norms": net.hidden_gradient_norms(theta, X),
        }

    def grad(theta, idx):
        if idx is None:
            return net.loss_and_grad(theta, X, y)[1]
        return net.loss_and_grad(theta, X[idx], y[idx])[1]

    opt = _optimizer_spec(_adapter_options(o)).validate(N)
    records = optimize(net.init_params(), grad, opt, N, measure)
    meta = {"framework": "numpy", "n_params": net.n_params, "mdot_note": "complex step (exact)"}
    return build_trajectory(records, opt, N, "jvp", meta=meta), net.n_params


def run_probe(options: dict, progress: Callable[[str], None] | None = None) -> dict:
    """Train and diagnose one network; return a JSON-ready record.

    Parameters
    ----------
    options : dict
        Probe options (:data:`OPTIONS`; missing ones take their defaults).
    progress : callable, optional
        Receives one line when the run is done.

    Returns
    -------
    dict
        ``options``, ``summary`` (the diagnostics), ``conditions``, ``regime``, ``n_params``,
        ``checkpoints`` (per-checkpoint arrays), ``task``, ``wall_time_s``.

    Raises
    ------
    GRSDError
        Invalid options, missing extra, diverged training, too few populated shells, ...

    Examples
    --------
    >>> r = run_probe({"arch": "resnet", "depth": 1, "width": 8, "samples": 48, "steps": 30,
    ...                "checkpoints": 4, "shells": 3, "n_null": 5, "min_count": 2})
    >>> sorted(r["conditions"])[0], r["regime"]["optimizer"]
    ('1_gradient_propagation', 'gd')

    References
    ----------
    docs/theory/conditions.md (the four sufficient conditions); GRSD-T1, GRSD-T2.
    """
    from grsd_sym.probe.diagnostics import diagnose

    t0 = time.perf_counter()
    o = normalize_options(options)
    task = load_data(
        o["data"], n_samples=o["samples"], input_dim=o["input_dim"], seed=o["task_seed"], target=o["target"]
    )
    shape = image_shape(task) if o["arch"] in ("cnn", "rescnn") else (task.input_dim,)
    spec = ArchSpec(o["arch"], shape, o["width"], o["depth"], task.output_dim, o["activation"], o["branch_scale"])
    kw = _adapter_options(o)
    if o["framework"] == "numpy":
        traj, n_params = _numpy_trajectory(spec, o, task)
    elif o["framework"] == "torch":
        from grsd_sym.probe import torch_adapter as ta

        model = ta.build_torch_model(spec, seed=o["seed"], dtype=o["dtype"])
        traj = ta.from_torch(model, task.X, task.y, **kw)
        n_params = spec.n_params
    else:
        from grsd_sym.probe import jax_adapter as ja

        apply_fn, params, stages = ja.build_jax_model(spec, seed=o["seed"], dtype=o["dtype"])
        traj = ja.from_jax(apply_fn, params, task.X, task.y, stages=stages, **kw)
        n_params = spec.n_params
    dkw = {"n_shells": o["shells"], "n_null": o["n_null"]}
    if o["min_count"] is not None:
        dkw["min_count"] = o["min_count"]
    d = diagnose(traj, **dkw)
    s = jsonable(d["summary"])
    s["loss_ratio"] = (s["loss_final"] / s["loss_initial"]) if s.get("loss_initial") else None
    ck = traj.meta["checkpoints"]
    arrays = d.get("arrays", {})
    rec = {
        "options": o,
        "summary": s,
        "conditions": conditions(s),
        "regime": jsonable(traj.meta["regime"]),
        "n_params": int(n_params),
        "task": jsonable(task.info),
        "arch": spec.describe(),
        "checkpoints": jsonable(
            {
                "t": traj.t,
                "loss": traj.loss,
                "lr": ck["lr"],
                "lambda_max": ck["lambda_max"],
                "lr_lambda_max": ck["lr_lambda_max"],
                "gradient_noise_scale": ck["gradient_noise_scale"],
                "noise_ratio": ck["noise_ratio"],
                "loss_grad_norm": ck["loss_grad_norm"],
                "kernel_movement": arrays.get("kernel_movement"),
            }
        ),
        "Mdot_source": traj.Mdot_source,
        "block_size": traj.meta.get("block_size"),
        "wall_time_s": time.perf_counter() - t0,
    }
    if progress is not None:
        progress(
            f"{o['framework']} {o['arch']} depth={o['depth']} seed={o['seed']}: "
            f"rho0={_fmt(s.get('rho0'))} grad_spread={_fmt(s.get('grad_spread'))} "
            f"dK={_fmt(s.get('delta_K'))} ({rec['regime']['regime']}, "
            f"{rec['wall_time_s']:.1f} s)"
        )
    return rec


def _fmt(x) -> str:
    if x is None:
        return "n/a"
    return f"{x:.3g}"
