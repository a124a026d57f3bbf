"""``python -m evals``: the golden eval (``python -m evals.retrieval`` is the search eval)."""

import sys

from evals.run import main

sys.exit(main())
