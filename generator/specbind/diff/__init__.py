"""``specbind diff``: what changed between two versions of a spec, for whom, and how badly.

:mod:`.sides` loads each side through the normal pipeline, :mod:`.compare` and
:mod:`.operations` turn two IRs into findings by the rules of :mod:`.rules`,
:mod:`.evidence` proves breaking wire changes by running both sides' generated
converters, and :mod:`.report` writes the formats.
"""

from __future__ import annotations

from .compare import Comparer
from .evidence import prove
from .report import Comparison, Report
from .sides import Loaded


def compare(old: Loaded, new: Loaded) -> Comparison:
    findings = Comparer(old.version, new.version).run()
    changes = prove(findings, old.project, new.project)
    return Comparison(old.label, new.label, tuple(changes))


__all__ = ["Comparison", "Report", "compare"]
