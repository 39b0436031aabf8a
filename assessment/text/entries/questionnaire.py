"""Labels of the questionnaires (workbook, XLSForm, Forms sheet, printout; issue 14)."""

from __future__ import annotations

ENTRIES: dict[str, dict[str, str]] = {
    "questionnaire.title": {"en": "Questionnaire: {rubric}", "ar": "الاستبيان: {rubric}"},
    "questionnaire.intro": {
        "en": "Choose the level that describes the organisation today, not the plan. "
        "Answer \u201cDon't know\u201d rather than guess; it counts as not answered.",
        "ar": "اختر المستوى الذي يصف المؤسسة اليوم، لا ما تخطط له. "
        "أجب بـ\u00ab\u0644\u0627 \u0623\u0639\u0631\u0641\u00bb بدل التخمين؛ "
        "فهذه الإجابة تُحسب كأنها بلا إجابة.",
    },
    "questionnaire.level_option": {"en": "{level} – {text}", "ar": "المستوى {level} – {text}"},
    "questionnaire.dont_know": {"en": "Don't know", "ar": "لا أعرف"},
    "questionnaire.not_applicable": {"en": "Not applicable", "ar": "لا ينطبق"},
    "questionnaire.yes": {"en": "Yes", "ar": "نعم"},
    "questionnaire.no": {"en": "No", "ar": "لا"},
    "questionnaire.facts": {"en": "Facts about the team", "ar": "معطيات عن الفريق"},
    "questionnaire.cover": {"en": "Cover", "ar": "الغلاف"},
    "questionnaire.questions": {"en": "Questions", "ar": "الأسئلة"},
    "questionnaire.client": {"en": "Client", "ar": "العميل"},
    "questionnaire.assessment": {"en": "Assessment", "ar": "التقييم"},
    "questionnaire.respondent": {"en": "Your name", "ar": "اسمك"},
    "questionnaire.role": {"en": "Your role", "ar": "دورك"},
    "questionnaire.date": {"en": "Date", "ar": "التاريخ"},
    "questionnaire.rubric": {"en": "Rubric", "ar": "أداة القياس"},
    "questionnaire.code": {"en": "Code", "ar": "الرمز"},
    "questionnaire.section": {"en": "Dimension", "ar": "البُعد"},
    "questionnaire.question": {"en": "Question", "ar": "السؤال"},
    "questionnaire.level_n": {"en": "Level {level}", "ar": "المستوى {level}"},
    "questionnaire.answer": {"en": "Your answer", "ar": "إجابتك"},
    "questionnaire.unit": {"en": "Unit", "ar": "الوحدة"},
    "questionnaire.evidence": {
        "en": "Evidence (document, link)",
        "ar": "الدليل (وثيقة أو رابط)",
    },
    "questionnaire.notes": {"en": "Notes", "ar": "ملاحظات"},
    "questionnaire.answer_help": {
        "en": "Pick a level from the list, or Don't know.",
        "ar": "اختر مستوى من القائمة، أو «لا أعرف».",
    },
    "questionnaire.number_help": {
        "en": "A number in {unit}; leave empty if you don't know.",
        "ar": "رقم بوحدة {unit}؛ اتركه فارغًا إن كنت لا تعرف.",
    },
    "questionnaire.cover_help": {
        "en": "Fill in the yellow cells. Answer on the sheet \u201cQuestions\u201d; "
        "send this file back unchanged otherwise.",
        "ar": "املأ الخانات الصفراء، وأجب في ورقة «الأسئلة»، ثم أعد إرسال الملف "
        "دون تغيير أي شيء آخر.",
    },
    "questionnaire.forms_help": {
        "en": "Create one form per client. Paste each title exactly, code included: the code "
        "is how the export maps back. Name the form \u201c{client}\u201d.",
        "ar": "أنشئ نموذجًا لكل عميل، والصق كل عنوان كما هو مع رمزه، فالرمز هو ما يربط "
        "الإجابات المصدَّرة بالأسئلة. سمِّ النموذج «{client}».",
    },
    "questionnaire.type": {"en": "Question type", "ar": "نوع السؤال"},
    "questionnaire.options": {"en": "Options (one per line)", "ar": "الخيارات (خيار في كل سطر)"},
    "questionnaire.required": {"en": "Required", "ar": "إلزامي"},
    "questionnaire.type.choice": {"en": "Multiple choice", "ar": "اختيار من متعدد"},
    "questionnaire.type.number": {
        "en": "Short answer (number)",
        "ar": "إجابة قصيرة (رقم)",
    },
    "questionnaire.type.text": {"en": "Short answer", "ar": "إجابة قصيرة"},
    "questionnaire.for_role": {"en": "For: {role}", "ar": "موجَّه إلى: {role}"},
    "questionnaire.everyone": {"en": "everyone", "ar": "الجميع"},
}
