"""Demo data: explanations for participants of the demo's agreed Arabic renderings, in
plain Arabic. Like the renderings themselves (:mod:`glossary.demo`), they are examples
of the workflow written for the demo, not texts checked by a mediator; they are stored on
renderings marked as demo data."""

from __future__ import annotations

# concept key -> explanation of its first (signed) Arabic rendering.
ARABIC_EXPLANATIONS = {
    "consent": "أن يقول الشخص «نعم» بحرية، بلا خوف ولا ضغط ولا تهديد. "
               "ويمكنه أن يغيّر رأيه في أي وقت.",
    "sexual-violence": "أي فعل جنسي يُفرض على شخص بلا موافقته الحرة: بالقوة أو بالتهديد "
                       "أو بالضغط.",
    "genitals": "الأجزاء الخاصة من الجسم التي لها علاقة بالجنس وبإنجاب الأطفال.",
    "restraining-order": "قرار من المحكمة يمنع شخصًا من الاقتراب من شخص آخر أو الاتصال به.",
    "residence-permit": "ورقة رسمية تسمح لك بالعيش في هذا البلد لمدة محددة.",
    "confidentiality": "ما يُقال في المجموعة يبقى في المجموعة. إلا إذا كان أحد في خطر: "
                       "عندها يجب علينا أن نتصرف.",
    "anger": "شعور قوي بالضيق والانزعاج. الشعور نفسه ليس عنفًا، المهم ماذا نفعل به.",
    "shame": "شعور مؤلم بأننا فعلنا شيئًا خاطئًا، أو بأن الناس ينظرون إلينا بسوء.",
    "domestic-violence": "العنف داخل البيت أو بين الزوجين: الضرب، التهديد، الإهانة، "
                         "أو التحكم بالمال وبالحياة.",
    "coercive-control": "أن يتحكم شخص بحياة شريكه كل يوم: بمن يلتقي، وأين يذهب، وماذا يلبس، "
                        "وكيف يصرف المال.",
    "rape": "إجبار شخص على الجنس بلا موافقته. هذا جريمة، حتى بين الزوجين.",
    "custody": "من يعتني بالأطفال ويعيشون معه، بقرار من المحكمة أو باتفاق بين الوالدين.",
}


def with_explanation(key: str, language: str, index: int, fields: dict) -> dict:
    """``fields`` of a demo rendering, with its explanation when it is the first Arabic
    rendering of a concept that has one."""
    if language == "ar" and index == 0 and key in ARABIC_EXPLANATIONS:
        return fields | {"explanation": ARABIC_EXPLANATIONS[key]}
    return fields
