"""Expected facts, computed from the sample generator's truth model, never from our tools or SQL.

Each fact function takes the ``SampleDistrict`` made by ``ingest.sample.build_district``, the
as-of date and a case's parameters (from ``golden.yaml``), and returns the facts a right answer
states. The definitions follow the domain rules (docs/definitions.md) and the district's default
settings (replacement policy, labour rate); they are written again here, over plain Python
objects, so that a tool that computes them wrongly is caught rather than copied. To add a fact
function, decorate it with ``@fact`` in the module of its domain; its name is the case's ``fn``.
"""

from evals.truth import assets, contracts, people, repairs, spend, tickets
from evals.truth.assets import replacement_date
from evals.truth.common import FACTS, fact
from evals.truth.repairs import is_repair

__all__ = [
    "FACTS",
    "assets",
    "contracts",
    "fact",
    "is_repair",
    "people",
    "repairs",
    "spend",
    "replacement_date",
    "tickets",
]
