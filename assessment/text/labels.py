"""The one table of user-facing labels: reports, charts, the workshop apps and the CLI.

Every string a client or a workshop participant reads comes from :data:`ENTRIES`, one entry per
key with every language side by side, so a translation is reviewed next to its source and the
same word is used on every screen (the Arabic terms follow ``docs/glossary.md``).  Rubric texts
are not here: they carry their own translations in the rubric file
(:func:`assessment.rubric.translate`).

Keys are grouped by the surface that introduced them; a key is reused wherever the meaning is
the same (``dimension``, ``level``, ``na`` ...), never copied under a second name.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from types import MappingProxyType

from assessment.text.counting import NOUNS, counted

__all__ = ["ENTRIES", "LABELS", "LANGUAGES", "label"]

#: Languages every entry is written in.
LANGUAGES = ("en", "ar")

ENTRIES: Mapping[str, Mapping[str, str]] = {
    # -- report ---------------------------------------------------------------------------------
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
    # -- charts ---------------------------------------------------------------------------------
    # Chart labels ("chart." keys).  Charts also use "current", "target", "peer_median",
    # "level" and "assessment_date" from above: the same words in both languages.
    "chart.not_scored": {"en": "not scored", "ar": "غير مقيَّم"},
    "chart.index": {"en": "Index (0–100)", "ar": "المؤشر (من 0 إلى 100)"},
    "chart.score": {"en": "Dimension score", "ar": "درجة البُعد"},
    "chart.gap_bars.priority": {
        "en": "Priority (weight × gap)",
        "ar": "الأولوية (الوزن × الفجوة)",
    },
    "chart.gap_bars.gap": {"en": "gap {gap}", "ar": "الفجوة {gap}"},
    "chart.heatmap.na": {"en": "Not applicable", "ar": "لا ينطبق"},
    "chart.heatmap.na_cell": {"en": "N/A", "ar": "غ/م"},
    "chart.heatmap.missing": {"en": "No answer", "ar": "لا إجابة"},
    "chart.agreement.respondents": {
        "en": "Respondents (dot area = count)",
        "ar": "إجابات المشاركين (المساحة = العدد)",
    },
    # One sentence per respondent aggregation (ScoringOptions.aggregate), not a composed
    # "({how})": a translator sees the whole label, and a bare "median" is not a label.
    "chart.agreement.indicator_level.median": {
        "en": "Indicator level (median)",
        "ar": "مستوى المؤشر (الوسيط)",
    },
    "chart.agreement.indicator_level.mean": {
        "en": "Indicator level (mean)",
        "ar": "مستوى المؤشر (المتوسط)",
    },
    "chart.agreement.indicator_level.trimmed": {
        "en": "Indicator level (trimmed mean)",
        "ar": "مستوى المؤشر (المتوسط المشذَّب)",
    },
    "chart.agreement.hotspot": {"en": "Disagreement hotspot", "ar": "نقطة خلاف"},
    # The peer group (the benchmark's peer_group: all, sector, sector+size) is part of each
    # sentence rather than a word filled in, for the same reason as the levels above.
    "chart.benchmark.peers.all": {"en": "Peers (all, n={n})", "ar": "النظراء (الكل، العدد {n})"},
    "chart.benchmark.peers.sector": {
        "en": "Peers (sector, n={n})",
        "ar": "النظراء (القطاع، العدد {n})",
    },
    "chart.benchmark.peers.sector+size": {
        "en": "Peers (sector and size, n={n})",
        "ar": "النظراء (القطاع والحجم، العدد {n})",
    },
    # Arabic first in the percentile labels: the first strong letter sets the direction.
    "chart.benchmark.percentile.all": {
        "en": "{client}: {value} ({pct} percentile, all peers)",
        "ar": "المئين {pct} بين نظراء الكل: {client} ({value})",
    },
    "chart.benchmark.percentile.sector": {
        "en": "{client}: {value} ({pct} percentile, sector peers)",
        "ar": "المئين {pct} بين نظراء القطاع: {client} ({value})",
    },
    "chart.benchmark.percentile.sector+size": {
        "en": "{client}: {value} ({pct} percentile, sector and size peers)",
        "ar": "المئين {pct} بين نظراء القطاع والحجم: {client} ({value})",
    },
    "chart.benchmark.suppressed": {
        "en": "Percentile suppressed: {n} peers, fewer than the anonymity floor of {floor}",
        "ar": "المئين محجوب: {n} من النظراء فقط، أقل من الحد الأدنى للسرية {floor}",
    },
    "chart.benchmark.no_value": {"en": "{client}: not scored", "ar": "غير مقيَّم: {client}"},
    "chart.benchmark.n_peers": {"en": "Number of peers", "ar": "عدد النظراء"},
    "chart.staffing.required_fte": {
        "en": "Required FTE",
        "ar": "الموظفون المطلوبون (دوام كامل)",
    },
    "chart.staffing.current_fte": {
        "en": "Current FTE",
        "ar": "الموظفون الحاليون (دوام كامل)",
    },
    "chart.staffing.fte": {"en": "Full-time equivalents (FTE)", "ar": "مكافئ الدوام الكامل"},
    # No signed numbers in Arabic: bidi moves a leading "+" to the far side of the number.
    "chart.staffing.gap_short": {"en": "gap +{gap}", "ar": "نقص {gap}"},
    "chart.staffing.gap_spare": {"en": "gap −{gap}", "ar": "فائض {gap}"},
    "chart.staffing.hours_per_week": {"en": "{h} h/week", "ar": "{h} ساعة/أسبوع"},
    # Coverage options, keyed by the index of assessment.scoring.staffing.staffing_table.
    "chart.staffing.coverage.business": {"en": "Business hours", "ar": "ساعات العمل"},
    "chart.staffing.coverage.extended": {"en": "Extended hours", "ar": "ساعات ممتدة"},
    "chart.staffing.coverage.24x7": {"en": "24×7", "ar": "على مدار الساعة"},
    "chart.portfolio.count_at": {"en": "{count} at L1", "ar": "{count} في المستوى 1"},
    "chart.portfolio.count_note": {
        "en": "in brackets: dimensions still at level 1, “{name}”",
        "ar": "بين القوسين: الأبعاد التي ما زالت في المستوى 1، «{name}»",
    },
    # Weight sensitivity (tornado, level probability, rank stability).  English-only until
    # the package-layout issue; the Arabic is new.
    "chart.sensitivity.weight_down": {"en": "weight −{pct}%", "ar": "خفض الوزن {pct}%"},
    "chart.sensitivity.weight_up": {"en": "weight +{pct}%", "ar": "رفع الوزن {pct}%"},
    "chart.sensitivity.index_change": {
        "en": "Change of the index (points, 0–100 scale)",
        "ar": "التغيّر في المؤشر (نقاط على مقياس من 0 إلى 100)",
    },
    "chart.sensitivity.index_change_mean": {
        "en": "Mean change of the index over {n} clients (points)",
        "ar": "متوسط التغيّر في المؤشر لدى {n} من العملاء (نقاط)",
    },
    "chart.sensitivity.probability": {
        "en": "Probability under weight uncertainty",
        "ar": "الاحتمال مع عدم اليقين في الأوزان",
    },
    "chart.sensitivity.level": {"en": "L{level}", "ar": "المستوى {level}"},
    "chart.sensitivity.baseline_level": {
        "en": "Level with the current weights",
        "ar": "المستوى بالأوزان الحالية",
    },
    "chart.sensitivity.rank": {"en": "Rank (1 = highest index)", "ar": "الترتيب (1 = أعلى مؤشر)"},
    "chart.sensitivity.rank_range": {
        "en": "Rank, 5th–95th percentile of draws",
        "ar": "الترتيب بين المئين 5 والمئين 95 من السحوبات",
    },
    "chart.sensitivity.baseline_rank": {
        "en": "Rank with the current weights",
        "ar": "الترتيب بالأوزان الحالية",
    },
    "chart.sensitivity.tau": {
        "en": "Kendall’s τ vs current ranking: median {median}, 5th percentile {p05}",
        "ar": "معامل كندال τ مقارنةً بالترتيب الحالي: الوسيط {median}، المئين 5 {p05}",
    },
    # -- workshop -------------------------------------------------------------------------------
    "workshop.workshop": {"en": "Workshop", "ar": "ورشة العمل"},
    "workshop.new_workshop": {"en": "New workshop today", "ar": "ورشة جديدة اليوم"},
    "workshop.refresh": {"en": "Refresh", "ar": "تحديث"},
    "workshop.agenda": {"en": "Agenda", "ar": "جدول النقاش"},
    "workshop.agenda_intro": {
        "en": (
            "Disagreement hotspots first (r_wg below {threshold} or a spread of two levels or "
            "more): they are the discussion agenda."
        ),
        "ar": (
            "نقاط الخلاف أولاً (معامل الاتفاق r_wg أقل من {threshold} أو تباين مستويين أو أكثر): "
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
    # -- cli ------------------------------------------------------------------------------------
}

#: The same table by language: ``LABELS["ar"]["dimension"]``.
LABELS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        lang: MappingProxyType({key: entry[lang] for key, entry in ENTRIES.items()})
        for lang in LANGUAGES
    }
)


class _Formatter(string.Formatter):
    """``{total:dimension}`` renders a count with its noun, in agreement, in the language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: object, format_spec: str) -> str:
        if format_spec in NOUNS:
            return counted(int(value), format_spec, self.lang)  # type: ignore[call-overload]
        return super().format_field(value, format_spec)


def label(key: str, lang: str = "en", **values: object) -> str:
    """The label ``key`` in ``lang`` (English for another language), with ``values`` filled in.

    Raises
    ------
    KeyError
        For a key that is not in the table: a typo must fail in tests, not show a blank.

    Examples
    --------
    >>> label("count_2007_sentence", "en", count=3, total=11)
    '3 of 11 dimensions are still resourced like 2007.'
    >>> label("count_2007_sentence", "ar", count=3, total=11)
    '3 من أصل 11 بُعدًا ما زالت تُدار بموارد عام 2007.'
    """
    entry = ENTRIES[key]
    text = entry.get(lang) or entry["en"]
    used = lang if lang in entry else "en"
    return _Formatter(used).format(text, **values) if values else text
