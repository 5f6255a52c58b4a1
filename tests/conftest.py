"""Shared test configuration: Hypothesis profiles.

* ``ci`` (default): bounded examples, no deadline (SymPy timings vary), no example database
  (CI starts from a clean clone), derandomized so a CI failure reproduces.
* ``dev``: more examples, with the database; select with ``HYPOTHESIS_PROFILE=dev``.
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=25,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
