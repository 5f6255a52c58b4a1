"""Close a stopped sweep: residual-minus-plain differences of every finished depth, and a note.

    python benchmarks/probe_finalize.py benchmarks/results/probe_teacher.json "NOTE" [MORE.json ...]

A sweep writes its document after every (depth, architecture) group; the differences of a depth
are written with the next group, so a sweep stopped after the last group of a depth lacks them.
This recomputes them with the experiment's own function (same data, same seeded bootstrap) for
every depth with both architectures, and records why the sweep stopped.  Documents of the same
configuration run for other depths (``MORE.json``, e.g. a second process) are merged in first.
"""

import json
import sys
from pathlib import Path

from grsd_sym.probe.experiment import _differences, _write

if __name__ == "__main__":
    path = Path(sys.argv[1])
    doc = json.loads(path.read_text())
    for extra in sys.argv[3:]:
        more = json.loads(Path(extra).read_text())
        keep = ("depths", "tasks", "seeds")
        a = {k: v for k, v in doc["config"].items() if k not in keep}
        b = {k: v for k, v in more["config"].items() if k not in keep}
        if a != b:
            raise SystemExit(f"{extra}: a different configuration, not merged")
        for task, res in more["results"].items():
            for arch, byd in res.items():
                doc["results"][task].setdefault(arch, {}).update(byd)
        doc.setdefault("merged_from", []).append({"file": Path(extra).name, "wall_time_s": more.get("wall_time_s")})
    for task, res in doc["results"].items():
        if "mlp" in res and "resnet" in res:
            for depth in sorted(set(res["mlp"]) & set(res["resnet"]), key=int):
                doc.setdefault("differences", {}).setdefault(task, {})[depth] = _differences(
                    res["mlp"][depth], res["resnet"][depth]
                )
    done = sorted({int(d) for r in doc["results"].values() for a in r.values() for d in a})
    doc["stopped"] = sys.argv[2] if len(sys.argv) > 2 else ""
    doc["depths_finished"] = done
    failed = [
        s for r in doc["results"].values() for a in r.values() for g in a.values() for s in g["seeds"] if "error" in s
    ]
    doc["status"] = "failed" if failed else "ok"
    _write(doc, path)
    print(path, "depths", done, "status", doc["status"])
