"""The demo group's handout texts: ground rules and programme information made from the
starters, translated and signed off in Arabic and Ukrainian, and a partial Dari
translation of the ground rules. Example text, not vetted translations: every row is
marked as demo data."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from . import handouts
from .handouts import translations
from .models import Person
from .models.groups import Group

RULES = {
    "ar": ["كيف نعمل معًا", "## في المجموعة",
           "- ما يُقال في المجموعة يبقى في المجموعة: {{concept:confidentiality}}.",
           "- نستمع إلى بعضنا ويتكلم كل واحد بدوره.",
           "- يمكننا أن نتحدث هنا عن مشاعر مثل {{concept:anger}}. العنف ليس حلًا أبدًا.",
           "- العلاقة الجنسية تحتاج إلى {{concept:consent}}: نعم حرة، يمكن سحبها في أي وقت.",
           "- نأتي في الموعد. إذا لم تستطع الحضور، اتصل على {{group:contact}}.",
           "## المترجم", "يقول المترجم كل ما يُقال، دون أن يضيف أو يحذف أو ينصح.",
           "يحافظ المترجم على {{concept:confidentiality}} ولا ينحاز لأحد."],
    "uk": ["Як ми працюємо разом", "## У групі",
           "- Те, що сказано в групі, залишається в групі: {{concept:confidentiality}}.",
           "- Ми слухаємо одне одного і говоримо по черзі.",
           "- Тут можна говорити про почуття, як-от {{concept:anger}}. Насильство ніколи не "
           "є відповіддю.",
           "- Для сексу потрібна {{concept:consent}}: вільне «так», яке можна будь-коли "
           "забрати назад.",
           "- Ми приходимо вчасно. Якщо не можете прийти, телефонуйте {{group:contact}}.",
           "## Перекладач",
           "Перекладач передає все сказане, нічого не додаючи, не пропускаючи і не радячи.",
           "Перекладач зберігає {{concept:confidentiality}} і не стає ні на чий бік."],
    # Partial: the mediator has translated the first paragraphs only.
    "fa-AF": ["چطور با هم کار می‌کنیم", "## در گروه",
              "- آنچه در گروه گفته می‌شود، در گروه می‌ماند: {{concept:confidentiality}}.",
              "- به همدیگر گوش می‌دهیم و به نوبت صحبت می‌کنیم.",
              "- اینجا می‌توانیم دربارهٔ احساساتی مانند {{concept:anger}} صحبت کنیم. خشونت "
              "هرگز راه حل نیست.",
              "- رابطهٔ جنسی به {{concept:consent}} نیاز دارد: یک «بله»ی آزاد که هر وقت "
              "می‌شود پس گرفت."],
}
PROGRAMME = {
    "ar": ["عن البرنامج", "## لمن هذه المجموعة",
           "هذه المجموعة للرجال الذين استخدموا العنف في عائلاتهم ويريدون التغيير.",
           "## متى وأين", "نلتقي أيام الثلاثاء، {{group:time}}.",
           "المكان: {{group:place}}. الجلسة الأولى في {{group:start_date}}.",
           "## ماذا يحدث في الجلسات", "نتحدث عن العلاقات والمشاعر وكيف نعيش معًا بشكل جيد.",
           "نتحدث بصراحة عن {{concept:domestic-violence}} و{{concept:sexual-violence}}.",
           "في كل جلسة ميسّر ومترجم.", "## أسئلة", "اتصل أو اكتب إلى {{group:contact}}."],
    "uk": ["Про програму", "## Для кого ця група",
           "Ця група для чоловіків, які застосовували насильство в сім'ї і хочуть змінитися.",
           "## Коли і де", "Ми зустрічаємося щовівторка, {{group:time}}.",
           "Місце: {{group:place}}. Перша зустріч: {{group:start_date}}.",
           "## Що відбувається на зустрічах",
           "Ми говоримо про стосунки, почуття і про те, як добре жити разом.",
           "Ми відкрито говоримо про такі теми: {{concept:domestic-violence}} і "
           "{{concept:sexual-violence}}.",
           "На кожній зустрічі є ведучий і перекладач.", "## Запитання",
           "Телефонуйте або пишіть: {{group:contact}}."],
}
PICTURES = {"rules": {"p2": "confidential", "p3": "listen", "p4": "feelings",
                      "p6": "clock", "p8": "interpreter"},
            "programme": {"p2": "group", "p4": "calendar", "p5": "place", "p7": "talk",
                          "p11": "help"}}
MEDIATORS = {"ar": "samir", "uk": "olena", "fa-AF": "mariam"}


def load_demo_handouts(session: Session, *, group: Group, people: dict[str, Person],
                       today: date, validity_months: int) -> None:
    """Make the demo group's ground rules and programme information, translate them and
    sign off the Arabic and Ukrainian translations (see the module docstring)."""
    anna = people["anna@example.org"]
    for kind, by_language in (("rules", RULES), ("programme", PROGRAMME)):
        text = handouts.create_text(session, group=group, kind=kind, person=anna,
                                    is_demo=True)
        pictures = PICTURES[kind]
        paragraphs = [dict(p, picture=pictures.get(p["id"], "")) for p in text.paragraphs]
        handouts.update_text(session, text=text, title=text.title, paragraphs=paragraphs,
                             next_id=text.next_id, seen_version=text.version, person=anna)
        keys = [key for _n, key in translations.numbered(text)]
        for language, lines in by_language.items():
            mediator = people[f"{MEDIATORS[language]}@example.org"]
            translation = translations.save_translation(
                session, text=text, language=language,
                parts=dict(zip(keys, lines, strict=False)),
                seen_version=None, person=mediator, is_demo=True)
            if language == "fa-AF":
                continue
            for person, role in ((anna, "facilitator"), (mediator, "mediator")):
                translations.sign_translation(
                    session, translation=translation, person=person, role=role,
                    seen_fingerprint=translations.translation_wording(
                        session, translation).fingerprint,
                    today=today, validity_months=validity_months)
