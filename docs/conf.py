"""Sphinx configuration of the grsd_sym documentation site.

Build (as ``.ci/run`` does, warnings are errors)::

    pip install -e '.[test,docs]'
    sphinx-build -W --keep-going -b html docs docs/_build/html

Three parts of the site are generated at build time from the code, so they cannot drift from it
(``docs/_ext/grsd_pages.py``): one page per registered theorem (``docs/theorems/``, from the
registry, with the certificate the proof produces during the build), the tutorials
(``docs/tutorials/``, from ``notebooks/*.py``) and the API reference (``docs/api/``, from the
packages' ``__all__``).  Set ``GRSD_DOCS_RUN_PROOFS=0`` for a quick local build without
certificates (the pages then say so).
"""

from __future__ import annotations

import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS / "_ext"))
sys.path.insert(0, str(DOCS.parent))  # the checkout's grsd_sym, also without an install

project = "grsd_sym"
author = "the grsd_sym authors"
copyright = "the grsd_sym authors"

try:
    from grsd_sym import __version__ as release
except Exception:  # pragma: no cover - the API page will fail loudly anyway
    release = "unknown"
version = release

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "grsd_mathml",
    "grsd_pages",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "_ext", "Thumbs.db", ".DS_Store"]

# MyST: $...$ and $$...$$ math (the notebooks use it), ::: fences, heading anchors for links
myst_enable_extensions = ["dollarmath", "colon_fence", "deflist"]
myst_heading_anchors = 3

# math: MathML rendered at build time (docs/_ext/grsd_mathml.py), no CDN script
html_math_renderer = "mathml"

# numpy-style docstrings (Parameters / Returns / Raises / Examples / References)
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_rtype = False
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": False}
# keep the build robust while modules move: unresolved cross-references are not warnings
nitpicky = False

html_theme = "alabaster"
html_title = f"grsd_sym {release}"
html_static_path: list[str] = []
html_theme_options = {
    "description": "derive, check and measure Generalized Resolution-Shell Dynamics",
    "fixed_sidebar": True,
}

# Attribute names such as ``n`` exist on several public dataclasses (SpectralTrajectory.n,
# ShellAssignment.n); napoleon turns "n" in a type field into an ambiguous reference.  The
# ambiguity is harmless (both targets are documented), so it is not an error.
suppress_warnings = ["ref.python"]
