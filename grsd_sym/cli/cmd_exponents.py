"""``grsd exponents time|transport|size|compute-optimal --convention NAME [parameters] [--json]``.

Closed-form scaling exponents, exact (rationals or expressions) and as floats, with the
convention stated (:mod:`grsd_sym.derive.exponents`; GRSD-T13, T16, S8a, S8b, S8c).

Conventions and their flags: ``bordelon2024`` (Convention A: ``--a``, ``--b``),
``source-capacity`` (``--alpha``, ``--r``), ``paquette2024`` (``--alpha``, ``--beta``),
``lin2024`` (``--a``), ``grsd`` (``--kappa``, ``--A``, ``--d``).

* ``transport`` takes ``--b --c0 --kappa --d [--sigma]``: **here ``--b`` is the velocity exponent**
  of ``v = sigma c0 t^(b-2) lambda^b``, not Convention A's spectral exponent (so ``transport``
  refuses ``bordelon2024``; other conventions may replace ``--kappa``).
* ``size`` and ``compute-optimal`` in the ``grsd`` convention take ``--b`` as the mode-counting
  exponent (``lambda_k = k^-b``: N modes resolve ``lambda_min = N^-b``).
* ``compute-optimal --form chinchilla --alpha --beta --A --B [--E]``: ``E + A/N^alpha + B/D^beta``
  with ``C = 6 N D``.

Values are exact: ``3/2``, ``0.34`` (read as ``17/50``), ``2``.  Exponents are positive:
``L ~ t^-exponent``, ``L* ~ C^-exponent``, ``N* ~ C^n_exponent``.
"""

from __future__ import annotations

import argparse
import re
import json

HELP = "closed-form scaling exponents (time, transport, size, compute-optimal) in any convention"

_VALUE_FLAGS = {
    "a": "bordelon2024 / lin2024: task-power (Convention A) or spectrum (Lin) exponent",
    "b": "bordelon2024: spectral exponent lambda_k = k^-b; transport: VELOCITY exponent "
         "(v = sigma c0 t^(b-2) lambda^b); grsd size/compute-optimal: mode-counting exponent",
    "alpha": "source-capacity: capacity; paquette2024: covariance j^(-2 alpha); chinchilla: N exponent",
    "r": "source-capacity: source exponent",
    "beta": "paquette2024: target b_j = j^-beta; chinchilla: D exponent",
    "kappa": "grsd: g0 = A lambda^(kappa-1)",
    "A": "grsd: amplitude of g0; chinchilla: coefficient of N^-alpha",
    "d": "grsd: dissipation factor (default 2)",
    "c0": "transport: velocity amplitude",
    "sigma": "transport: sign of the velocity (-1 default, or +1)",
    "B": "chinchilla: coefficient of D^-beta",
    "E": "chinchilla: irreducible loss (default 0)",
}


#: argparse treats ``-1/2`` as an option unless negative fractions are declared numbers
NEGATIVE_NUMBER = re.compile(r"^-\d+$|^-\d*\.\d+$|^-\d+/\d+$|^-\d*\.?\d+[eE][-+]?\d+$")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p._negative_number_matcher = NEGATIVE_NUMBER  # accept --beta -1/2, --sigma -1
    p.add_argument("kind", choices=["time", "transport", "size", "compute-optimal"],
                   help="which exponent: L(t), L(t) with transport, size floor L(N), or L*(C)")
    p.add_argument("--convention", default=None, type=lambda text: text.strip().lower(),
                   help="bordelon2024, source-capacity, paquette2024, lin2024 or grsd "
                        "(transport: default grsd)")
    p.add_argument("--form", choices=["power", "chinchilla"], default="power",
                   help="compute-optimal: the GRSD power form (default) or chinchilla")
    for name, text in _VALUE_FLAGS.items():
        p.add_argument(f"--{name}", dest=f"v_{name}", default=None, metavar="X", help=text)
    p.add_argument("--json", action="store_true", help="one JSON document on stdout")


def _human(d: dict) -> str:
    lines = [f"{d['kind']} exponent in convention {d['convention']}"
             + (f" ({d['convention_definition']})" if d.get("convention_definition") else ""),
             f"  {'law:':<22}{d['law']}",
             f"  {'exponent:':<22}{d['exponent']}  (= {d['exponent_float']:.10g})"]
    if d.get("prefactor") is not None:
        lines.append(f"  {'prefactor:':<22}{d['prefactor']}  (= {d['prefactor_float']:.10g})")
    for key in ("n_exponent", "t_exponent", "d_exponent", "G", "time_exponent", "xi_star",
                "phase_boundary_kappa"):
        if key in d:
            fl = d.get(f"{key}_float")
            lines.append(f"  {key + ':':<22}{d[key]}" + (f"  (= {fl:.10g})" if fl is not None else ""))
    if d.get("grsd"):
        g = d["grsd"]
        lines.append(f"  GRSD continuum: kappa = {g['kappa']}, A = {g['A']}, d = {g['d']}"
                     + (f", modes b = {g['modes_b']}" if g.get("modes_b") else ""))
    if d.get("dynamics_convention"):
        lines.append(f"  dynamics convention: {d['dynamics_convention']}")
    lines.append("  assumptions:")
    lines += [f"    - {a}" for a in d["assumptions"]]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from grsd_sym.derive.exponents import exponents

    params = {name: getattr(args, f"v_{name}") for name in _VALUE_FLAGS}
    res = exponents(args.kind, args.convention, form=args.form, **params)
    out = {"command": f"exponents {args.kind}", "ok": True, "warnings": [], **res.to_dict()}
    if args.json:
        print(json.dumps(out, indent=2, sort_keys=True))
    else:
        print(_human(out))
    return 0
