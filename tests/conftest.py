from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "generated"
REFERENCE = Path(__file__).resolve().parent / "reference"

# The committed package, imported the way a downstream project vendors it.
sys.path.insert(0, str(GENERATED))
