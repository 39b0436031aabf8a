"""Labels of the client report: summary, sections, methodology, portfolio page."""

from __future__ import annotations

ENTRIES: dict[str, dict[str, str]] = {
    "report_title": {
        "en": "Social-media maturity assessment",
        "ar": "تقييم نضج إدارة وسائل التواصل الاجتماعي",
    },
    "prepared_for": {"en": "Prepared for", "ar": "أُعدّ لصالح"},
    "assessment_date": {"en": "Assessment date", "ar": "تاريخ التقييم"},
    "sector": {"en": "Sector", "ar": "القطاع"},
    "size_band": {"en": "Size", "ar": "الحجم"},
    "region": {"en": "Region", "ar": "المنطقة"},
    "respondents": {"en": "Respondents", "ar": "المشاركون"},
    "executive_summary": {"en": "Executive summary", "ar": "الملخص التنفيذي"},
    "maturity_index": {"en": "Maturity index", "ar": "مؤشر النضج"},
    "of_100": {"en": "out of 100", "ar": "من 100"},
    "staged_level": {"en": "Maturity level", "ar": "مستوى النضج"},
    "count_2007": {"en": "Dimensions still at 2007 level", "ar": "أبعاد ما زالت عند مستوى 2007"},
    "count_2007_sentence": {
        "en": "{count} of {total:dimension} are still resourced like 2007.",
        "ar": "{count} من أصل {total:dimension} ما زالت تُدار بموارد عام 2007.",
    },
    "count_2007_none": {
        "en": "No dimension is still resourced like 2007.",
        "ar": "لم يعد أي بُعد يُدار بموارد عام 2007.",
    },
    "weakest_link": {"en": "Weakest link", "ar": "الحلقة الأضعف"},
    "coverage": {"en": "Answer coverage", "ar": "نسبة الإجابات"},
    "top_priorities": {"en": "Top priorities", "ar": "أهم الأولويات"},
    "priority_sentence": {
        "en": "{dimension}: raise from {score} to {target}. {step}",
        "ar": "{dimension}: الارتقاء من {score} إلى {target}. {step}",
    },
    "no_priorities": {
        "en": "Every dimension meets its target.",
        "ar": "جميع الأبعاد تحقق مستوياتها المستهدفة.",
    },
    "radar": {"en": "Profile against targets", "ar": "الملف مقارنةً بالمستهدف"},
    "current": {"en": "Current", "ar": "الوضع الحالي"},
    "target": {"en": "Target", "ar": "المستهدف"},
    "peer_median": {"en": "Peer median", "ar": "وسيط النظراء"},
    "priorities": {"en": "Priorities", "ar": "الأولويات"},
    "dimension": {"en": "Dimension", "ar": "البُعد"},
    "dimensions": {"en": "Dimensions", "ar": "الأبعاد"},
    "score": {"en": "Score", "ar": "الدرجة"},
    "level": {"en": "Level", "ar": "المستوى"},
    "gap": {"en": "Gap", "ar": "الفجوة"},
    "priority": {"en": "Priority", "ar": "الأولوية"},
    "weight": {"en": "Weight", "ar": "الوزن"},
    "gated_by": {"en": "Capped by gate", "ar": "مقيّد بشرط أساسي"},
    "confidence": {"en": "90% interval", "ar": "فترة الثقة 90%"},
    "indicator": {"en": "Indicator", "ar": "المؤشر"},
    "answer": {"en": "Answer", "ar": "الإجابة"},
    "what_it_means": {"en": "What we observed", "ar": "ما لاحظناه"},
    "next_step": {"en": "Next step", "ar": "الخطوة التالية"},
    "evidence": {"en": "Evidence and comments", "ar": "الأدلة والملاحظات"},
    "agreement": {"en": "Respondent agreement", "ar": "مدى اتفاق المشاركين"},
    "agreement_intro": {
        "en": (
            "Where respondents disagree, the score hides a debate worth having. Indicators with "
            "r_wg below {threshold} or a spread of two levels or more are flagged."
        ),
        "ar": (
            "حيث يختلف المشاركون تُخفي الدرجة نقاشاً يستحق أن يُدار. نُبرز المؤشرات التي يقل فيها "
            "معامل الاتفاق r_wg عن {threshold} أو يبلغ التباين فيها مستويين أو أكثر."
        ),
    },
    "hotspots": {"en": "Disagreement hotspots", "ar": "نقاط الخلاف"},
    "agreement_large": {
        "en": (
            "This rubric has {total} indicators: the chart shows only the {shown} hotspots with "
            "the least agreement, and the table below lists them."
        ),
        "ar": (
            "تضم هذه الأداة {total} مؤشراً: يعرض الرسم نقاط الخلاف الأقل اتفاقاً فقط، وعددها "
            "{shown}، ويسردها الجدول أدناه."
        ),
    },
    "hotspots_more": {
        "en": "The {shown} hotspots with the least agreement are listed; {more} more are not.",
        "ar": "نسرد نقاط الخلاف الأقل اتفاقاً وعددها {shown}، ولم نسرد {more} غيرها.",
    },
    "no_hotspots": {
        "en": "Respondents broadly agree on every indicator.",
        "ar": "يتفق المشاركون عموماً على جميع المؤشرات.",
    },
    "spread": {"en": "Spread (IQR)", "ar": "التباين (المدى الربيعي)"},
    "benchmark": {"en": "Peer benchmark", "ar": "المقارنة مع النظراء"},
    "percentile": {"en": "Percentile", "ar": "المئين"},
    "peer_group": {"en": "Peer group", "ar": "مجموعة النظراء"},
    "n_peers": {"en": "Peers", "ar": "عدد النظراء"},
    "benchmark_suppressed": {
        "en": "No percentile is shown: fewer than {floor} comparable peers (anonymity floor).",
        "ar": "لا يُعرض المئين: عدد النظراء المماثلين أقل من {floor} (حدّ إخفاء الهوية).",
    },
    "no_peers": {
        "en": "No peer population was supplied for this report.",
        "ar": "لم تُرفق بيانات نظراء بهذا التقرير.",
    },
    "trend": {"en": "Progress since the last assessment", "ar": "التقدم منذ التقييم السابق"},
    "no_trend": {
        "en": "This is the first assessment; progress will show from the next one.",
        "ar": "هذا هو التقييم الأول؛ سيظهر التقدم ابتداءً من التقييم القادم.",
    },
    "change": {"en": "Change", "ar": "التغيّر"},
    "resourcing": {"en": "Resourcing", "ar": "الموارد البشرية"},
    "resourcing_missing": {
        "en": "Not computed: the clients table gives no inbound message volume for this client.",
        "ar": "لم يُحسب: لا يتضمن جدول العملاء حجم الرسائل الواردة لهذا العميل.",
    },
    "methodology": {"en": "Methodology and provenance", "ar": "المنهجية والمصادر"},
    "rubric": {"en": "Rubric", "ar": "نموذج التقييم"},
    "version": {"en": "Version", "ar": "الإصدار"},
    "content_hash": {"en": "Content hash", "ar": "بصمة المحتوى"},
    "weights_status": {"en": "Weights", "ar": "الأوزان"},
    "answers_files": {"en": "Answer files (SHA-256)", "ar": "ملفات الإجابات (SHA-256)"},
    "toolkit_version": {"en": "Toolkit version", "ar": "إصدار الأداة"},
    "run_date": {"en": "Report generated", "ar": "تاريخ إعداد التقرير"},
    "aggregation": {"en": "Respondent aggregation", "ar": "طريقة تجميع الإجابات"},
    "na": {"en": "not applicable", "ar": "لا ينطبق"},
    "missing": {"en": "not answered", "ar": "بلا إجابة"},
    "not_asked": {"en": "not asked", "ar": "لم يُطرح على أحد"},
    "evidenced": {"en": "evidence given", "ar": "مدعومة بدليل"},
    "evidence_capped": {
        "en": "counted lower: no evidence",
        "ar": "احتُسبت أدنى: لا دليل",
    },
    "yes": {"en": "yes", "ar": "نعم"},
    "no": {"en": "no", "ar": "لا"},
    "proposal_note": {
        "en": "Thresholds marked * are proposals, not taken from a published source.",
        "ar": "الحدود المعلّمة بـ * مقترحة وليست مأخوذة من مصدر منشور.",
    },
    "references": {"en": "References", "ar": "المراجع"},
    "formula_note": {
        "en": (
            "Indicator levels are the {aggregate} of respondents' answers (measured values are "
            "aggregated first, then converted through the thresholds). A dimension score is the "
            "weighted mean of its indicators, capped by its gates; the index is the weighted mean "
            "of dimension scores, rescaled to 0-100. The level is staged: every dimension at "
            "least one level below, and {share}% of the weight at the level."
        ),
        "ar": (
            "مستوى كل مؤشر هو {aggregate} إجابات المشاركين (تُجمَّع القيم المقاسة أولاً ثم "
            "تُحوَّل عبر الحدود). درجة البُعد هي المتوسط المرجّح لمؤشراته مع تطبيق الشروط "
            "الأساسية، والمؤشر العام هو المتوسط المرجّح لدرجات الأبعاد محوّلاً إلى مقياس من 0 إلى "
            "100. المستوى مرحلي: كل الأبعاد عند المستوى السابق على الأقل، و{share}% من الوزن عند "
            "المستوى."
        ),
    },
    "portfolio_title": {"en": "Portfolio overview", "ar": "نظرة عامة على المحفظة"},
    "client": {"en": "Client", "ar": "العميل"},
    "report": {"en": "Report", "ar": "التقرير"},
    "status": {"en": "Status", "ar": "الحالة"},
    "failed": {"en": "failed", "ar": "فشل"},
    "ok": {"en": "ok", "ar": "تم"},
    "top_gap": {"en": "Top gap", "ar": "أكبر فجوة"},
    "failures": {"en": "Failures", "ar": "الإخفاقات"},
    "generated_by": {
        "en": "Generated by the assessment toolkit",
        "ar": "أُعدّ بواسطة أداة التقييم",
    },
    "fallback_note": {
        "en": "{count} rubric texts have no translation and are shown in English.",
        "ar": "{count} من نصوص نموذج التقييم غير مترجمة وتظهر بالإنجليزية.",
    },
}
