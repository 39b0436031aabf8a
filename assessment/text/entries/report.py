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
    # -- issue 15: the one-pager, the roadmap, the printed report, the appendix ---------------
    "onepager.where": {"en": "Where you are", "ar": "أين تقفون"},
    "onepager.target": {"en": "Where you should be", "ar": "أين ينبغي أن تكونوا"},
    "onepager.compare": {"en": "How you compare", "ar": "مقارنةً بالنظراء"},
    "onepager.moved": {"en": "How you moved", "ar": "كيف تقدمتم"},
    "onepager.people": {"en": "What it takes in people", "ar": "ما يتطلبه من موارد بشرية"},
    "onepager.level_line": {"en": "Level {level}: {name}", "ar": "المستوى {level}: {name}"},
    "onepager.weakest": {
        "en": "Weakest dimension: {dimension} (level {level})",
        "ar": "البُعد الأضعف: {dimension} (المستوى {level})",
    },
    "onepager.points_to_go": {
        "en": "{points} index points to reach the target profile",
        "ar": "{points} نقطة على المؤشر للوصول إلى الملف المستهدف",
    },
    "onepager.at_target": {
        "en": "The index meets the target profile",
        "ar": "يحقق المؤشر الملف المستهدف",
    },
    "onepager.percentile_value": {"en": "{pct} percentile", "ar": "المئين {pct}"},
    "onepager.peers.all": {
        "en": "among {n} peers",
        "ar": "بين {n} من النظراء",
    },
    "onepager.peers.sector": {
        "en": "among {n} peers in the same sector",
        "ar": "بين {n} من النظراء في القطاع نفسه",
    },
    "onepager.peers.sector+size": {
        "en": "among {n} peers of the same sector and size",
        "ar": "بين {n} من النظراء في القطاع والحجم نفسيهما",
    },
    "onepager.no_peers": {"en": "No peer comparison", "ar": "لا مقارنة مع النظراء"},
    "onepager.since": {
        "en": "since {date}: from {before} to {after}",
        "ar": "منذ {date}: من {before} إلى {after}",
    },
    "onepager.first": {"en": "First assessment", "ar": "التقييم الأول"},
    "onepager.fte_today": {"en": "{fte} FTE today", "ar": "{fte} موظف بدوام كامل حالياً"},
    "onepager.fte_needed": {
        "en": "{low}–{high} FTE needed for the care desk (business hours to 24/7)",
        "ar": (
            "المطلوب لخدمة العملاء من {low} إلى {high} موظف بدوام كامل "
            "(من ساعات العمل إلى مدار الساعة)"
        ),
    },
    "onepager.no_people": {
        "en": "No message volume given",
        "ar": "لم يُذكر حجم الرسائل",
    },
    "onepager.first_moves": {"en": "The first three moves", "ar": "الخطوات الثلاث الأولى"},
    "onepager.projection": {
        "en": "Projected index: {first} after 90 days, {second} after 6 months, {third} after "
        "12 months, if the roadmap's moves are made.",
        "ar": "المؤشر المتوقع: {first} بعد 90 يوماً، و{second} بعد 6 أشهر، و{third} بعد 12 "
        "شهراً، إن نُفّذت خطوات خارطة الطريق.",
    },
    "roadmap": {"en": "Roadmap", "ar": "خارطة الطريق"},
    "roadmap.intro": {
        "en": "Each move is the next step of an indicator below its target, grouped by when it "
        "is due. Quick wins take little effort and can start at once.",
        "ar": "كل خطوة هي الخطوة التالية لمؤشر دون مستواه المستهدف، مجمّعةً حسب موعدها. "
        "المكاسب السريعة تتطلب جهداً قليلاً ويمكن البدء بها فوراً.",
    },
    "roadmap.horizon.90d": {"en": "First 90 days", "ar": "أول 90 يوماً"},
    "roadmap.horizon.6m": {"en": "Within 6 months", "ar": "خلال 6 أشهر"},
    "roadmap.horizon.12m": {"en": "Within 12 months", "ar": "خلال 12 شهراً"},
    "roadmap.horizon.none": {"en": "Not scheduled", "ar": "غير مجدولة"},
    "roadmap.projected": {
        "en": "Projected index after this horizon: {index}",
        "ar": "المؤشر المتوقع بعد هذه المرحلة: {index}",
    },
    "roadmap.more": {
        "en": "and {n:move} more (see the dimensions below)",
        "ar": "و{n:move} أخرى (انظر الأبعاد أدناه)",
    },
    "roadmap.none": {
        "en": "No indicator is below its target: there is no move to schedule.",
        "ar": "لا يوجد مؤشر دون مستواه المستهدف: لا خطوات لجدولتها.",
    },
    "roadmap.projection_note": {
        "en": "Projections assume each move raises its indicator by one level; gates are not "
        "re-applied.",
        "ar": "تفترض التوقعات أن كل خطوة ترفع مؤشرها مستوى واحداً، دون إعادة تطبيق الشروط الأساسية.",
    },
    "move": {"en": "Move", "ar": "الخطوة"},
    "deck.decisions": {"en": "Decisions for the committee", "ar": "قرارات مطلوبة من اللجنة"},
    "effort": {"en": "Effort", "ar": "الجهد"},
    "effort.low": {"en": "low", "ar": "منخفض"},
    "effort.medium": {"en": "medium", "ar": "متوسط"},
    "effort.high": {"en": "high", "ar": "مرتفع"},
    "owner": {"en": "Owner", "ar": "المسؤول"},
    "quick_win": {"en": "quick win", "ar": "مكسب سريع"},
    "contents": {"en": "Contents", "ar": "المحتويات"},
    "list_separator": {"en": ", ", "ar": "، "},
    "confidential": {
        "en": "Confidential: prepared for {client}",
        "ar": "سري: أُعدّ لصالح {client}",
    },
    "page_of": {"en": "Page {page} of {pages}", "ar": "الصفحة {page} من {pages}"},
    "appendix": {"en": "Appendix: method and provenance", "ar": "ملحق: المنهجية والمصادر"},
    "appendix.proposals": {
        "en": "Indicators whose thresholds or anchors are our proposal",
        "ar": "المؤشرات التي حدودها أو أوصافها مقترحة من قِبلنا",
    },
    "appendix.weights_proposal": {
        "en": "The dimension weights are a proposal; calibrate them with pilot data before "
        "comparing organisations.",
        "ar": "أوزان الأبعاد مقترحة؛ تجب معايرتها ببيانات تجريبية قبل المقارنة بين المؤسسات.",
    },
    "appendix.parent": {"en": "Derived from", "ar": "مشتق من"},
    "resourcing.intro": {
        "en": "{messages} messages a day, {aht} minutes each; {share}% answered within "
        "{within} minutes (Erlang C).",
        "ar": "{messages} رسالة يومياً، {aht} دقائق لكل رسالة؛ يُجاب عن {share}% منها خلال "
        "{within} دقيقة (Erlang C).",
    },
    "staffing.coverage": {"en": "Coverage", "ar": "ساعات التغطية"},
    "staffing.hours": {"en": "Hours a week", "ar": "ساعات في الأسبوع"},
    "staffing.agents": {"en": "Agents on duty", "ar": "الموظفون المناوبون"},
    "staffing.service_level": {"en": "Service level", "ar": "مستوى الخدمة"},
    "staffing.fte": {"en": "FTE needed", "ar": "الموظفون المطلوبون (دوام كامل)"},
    "staffing.fte_today": {"en": "FTE today", "ar": "الموظفون حالياً (دوام كامل)"},
    "staffing.option.business": {"en": "Business hours", "ar": "ساعات العمل"},
    "staffing.option.extended": {"en": "Extended hours", "ar": "ساعات ممتدة"},
    "staffing.option.24x7": {"en": "24/7", "ar": "على مدار الساعة"},
    "report_file_title": {
        "en": "{client}: social-media maturity assessment",
        "ar": "{client}: تقييم نضج إدارة وسائل التواصل الاجتماعي",
    },
    # Values of the clients table, translated; a value not listed is shown as written.
    "value.sector.banking": {"en": "Banking", "ar": "المصارف"},
    "value.sector.education": {"en": "Education", "ar": "التعليم"},
    "value.sector.fintech": {"en": "Financial technology", "ar": "التقنية المالية"},
    "value.sector.fmcg": {"en": "Consumer goods", "ar": "السلع الاستهلاكية"},
    "value.sector.government": {"en": "Government", "ar": "القطاع الحكومي"},
    "value.sector.healthcare": {"en": "Healthcare", "ar": "الرعاية الصحية"},
    "value.sector.hospitality": {"en": "Hospitality", "ar": "الضيافة"},
    "value.sector.logistics": {"en": "Logistics", "ar": "الخدمات اللوجستية"},
    "value.sector.manufacturing": {"en": "Manufacturing", "ar": "الصناعة"},
    "value.sector.nonprofit": {"en": "Nonprofit", "ar": "القطاع غير الربحي"},
    "value.sector.retail": {"en": "Retail", "ar": "التجزئة"},
    "value.sector.telecom": {"en": "Telecommunications", "ar": "الاتصالات"},
    "value.size_band.small": {"en": "Small", "ar": "صغيرة"},
    "value.size_band.medium": {"en": "Medium", "ar": "متوسطة"},
    "value.size_band.large": {"en": "Large", "ar": "كبيرة"},
    "value.size_band.enterprise": {"en": "Enterprise", "ar": "مؤسسة كبرى"},
    "value.region.Saudi Arabia": {"en": "Saudi Arabia", "ar": "السعودية"},
    "value.region.Egypt": {"en": "Egypt", "ar": "مصر"},
    "value.region.Jordan": {"en": "Jordan", "ar": "الأردن"},
    "value.region.United Arab Emirates": {"en": "United Arab Emirates", "ar": "الإمارات"},
    "value.region.Kuwait": {"en": "Kuwait", "ar": "الكويت"},
    "value.region.Morocco": {"en": "Morocco", "ar": "المغرب"},
    "value.region.Lebanon": {"en": "Lebanon", "ar": "لبنان"},
    "value.region.Qatar": {"en": "Qatar", "ar": "قطر"},
    "value.region.Bahrain": {"en": "Bahrain", "ar": "البحرين"},
    "value.region.Oman": {"en": "Oman", "ar": "عُمان"},
    "value.region.Iraq": {"en": "Iraq", "ar": "العراق"},
    "value.region.Tunisia": {"en": "Tunisia", "ar": "تونس"},
    "value.region.Algeria": {"en": "Algeria", "ar": "الجزائر"},
    "value.aggregate.median": {"en": "median", "ar": "الوسيط"},
    "value.aggregate.mean": {"en": "mean", "ar": "المتوسط"},
    "value.aggregate.trimmed": {"en": "trimmed mean", "ar": "المتوسط المشذَّب"},
    "value.weights_status.proposal": {"en": "proposal", "ar": "مقترحة"},
    "value.weights_status.derived": {"en": "derived", "ar": "مشتقة"},
    "value.weights_status.agreed": {"en": "agreed", "ar": "معتمدة"},
    # Units of the rubric's measured values and facts.
    "unit.percent": {"en": "percent", "ar": "في المئة"},
    "unit.functions": {"en": "functions", "ar": "وظائف"},
    "unit.hours": {"en": "hours", "ar": "ساعات"},
    "unit.minutes": {"en": "minutes", "ar": "دقائق"},
    "unit.ratio": {"en": "ratio", "ar": "نسبة"},
    "unit.skills": {"en": "skills", "ar": "مهارات"},
    "unit.systems": {"en": "systems", "ar": "أنظمة"},
    "unit.decisions per quarter": {"en": "decisions per quarter", "ar": "قرارات في الربع"},
    "unit.FTE": {"en": "FTE", "ar": "موظف بدوام كامل"},
    "unit.hours per week": {"en": "hours per week", "ar": "ساعات في الأسبوع"},
    "unit.languages": {"en": "languages", "ar": "لغات"},
    "unit.messages per day": {"en": "messages per day", "ar": "رسائل في اليوم"},
    "portfolio.change": {"en": "Change", "ar": "التغيّر"},
    "portfolio.fte_gap": {"en": "FTE gap", "ar": "فجوة الموظفين"},
    "portfolio.top_move": {"en": "Top move", "ar": "الخطوة الأولى"},
    "portfolio.stale": {"en": "Data", "ar": "البيانات"},
    "portfolio.stale_flag": {
        "en": "stale: assessed {months} months ago",
        "ar": "قديمة: قُيّمت قبل {months} شهراً",
    },
    "portfolio.fresh": {"en": "current", "ar": "حديثة"},
    "portfolio.files": {"en": "Files", "ar": "الملفات"},
    "portfolio.deck": {"en": "Deck", "ar": "العرض"},
    "portfolio.pdf": {"en": "PDF", "ar": "ملف PDF"},
    "portfolio.id": {"en": "Id", "ar": "المعرّف"},
}
