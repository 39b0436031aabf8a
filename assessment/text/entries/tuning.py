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
    # The tuning notebook: sliders and their table.
    "tuning.tuner.title": {"en": "Weights", "ar": "الأوزان"},
    "tuning.tuner.effective": {
        "en": "Effective weight (the sliders divided by their sum)",
        "ar": "الوزن الفعلي (قيمة شريط التمرير مقسومة على مجموع القيم)",
    },
    "tuning.tuner.sum": {
        "en": "Sum of the sliders: {total}; the weights used are each slider divided by it.",
        "ar": "مجموع قيم أشرطة التمرير: {total}؛ والأوزان المستخدمة هي كل قيمة مقسومة عليه.",
    },
    "tuning.tuner.source": {"en": "Weights from: {method}", "ar": "مصدر الأوزان: {method}"},
    "tuning.undo": {"en": "Undo", "ar": "تراجع"},
    "tuning.redo": {"en": "Redo", "ar": "إعادة"},
    "tuning.reset": {"en": "Back to the rubric's weights", "ar": "العودة إلى أوزان نموذج التقييم"},
    "tuning.save": {"en": "Save variant", "ar": "حفظ النسخة المعدّلة"},
    "tuning.save_to": {"en": "Save to", "ar": "الحفظ في"},
    "tuning.note": {"en": "Note", "ar": "ملاحظة"},
    "tuning.analyst": {"en": "Analyst", "ar": "المحلل"},
    "tuning.accept_inconsistent": {
        "en": "Accept a consistency ratio of 0.10 or more",
        "ar": "قبول نسبة اتساق تبلغ 0.10 أو أكثر",
    },
    "tuning.overwrite": {"en": "Overwrite the file", "ar": "استبدال الملف"},
    "tuning.saved": {
        "en": "Saved {id} {version} to {path}",
        "ar": "حُفظت النسخة {id} {version} في {path}",
    },
    "tuning.need_path": {
        "en": "Give a file name to save the variant to.",
        "ar": "اكتب اسم الملف الذي تُحفظ فيه النسخة المعدّلة.",
    },
    "tuning.error": {"en": "Could not do this: {message}", "ar": "تعذّر التنفيذ: {message}"},
    "tuning.col.index_before": {"en": "Index (rubric)", "ar": "المؤشر (نموذج التقييم)"},
    "tuning.col.index_after": {"en": "Index (these weights)", "ar": "المؤشر (هذه الأوزان)"},
    "tuning.col.delta": {"en": "Change", "ar": "التغيّر"},
    "tuning.col.level_before": {"en": "Level (rubric)", "ar": "المستوى (نموذج التقييم)"},
    "tuning.col.level_after": {"en": "Level (these weights)", "ar": "المستوى (هذه الأوزان)"},
    "tuning.col.rank_before": {"en": "Rank (rubric)", "ar": "الترتيب (نموذج التقييم)"},
    "tuning.col.rank_after": {"en": "Rank (these weights)", "ar": "الترتيب (هذه الأوزان)"},
    "tuning.col.rank_change": {"en": "Places moved", "ar": "المراكز المكتسبة"},
    # The AHP grid.
    "tuning.grid.question": {
        "en": (
            "How much more important is the row than the column? 1-9 or 1/2-1/9 (any number "
            "is kept exactly as typed; the list only suggests Saaty's scale)."
        ),
        "ar": (
            "كم يفوق الصف العمود أهمية؟ من 1 إلى 9 أو من 1/2 إلى 1/9 (يُحفظ أي رقم كما كُتب "
            "تمامًا؛ والقائمة تقترح مقياس ساعاتي فقط)."
        ),
    },
    "tuning.grid.cr": {
        "en": "Consistency ratio {cr} (λmax {lam}, CI {ci}; flagged at 0.10 or more)",
        "ar": "نسبة الاتساق {cr} (λmax {lam}، CI {ci}؛ يُنبَّه إليها عند 0.10 أو أكثر)",
    },
    "tuning.grid.worst": {
        "en": "Most inconsistent: {row} vs {column} (judged {judged}; the weights imply {implied})",
        "ar": (
            "الحكم الأقل اتساقًا: {row} مقابل {column} (الحكم {judged}؛ والأوزان تقتضي {implied})"
        ),
    },
    "tuning.grid.use": {"en": "Use these weights", "ar": "استخدام هذه الأوزان"},
    "tuning.grid.from_tuner": {
        "en": "Start from the current weights",
        "ar": "البدء من الأوزان الحالية",
    },
    "tuning.grid.file": {"en": "Judgements file", "ar": "ملف الأحكام"},
    "tuning.grid.export": {"en": "Save judgements", "ar": "حفظ الأحكام"},
    "tuning.grid.import": {"en": "Load judgements", "ar": "تحميل الأحكام"},
    "tuning.grid.saved": {"en": "Judgements saved to {path}", "ar": "حُفظت الأحكام في {path}"},
    "tuning.grid.loaded": {"en": "Judgements loaded from {path}", "ar": "حُمّلت الأحكام من {path}"},
    "tuning.grid.bad_cell": {
        "en": "{row} vs {column}: expected a number or a fraction such as 1/3; found {found}",
        "ar": "{row} مقابل {column}: المتوقع رقم أو كسر مثل 1/3؛ والموجود {found}",
    },
    "tuning.grid.experts": {
        "en": "Every expert's weights and consistency ratio (CR at 0.10 or more is flagged)",
        "ar": "أوزان كل خبير ونسبة اتساقه (يُنبَّه إلى نسبة 0.10 أو أكثر)",
    },
    "tuning.grid.flagged": {
        "en": "Inconsistent: {names} (CR 0.10 or more)",
        "ar": "أحكام غير متسقة: {names} (نسبة اتساق 0.10 أو أكثر)",
    },
    # The sensitivity panel.
    "tuning.panel.run": {
        "en": "Re-run with the current weights",
        "ar": "إعادة التحليل بالأوزان الحالية",
    },
    "tuning.panel.centred": {
        "en": "Centred on these weights: {weights}",
        "ar": "التحليل متمركز حول هذه الأوزان: {weights}",
    },
    "tuning.panel.stale": {
        "en": (
            "Out of date: the weights have changed since this analysis ran. Press "
            "“Re-run with the current weights”."
        ),
        "ar": (
            "لم تعد النتائج محدّثة: تغيّرت الأوزان منذ إجراء هذا "
            "التحليل. اضغط «إعادة التحليل بالأوزان الحالية»."
        ),
    },
    "tuning.panel.draws": {
        "en": (
            "{draws} weight draws around these weights (Dirichlet, "
            "concentration {kappa}, seed {seed})."
        ),
        "ar": (
            "عدد سحوبات الأوزان حول هذه الأوزان: {draws} (توزيع "
            "ديريشليه، التركيز {kappa}، البذرة {seed})."
        ),
    },
    "tuning.panel.zero": {
        "en": (
            "Weighted 0, so left out of the draws and held at 0 in every one: {names}. They "
            "no longer move the index, the ranks or the priorities (the staged level's rule "
            "that every dimension be at least the level below still counts them)."
        ),
        "ar": (
            "وزنها 0، فاستُبعدت من السحوبات وبقيت 0 في كل سحب: {names}. لم تعد تؤثر في "
            "المؤشر ولا في الترتيب ولا في الأولويات (لكن قاعدة المستوى المرحلي التي تشترط ألا "
            "يقل أي بُعد عن المستوى السابق ما زالت تشملها)."
        ),
    },
    "tuning.panel.tau": {
        "en": "Rank stability: Kendall's tau {tau} on average; {share} of draws at 0.9 or more.",
        "ar": (
            "ثبات الترتيب: معامل كندال تاو {tau} في المتوسط؛ و{share} من السحوبات عند 0.9 أو أكثر."
        ),
    },
    "tuning.panel.levels": {
        "en": "The level stays the same in {share} of draws on average.",
        "ar": "يبقى المستوى كما هو في {share} من السحوبات في المتوسط.",
    },
    "tuning.panel.influence": {
        "en": (
            "Influence of each weight (moved by ±{pct} %, the others rescaled): mean absolute "
            "change of the index over clients. Signed means cancel out and are shown only "
            "for reference."
        ),
        "ar": (
            "أثر كل وزن (بتحريكه ±{pct}٪ مع إعادة قياس الأوزان الأخرى): متوسط التغيّر المطلق في "
            "المؤشر عبر العملاء. المتوسطات بإشاراتها يلغي بعضها بعضًا وتُعرض للمرجع فقط."
        ),
    },
    "tuning.panel.reversals": {
        "en": "Rank reversals when one weight moves ±{pct} %: {n}",
        "ar": "انقلابات الترتيب عند تحريك وزن واحد ±{pct}٪: {n}",
    },
    "tuning.panel.reversal": {
        "en": "{dimension} {direction}: {up} passes {down}",
        "ar": "{dimension} {direction}: {up} يتقدّم على {down}",
    },
    "tuning.panel.down": {"en": "lowered", "ar": "بعد خفضه"},
    "tuning.panel.up": {"en": "raised", "ar": "بعد رفعه"},
    "tuning.panel.export": {"en": "Export tables", "ar": "تصدير الجداول"},
    "tuning.panel.export_to": {"en": "Export to", "ar": "التصدير إلى"},
    "tuning.panel.exported": {"en": "Wrote {files}", "ar": "كُتبت الملفات: {files}"},
    "tuning.panel.break_even": {"en": "Break-even", "ar": "نقطة التحوّل"},
    "tuning.panel.be_level": {
        "en": (
            "{client} moves from level {a} to {b} when the weight of "
            "{dimension} reaches {at} (now {now})."
        ),
        "ar": "ينتقل {client} من المستوى {a} إلى {b} حين يبلغ وزن {dimension} {at} (الآن {now}).",
    },
    "tuning.panel.be_no_level": {
        "en": "No weight of {dimension} between 0 and 1 changes the level of {client}.",
        "ar": "لا يغيّر أي وزن لـ{dimension} بين 0 و1 مستوى {client}.",
    },
    "tuning.panel.be_passes": {
        "en": "{client} passes {other} when the weight of {dimension} reaches {at}.",
        "ar": "يتقدّم {client} على {other} حين يبلغ وزن {dimension} {at}.",
    },
    "tuning.panel.be_passed": {
        "en": "{other} passes {client} when the weight of {dimension} reaches {at}.",
        "ar": "يتقدّم {other} على {client} حين يبلغ وزن {dimension} {at}.",
    },
    "tuning.col.mean_abs": {"en": "Mean |change|", "ar": "متوسط |التغيّر|"},
    "tuning.col.max_abs": {"en": "Largest |change|", "ar": "أكبر |تغيّر|"},
    "tuning.col.most_affected": {"en": "Most affected", "ar": "الأكثر تأثرًا"},
    "tuning.col.signed": {
        "en": "Signed mean, lowered / raised",
        "ar": "المتوسط بإشارته، بعد الخفض / بعد الرفع",
    },
    "tuning.col.level_changes": {"en": "Clients changing level", "ar": "عملاء يتغيّر مستواهم"},
    "tuning.col.range": {"en": "Index, 90 % range", "ar": "المؤشر، نطاق 90٪"},
    "tuning.col.p_change": {"en": "P(level change)", "ar": "احتمال تغيّر المستوى"},
    "tuning.col.rank_range": {"en": "Rank range", "ar": "نطاق الترتيب"},
}
