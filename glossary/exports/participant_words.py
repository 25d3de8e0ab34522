"""The few words a participant handout prints in the participants' own language besides
the signed text: DRAFT and "not agreed yet". The interface catalogs cover the staff's
languages, not the participants', so these live here, by base language tag; a language
missing here prints them in the working language only.

These are short, plain words written for this project; a mediator of the language
should check them before a draft is handed out (a final handout prints neither).
"""

from __future__ import annotations

DRAFT_WORD = {
    "ar": "مسودة", "fa": "پیش‌نویس", "prs": "پیش‌نویس", "ps": "مسوده", "ur": "مسودہ",
    "ckb": "ڕەشنووس", "ti": "ረቂቕ", "am": "ረቂቅ", "uk": "ЧЕРНЕТКА", "ru": "ЧЕРНОВИК",
    "so": "QABYO", "tr": "TASLAK", "de": "ENTWURF", "fr": "BROUILLON", "it": "BOZZA",
    "es": "BORRADOR", "en": "DRAFT",
}
NOT_AGREED = {
    "ar": "لم يُتّفق عليه بعد", "fa": "هنوز توافق نشده", "prs": "هنوز توافق نشده",
    "ps": "تر اوسه موافقه نه ده شوې", "ur": "ابھی طے نہیں ہوا", "ckb": "هێشتا ڕێکنەکەوتووە",
    "ti": "ገና ኣይተሰማማዕናሉን", "am": "ገና አልተስማማንበትም", "uk": "ще не погоджено",
    "ru": "ещё не согласовано", "so": "weli lama isku raacin", "tr": "henüz kararlaştırılmadı",
    "de": "noch nicht vereinbart", "fr": "pas encore convenu", "it": "non ancora concordato",
    "es": "aún no acordado", "en": "not agreed yet",
}

NOT_TRANSLATED = {
    "ar": "لم يُترجم بعد", "fa": "هنوز ترجمه نشده", "prs": "هنوز ترجمه نشده",
    "ps": "تر اوسه نه دی ژباړل شوی", "ur": "ابھی ترجمہ نہیں ہوا", "ckb": "هێشتا وەرنەگێڕدراوە",
    "ti": "ገና ኣይተተርጎመን", "am": "ገና አልተተረጎመም", "uk": "ще не перекладено",
    "ru": "ещё не переведено", "so": "weli lama turjumin", "tr": "henüz çevrilmedi",
    "de": "noch nicht übersetzt", "fr": "pas encore traduit", "it": "non ancora tradotto",
    "es": "aún no traducido", "en": "not translated yet",
}


def _base(tag: str) -> str:
    return tag.replace("_", "-").split("-")[0].lower()


def draft_word(tag: str) -> str | None:
    """DRAFT in the language ``tag``, or None when this module does not know it."""
    return DRAFT_WORD.get(_base(tag))


def not_agreed(tag: str) -> str | None:
    """"not agreed yet" in the language ``tag``, or None when unknown here."""
    return NOT_AGREED.get(_base(tag))


def not_translated(tag: str) -> str | None:
    """"not translated yet" in the language ``tag``, or None when unknown here."""
    return NOT_TRANSLATED.get(_base(tag))
