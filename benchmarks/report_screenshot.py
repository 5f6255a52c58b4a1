"""Render the HTML report in a real headless browser and save screenshots (MathML check).

Usage (from the repository root; needs Debian's ``chromium`` and ``latex2mathml``)::

    python benchmarks/report_screenshot.py [--out DIR] [ID ...]

Writes ``DIR/report.html`` for the given theorems (default: GRSD-T4 GRSD-T7 GRSD-T14), then two
screenshots taken by ``chromium --headless`` with the network disabled:

* ``report.png``: the report as a reader sees it (formulas laid out by the browser's MathML
  engine: fractions stacked, exponents raised);
* ``report-source.png``: the same page with every ``<math>`` removed (what the report showed
  before: LaTeX source only), for a side-by-side look.

It prints the size of both PNGs and the number of formulas rendered as MathML; a reviewer
looks at the two images.  Exit code 1 if chromium is missing or produces no image.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path


def screenshot(html: Path, png: Path, *, width: int = 1200, height: int = 2400) -> bool:
    exe = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if exe is None:
        print("chromium not found (apt-get install -y chromium)", file=sys.stderr)
        return False
    cmd = [
        exe,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-extensions",
        "--no-first-run",
        "--hide-scrollbars",
        f"--window-size={width},{height}",
        f"--screenshot={png}",
        html.resolve().as_uri(),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    ok = png.exists() and png.stat().st_size > 0
    if not ok:
        print(proc.stderr[-2000:], file=sys.stderr)
    return ok


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("ids", nargs="*", default=["GRSD-T4", "GRSD-T7", "GRSD-T14"])
    ap.add_argument("--out", default="benchmarks/_out/report_screenshot")
    args = ap.parse_args(argv)

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's grsd_sym
    from grsd_sym.registry import resolve, run_theorem
    from grsd_sym.report import write_report

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    certs = [run_theorem(th) for th in resolve(args.ids)]
    page = write_report(certs, out)
    text = page.read_text(encoding="utf-8")
    n_math = text.count("<div class='formula'><math")
    n_all = text.count("<div class='formula'>")
    bare = out / "report-source.html"
    bare.write_text(
        re.sub(r"<math\b.*?</math>", "", text, flags=re.DOTALL).replace("<details>", "<details open>"), encoding="utf-8"
    )
    ok = screenshot(page, out / "report.png") and screenshot(bare, out / "report-source.png")
    print(f"{n_math} of {n_all} formulas as MathML; screenshots: {out / 'report.png'}, {out / 'report-source.png'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
