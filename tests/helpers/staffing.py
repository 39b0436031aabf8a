"""What the Erlang and staffing tests share: Hypothesis budgets and value ranges.

Imported as ``from helpers.staffing import FAST`` (plain helpers live in the ``helpers``
package, fixtures in ``conftest.py``).
"""

from __future__ import annotations

from hypothesis import settings
from hypothesis import strategies as st

# Hypothesis budgets are small on purpose: each test file must run in well under 5 seconds.
FAST = settings(max_examples=60, deadline=None)

aht_values = st.floats(min_value=0.5, max_value=60.0)
ratio_values = st.floats(min_value=0.0, max_value=5.0)  # answer_within / aht
target_values = st.floats(min_value=0.05, max_value=0.99)
