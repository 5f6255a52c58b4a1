"""Markdown tables of the saved probe experiment (for the README), from benchmarks/results/.

python benchmarks/probe_tables.py
"""

import json
import sys
from pathlib import Path

RES = Path(__file__).resolve().parent / "results"


def fmt(x, d=3):
    return "n/a" if x is None else f"{x:.{d}f}"


def control_cells(pc):
    """Power and false-positive rate of the group's positive control, with the trial count."""
    if pc is None:
        return "n/a | n/a"
    n = pc["n_trials"]
    return f"{pc['power']:.2f} ({n}) | {pc['false_positive_rate']:.2f} ({n})"


def main() -> int:
    docs = {
        t: json.loads((RES / f"probe_{t}.json").read_text())
        for t in ("teacher", "digits")
        if (RES / f"probe_{t}.json").is_file()
    }
    pc_file = RES / "positive_controls.json"
    controls = json.loads(pc_file.read_text()) if pc_file.is_file() else {}
    print(
        "| task | arch | depth | seeds | verdict | p (structure) | p (invariance) | split-half r "
        "| delta_C | delta_K | delta_K rescaled (q) | delta_W off-diag | b_flux | max lr*lambda_max "
        "| control power | control FPR |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for task, doc in docs.items():
        for depth in sorted({int(d) for a in doc["results"][task].values() for d in a}):
            for arch in ("mlp", "resnet"):
                agg = doc["results"][task].get(arch, {}).get(str(depth))
                if agg is None:
                    continue
                c4, m, s = agg["condition4"], agg.get("mean", {}), agg.get("std", {})
                print(
                    f"| {task} | {arch} | {depth} | {agg.get('n_ok')} | {c4['verdict']} | "
                    f"{fmt(c4.get('p_value'))} | {fmt(c4.get('p_invariance'))} | "
                    f"{fmt(c4['split_half'].get('r'))} | {fmt(m.get('delta_C'), 2)} +- "
                    f"{fmt(s.get('delta_C'), 2)} | {fmt(m.get('delta_K'), 2)} +- "
                    f"{fmt(s.get('delta_K'), 2)} | {fmt(m.get('delta_K_rescaled'), 2)} "
                    f"({fmt(m.get('K_scaling_q'), 2)}) | {fmt(m.get('delta_W_offdiag'), 2)} | "
                    f"{fmt(m.get('b_flux'), 2)} | {fmt(m.get('lr_lambda_max_max'), 2)} | "
                    f"{control_cells(controls.get(f'{task}/{arch}/{depth}'))} |"
                )
    print()
    print(
        "| task | depth | delta_K | delta_C | delta_W off-diag | grad spread (max over t) | rho0 "
        "| kernel movement | loss ratio |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for task, doc in docs.items():
        for depth, dd in sorted(doc.get("differences", {}).get(task, {}).items(), key=lambda kv: int(kv[0])):
            cells = []
            for k in (
                "delta_K",
                "delta_C",
                "delta_W_offdiag",
                "grad_spread_max",
                "rho0",
                "kernel_movement_final",
                "loss_ratio",
            ):
                r = dd[k]
                cells.append("n/a" if r["diff"] is None else f"{r['diff']:.3g} [{r['ci'][0]:.3g}, {r['ci'][1]:.3g}]")
            print(f"| {task} | {depth} | " + " | ".join(cells) + " |")
    print()
    print("| group (task/arch/depth) | shell counts at t = 0 | trials | power | false-positive rate |")
    print("|---|---|---|---|---|")
    for key, pc in controls.items():
        print(f"| {key} | {pc['counts']} | {pc['n_trials']} | {pc['power']:.2f} | {pc['false_positive_rate']:.2f} |")
    print()
    for task, doc in docs.items():
        print(
            f"{task}: status {doc.get('status')}, wall {doc.get('wall_time_s', 0):.0f} s, "
            f"failed runs {len(doc.get('failed_runs', []))}"
        )
        for arch, byd in doc["results"][task].items():
            for depth, agg in byd.items():
                print(f"  {arch} {depth}: {agg['condition4'].get('reason', '')[:150]}")
                print(
                    f"     window: {str((agg.get('window') or {}).get('rule', ''))[:90]} "
                    f"counts {(agg.get('window') or {}).get('counts_t0')}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
