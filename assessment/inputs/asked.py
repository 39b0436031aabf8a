"""Who was asked what: warnings for indicators that no respondent of an assessment was asked.

With a rubric that declares roles, each indicator is asked of some roles.  When no respondent
of an assessment holds one of them (and none holds a role outside the rubric's, who is asked
everything), the indicator cannot be scored: that is a gap in who was invited, which the
consultant should see before the report does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    from assessment.rubric import Rubric

__all__ = ["not_asked_warnings"]

#: Indicators named per assessment in one warning before "and N more".
SHOWN = 5


def not_asked_warnings(answers: pd.DataFrame, rubric: Rubric) -> list[str]:
    """One warning per assessment that left indicators unasked, naming the first few.

    Examples
    --------
    ``c01 on 2025-03-01: nobody was asked crisis_plan (asked of comms, social_lead),
    care_coverage (asked of care_lead) and 2 more; invite someone in those roles``
    """
    if not rubric.roles or answers.empty:
        return []
    asked_of = {i.id: set(i.asked_of) for _, i in rubric.iter_indicators() if i.asked_of}
    warnings = []
    for (client, date), group in answers.groupby(["client_id", "date"], observed=True, sort=True):
        roles = set(group["role_id"].astype(str))
        if "" in roles:  # someone outside the rubric's roles is asked everything
            continue
        missing = [(i, sorted(r)) for i, r in asked_of.items() if not r & roles]
        if not missing:
            continue
        named = ", ".join(f"{i} (asked of {', '.join(r)})" for i, r in missing[:SHOWN])
        more = f" and {len(missing) - SHOWN} more" if len(missing) > SHOWN else ""
        warnings.append(
            f"{client} on {date}: nobody was asked {named}{more}; invite someone in those roles "
            "or they stay unscored"
        )
    return warnings
