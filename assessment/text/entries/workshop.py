"""Labels of the workshop's facilitator and participant apps."""

from __future__ import annotations

ENTRIES: dict[str, dict[str, str]] = {
    "workshop.workshop": {"en": "Workshop", "ar": "ورشة العمل"},
    "workshop.new_workshop": {"en": "New workshop today", "ar": "ورشة جديدة اليوم"},
    "workshop.refresh": {"en": "Refresh", "ar": "تحديث"},
    "workshop.agenda": {"en": "Agenda", "ar": "جدول النقاش"},
    "workshop.agenda_intro": {
        "en": (
            "Disagreement hotspots first (agreement below {threshold}, or answers two levels or "
            "more apart): they are the discussion agenda."
        ),
        "ar": (
            "نقاط الخلاف أولاً (درجة الاتفاق أقل من {threshold} أو تباين مستويين أو أكثر): "
            "فهي جدول أعمال النقاش."
        ),
    },
    "workshop.votes": {"en": "votes", "ar": "أصوات"},
    "workshop.participants": {"en": "participants", "ar": "مشاركون"},
    "workshop.no_votes": {"en": "No votes yet.", "ar": "لا توجد أصوات بعد."},
    "workshop.distribution": {"en": "Votes per level", "ar": "الأصوات لكل مستوى"},
    "workshop.median": {"en": "Median", "ar": "الوسيط"},
    "workshop.iqr": {"en": "IQR", "ar": "المدى الربيعي"},
    "workshop.range": {"en": "Range", "ar": "المدى"},
    "workshop.hotspot": {"en": "Hotspot", "ar": "نقطة خلاف"},
    "workshop.agreed": {"en": "Agreed answer", "ar": "الإجابة المتفق عليها"},
    "workshop.notes": {"en": "Notes", "ar": "ملاحظات"},
    "workshop.evidence_hint": {"en": "Evidence", "ar": "الأدلة"},
    "workshop.targets": {"en": "Targets", "ar": "المستهدفات"},
    "workshop.agreed_target": {"en": "Agreed target", "ar": "المستهدف المتفق عليه"},
    "workshop.votes_median": {"en": "Votes (median)", "ar": "الأصوات (الوسيط)"},
    "workshop.finalise": {"en": "Finalise", "ar": "اعتماد النتائج"},
    "workshop.reopen": {"en": "Reopen", "ar": "إعادة الفتح"},
    # The workshop picker sits beside the client picker, which names the client: an option is
    # the workshop's date, title and number, and whether it is finalised.
    "workshop.picker_option": {
        "en": "{date}{title} (#{number})",
        "ar": "{date}{title} (رقم {number})",
    },
    "workshop.picker_final": {"en": "{option}, finalised", "ar": "{option}، معتمدة"},
    "workshop.render": {"en": "Render the report", "ar": "إنشاء التقرير"},
    "workshop.finalised": {
        "en": "Finalised: the agreed answers and targets are saved.",
        "ar": "تم الاعتماد: حُفظت الإجابات والمستهدفات المتفق عليها.",
    },
    "workshop.reopened": {
        "en": "Reopened: votes and changes are allowed again.",
        "ar": "أُعيد الفتح: يمكن التصويت والتعديل مجدداً.",
    },
    "workshop.rendering": {
        "en": "Rendering the report; this takes a few seconds...",
        "ar": "جارٍ إنشاء التقرير؛ يستغرق ذلك بضع ثوانٍ...",
    },
    "workshop.step.inputs": {
        "en": "Writing the agreed answers ({seconds} s)",
        "ar": "كتابة الإجابات المتفق عليها ({seconds} ث)",
    },
    "workshop.step.checking": {
        "en": "Checking the inputs ({seconds} s)",
        "ar": "التحقق من المدخلات ({seconds} ث)",
    },
    "workshop.step.rendering": {
        "en": "Running the report notebook ({seconds} s)",
        "ar": "تشغيل دفتر التقرير ({seconds} ث)",
    },
    "workshop.step.done": {"en": "Done ({seconds} s)", "ar": "اكتمل ({seconds} ث)"},
    "workshop.already_rendering": {
        "en": "The report is being rendered; it will be offered here when it is ready.",
        "ar": "يجري إنشاء التقرير؛ سيُعرض هنا عندما يكتمل.",
    },
    "workshop.report_written": {"en": "Report written to {path}", "ar": "كُتب التقرير في {path}"},
    "workshop.download": {"en": "Download the report", "ar": "تنزيل التقرير"},
    "workshop.saved": {"en": "Saved", "ar": "تم الحفظ"},
    "workshop.na": {"en": "Not applicable", "ar": "لا ينطبق"},
    "workshop.yes": {"en": "Yes", "ar": "نعم"},
    "workshop.no": {"en": "No", "ar": "لا"},
    "workshop.value_placeholder": {"en": "a number", "ar": "رقم"},
    "workshop.save": {"en": "Save", "ar": "حفظ"},
    "workshop.your_name": {"en": "Your name", "ar": "الاسم"},
    "workshop.your_role": {"en": "Your role", "ar": "المنصب"},
    "workshop.start": {"en": "Start", "ar": "ابدأ"},
    "workshop.previous": {"en": "Previous", "ar": "السابق"},
    "workshop.next": {"en": "Next", "ar": "التالي"},
    "workshop.answered": {"en": "{done} of {total} answered", "ar": "أُجيب عن {done} من {total}"},
    "workshop.position": {"en": "Indicator {k} of {total}", "ar": "المؤشر {k} من {total}"},
    "workshop.all_done": {
        "en": "Thank you: every indicator has your answer. You can still change any of them.",
        "ar": "شكراً: أجبت عن جميع المؤشرات. ما زال بإمكانك تعديل أي إجابة.",
    },
    "workshop.welcome": {
        "en": "Score each indicator for your organisation, one at a time.",
        "ar": "قيّم كل مؤشر لمؤسستك، مؤشراً تلو الآخر.",
    },
    "workshop.your_vote": {"en": "Your answer: {value}", "ar": "إجابتك: {value}"},
    "workshop.closed": {
        "en": "This workshop is finalised; votes are closed.",
        "ar": "تم اعتماد هذه الورشة؛ التصويت مغلق.",
    },
    "workshop.nothing_to_finalise": {
        "en": "Nothing to finalise yet: no question has votes or an agreed answer.",
        "ar": "لا شيء لاعتماده بعد: لا يوجد سؤال عليه أصوات أو إجابة متفق عليها.",
    },
    "workshop.failed": {"en": "This did not work: {reason}", "ar": "تعذّر ذلك: {reason}"},
}
