"""Labels of the workshop room: the participants' web app and the projector (issue 16)."""

from __future__ import annotations

ENTRIES: dict[str, dict[str, str]] = {
    "room.join_title": {"en": "Join the workshop", "ar": "الانضمام إلى ورشة العمل"},
    "room.code": {"en": "Join code", "ar": "رمز الانضمام"},
    "room.code_hint": {
        "en": "The six characters shown on the screen",
        "ar": "الأحرف الستة المعروضة على الشاشة",
    },
    "room.role_any": {"en": "Another role: every question", "ar": "منصب آخر: جميع الأسئلة"},
    "room.join": {"en": "Join", "ar": "انضمام"},
    "room.anonymous_note": {
        "en": "Anonymous workshop: your name is not asked and not shown.",
        "ar": "ورشة بلا أسماء: لا يُطلب اسمك ولا يُعرض.",
    },
    "room.bad_code": {
        "en": "No workshop has the code {code}. Check the code on the screen.",
        "ar": "لا توجد ورشة بالرمز {code}. تحقّق من الرمز المعروض على الشاشة.",
    },
    "room.name_needed": {"en": "Please enter your name.", "ar": "يُرجى إدخال اسمك."},
    "room.too_long": {
        "en": "Too long: at most {limit} characters.",
        "ar": "النص طويل: {limit} حرفًا على الأكثر.",
    },
    "room.expects_number": {
        "en": "Enter a number ({unit}), e.g. 12 or 2.5.",
        "ar": "أدخل رقمًا ({unit})، مثل 12 أو 2.5.",
    },
    "room.not_accepted": {
        "en": "This answer is not accepted for this question.",
        "ar": "هذه الإجابة غير مقبولة لهذا السؤال.",
    },
    "room.question_of": {"en": "Question {k} of {total}", "ar": "السؤال {k} من {total}"},
    "room.comment": {"en": "Comment (optional)", "ar": "تعليق (اختياري)"},
    "room.comment_hint": {
        "en": "Evidence, an example, a doubt",
        "ar": "دليل أو مثال أو ملاحظة",
    },
    "room.number": {"en": "Your answer ({unit})", "ar": "إجابتك ({unit})"},
    "room.you_are": {"en": "You are taking part as {name}", "ar": "تشارك باسم {name}"},
    "room.wait": {
        "en": "Waiting for the next question from the facilitator.",
        "ar": "في انتظار السؤال التالي من الميسّر.",
    },
    "room.offline": {
        "en": "Connection lost. Reconnecting; your answers are kept on this phone and sent.",
        "ar": "انقطع الاتصال. تجري إعادة الاتصال؛ إجاباتك محفوظة على هذا الهاتف وستُرسل.",
    },
    "room.queued": {
        "en": "Kept on this phone; it is sent as soon as the connection is back.",
        "ar": "محفوظة على هذا الهاتف؛ تُرسل فور عودة الاتصال.",
    },
    "room.forbidden": {
        "en": "This page is for the facilitator.",
        "ar": "هذه الصفحة مخصّصة للميسّر.",
    },
    "room.signed_out": {
        "en": "Your session was not found. Join with the code on the screen.",
        "ar": "لم نعثر على جلستك. انضم بالرمز المعروض على الشاشة.",
    },
    "room.not_found": {"en": "Page not found.", "ar": "الصفحة غير موجودة."},
    "room.projector": {"en": "Projector", "ar": "شاشة العرض"},
    "room.join_at": {"en": "Join at {url}", "ar": "انضم عبر {url}"},
    "room.scan": {"en": "Scan to join", "ar": "امسح الرمز للانضمام"},
    "room.joined": {"en": "{n:participant} joined", "ar": "انضم {n:participant}"},
    "room.finished": {"en": "Finished", "ar": "أنهوا الإجابة"},
    "room.answering": {"en": "Still answering", "ar": "ما زالوا يجيبون"},
    "room.nobody": {"en": "Nobody yet.", "ar": "لا أحد بعد."},
    "room.reveal": {"en": "Reveal the results", "ar": "إظهار النتائج"},
    "room.hide": {"en": "Hide the results", "ar": "إخفاء النتائج"},
    "room.hidden": {
        "en": "The results are hidden until you reveal them.",
        "ar": "النتائج مخفية إلى أن تُظهرها.",
    },
    "room.pace_on": {"en": "Phones follow this question", "ar": "الهواتف تتبع هذا السؤال"},
    "room.pace_off": {"en": "Everyone at their own pace", "ar": "كلٌّ بحسب وتيرته"},
    "room.paced": {
        "en": "Paced: every phone shows this question.",
        "ar": "موجَّه: كل الهواتف تعرض هذا السؤال.",
    },
    "room.free": {
        "en": "Free: everyone answers at their own pace.",
        "ar": "حر: يجيب كلٌّ بحسب وتيرته.",
    },
    "room.answers_in": {"en": "{n:vote} so far", "ar": "{n:vote} حتى الآن"},
    "room.spread": {"en": "Spread", "ar": "التباعد"},
    "room.spread_tip": {
        "en": "How far apart the middle half of the answers are, in levels (IQR)",
        "ar": "المسافة بين النصف الأوسط من الإجابات، بالمستويات (المدى الربيعي)",
    },
    "room.agreement": {"en": "Agreement", "ar": "درجة الاتفاق"},
    "room.agreement_tip": {
        "en": "1 when everyone gave the same answer, 0 when answers are as far apart as they "
        "can be (r_wg)",
        "ar": "1 عندما يعطي الجميع الإجابة نفسها، و0 عندما تتباعد الإجابات إلى أقصى حد (r_wg)",
    },
    "room.links": {"en": "Personal links", "ar": "الروابط الشخصية"},
    "room.links_intro": {
        "en": "One link per person: whoever opens it answers as that person, on any device. "
        "Hand each one over privately.",
        "ar": "رابط لكل شخص: من يفتحه يجيب باسم ذلك الشخص على أي جهاز. "
        "سلّم كل رابط لصاحبه على انفراد.",
    },
    "room.names": {"en": "Names, one per line", "ar": "الأسماء، اسم في كل سطر"},
    "room.make_links": {"en": "Make the links", "ar": "إنشاء الروابط"},
    "room.too_many": {
        "en": "Too many names: at most {limit} at a time.",
        "ar": "عدد الأسماء كبير: {limit} اسمًا على الأكثر في المرة الواحدة.",
    },
    "room.open_projector": {"en": "Open the projector view", "ar": "فتح شاشة العرض"},
}
