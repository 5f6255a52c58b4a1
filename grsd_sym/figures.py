"""Figure output for notebooks and reports: one folder per notebook, PNG saved and shown inline.

The folder is ``$GRSD_NB_OUT/<name>`` when ``GRSD_NB_OUT`` is set (the notebook tests set it to
a temporary folder), else ``notebooks/_out/<name>`` (``_out/<name>`` when run from inside
``notebooks/``).

>>> import tempfile
>>> figure_dir("demo", root=tempfile.mkdtemp()).is_dir()
True
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["figure_dir", "FigureSaver"]


def figure_dir(name: str, root: str | os.PathLike | None = None) -> Path:
    """The (created) output folder of notebook ``name`` (under ``root`` if given)."""
    default = "_out" if Path.cwd().name == "notebooks" else "notebooks/_out"
    out = Path(root or os.environ.get("GRSD_NB_OUT") or default) / name
    out.mkdir(parents=True, exist_ok=True)
    return out


class FigureSaver:
    """``save(fig, stem)`` writes ``<dir>/<stem>.png``, closes the figure and displays the PNG."""

    def __init__(self, name: str, dpi: int = 110) -> None:
        self.dir = figure_dir(name)
        self.dpi = dpi

    def __call__(self, fig, stem: str) -> Path:
        import matplotlib.pyplot as plt

        path = self.dir / f"{stem}.png"
        fig.savefig(path, dpi=self.dpi, bbox_inches="tight")
        plt.close(fig)
        try:
            from IPython.display import Image, display
        except ImportError:  # plain script without IPython: the file is the output
            return path
        display(Image(filename=str(path)))
        return path
