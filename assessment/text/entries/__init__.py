"""The label table's entries, one module per surface that reads them.

Each module holds ``ENTRIES = {key: {"en": ..., "ar": ...}}`` for one surface (the report, the
charts, the workshop ...); :mod:`assessment.text.labels` merges them into the one table and
refuses a key defined twice, so a word keeps one translation on every screen.  A new surface
adds a module here and names it in :data:`SURFACES`.

May import: nothing (plain data).
"""

from __future__ import annotations

#: The modules merged into the label table, in this order.
SURFACES = ("report", "charts", "workshop", "questionnaire", "room", "tuning")
