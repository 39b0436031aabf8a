"""Labels of chart titles, axes and legends."""

from __future__ import annotations

ENTRIES: dict[str, dict[str, str]] = {
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
    # The agreement chart's colorbar: a dot's colour is the level that respondent gave.
    "chart.agreement.colorbar": {"en": "Level given", "ar": "المستوى المُعطى"},
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
    "chart.sensitivity.index_change_mean_abs": {
        "en": "Mean absolute change of the index over {n} clients (points; rises and falls "
        "do not cancel)",
        "ar": "متوسط التغيّر المطلق في المؤشر لدى {n} من العملاء (نقاط؛ لا يلغي الارتفاعُ الانخفاضَ)",
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
}
