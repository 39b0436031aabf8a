"""Labels of weight tuning: a variant's weights note, the tuning notebook, ``maturity weights``."""

from __future__ import annotations

ENTRIES: dict[str, dict[str, str]] = {
    # Weighting methods, as the weights note and the notebook name them.
    "tuning.method.ahp": {
        "en": "the Analytic Hierarchy Process (AHP)",
        "ar": "عملية التحليل الهرمي (AHP)",
    },
    "tuning.method.ahp-hierarchy": {
        "en": "a hierarchy of AHP comparisons",
        "ar": "تسلسل هرمي من مقارنات عملية التحليل الهرمي",
    },
    "tuning.method.bwm": {"en": "the Best-Worst Method", "ar": "طريقة الأفضل والأسوأ"},
    "tuning.method.direct": {"en": "direct rating", "ar": "التقدير المباشر"},
    "tuning.method.points": {"en": "a 100-point allocation", "ar": "توزيع 100 نقطة"},
    "tuning.method.swing": {"en": "swing weighting", "ar": "ترجيح التأرجح"},
    "tuning.method.roc": {
        "en": "rank-order centroid weights from a ranking",
        "ar": "أوزان مركز الترتيب المستخلصة من ترتيب",
    },
    "tuning.method.manual": {"en": "manual adjustment", "ar": "التعديل اليدوي"},
    # The weights note a saved variant carries instead of its parent's.
    "tuning.note.made": {
        "en": "These weights were set by {method} on {date}, starting from the rubric {parent}.",
        "ar": (
            "حُدِّدت هذه الأوزان باستخدام {method} بتاريخ {date}، انطلاقًا من نموذج التقييم {parent}."
        ),
    },
    "tuning.note.experts": {
        "en": "Judgements of {n:expert}; the highest consistency ratio is {cr}.",
        "ar": "شارك في الأحكام {n:expert}، وأعلى نسبة اتساق بينها {cr}.",
    },
    "tuning.note.cr": {"en": "Consistency ratio {cr}.", "ar": "نسبة الاتساق {cr}."},
    "tuning.note.inconsistent": {
        "en": "A consistency ratio of 0.10 or more was accepted explicitly.",
        "ar": "قُبلت صراحةً نسبة اتساق تبلغ 0.10 أو أكثر.",
    },
    "tuning.note.analyst": {"en": "Analyst: {analyst}.", "ar": "المحلل: {analyst}."},
    "tuning.note.note": {"en": "Note: {note}", "ar": "ملاحظة: {note}"},
}
