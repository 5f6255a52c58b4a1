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
from typing import Any

__all__ = ["figure_dir", "FigureSaver"]


def figure_dir(name: str, root: str | os.PathLike | None = None) -> Path:
    """The (created) output folder of notebook ``name``.

    Parameters
    ----------
    name : str
        The notebook's name (one folder per notebook).
    root : str or os.PathLike, optional
        The parent folder; default ``$GRSD_NB_OUT``, else ``notebooks/_out``.

    Returns
    -------
    pathlib.Path
        The folder, created if missing.

    Examples
    --------
    >>> import tempfile
    >>> figure_dir("demo", root=tempfile.mkdtemp()).name
    'demo'
    """
    default = "_out" if Path.cwd().name == "notebooks" else "notebooks/_out"
    out = Path(root or os.environ.get("GRSD_NB_OUT") or default) / name
    out.mkdir(parents=True, exist_ok=True)
    return out


class FigureSaver:
    """``save(fig, stem)`` writes ``<dir>/<stem>.png``, closes the figure and displays the PNG.

    Parameters
    ----------
    name : str
        The notebook's name: figures go to ``figure_dir(name)``.
    dpi : int
        Resolution of the saved PNG files.

    Examples
    --------
    >>> import os, tempfile
    >>> os.environ["GRSD_NB_OUT"] = tempfile.mkdtemp()
    >>> FigureSaver("demo").dir.is_dir()
    True
    >>> del os.environ["GRSD_NB_OUT"]
    """

    def __init__(self, name: str, dpi: int = 110) -> None:
        self.dir = figure_dir(name)
        self.dpi = dpi

    def __call__(self, fig: Any, stem: str) -> Path:
        """Save ``fig`` as ``<dir>/<stem>.png``, close it, show it inline; the file's path."""
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
