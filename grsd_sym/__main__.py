"""``python -m grsd_sym`` is the ``grsd`` command."""

import sys

from grsd_sym.cli import main

sys.exit(main())
