"""Run the grsd_sym benchmarks: ``python benchmarks/run.py [--quick] [--json] [--only NAME ...]``.

A thin wrapper around the registry :mod:`grsd_sym.bench` (the same as ``grsd bench``).
"""

import sys

from grsd_sym.cli import main

if __name__ == "__main__":
    sys.exit(main(["bench", *sys.argv[1:]]))
