"""Issue 18: the rough edges a first-time facilitator or mediator hit, as view tests
(each fails on the code before the issue)."""

import re
from datetime import timedelta

import pytest
from conftest import TODAY, agree

from glossary import groups, signoff
from glossary.errors import Refused
from glossary.search import near_duplicates
from glossary.search.similarity import close_spelling, reason
from glossary.views.panels import concept_terms


@pytest.fixture
def staff(make_person):
    return {
        "facilitator": make_person("anna", "facilitator"),
        "mediator": make_person("mariam", "mediator", "ps,fa-AF"),
        "somali": make_person("hodan", "mediator", "so"),
        "admin": make_person("root", "admin"),
        "samir": make_person("samir", "mediator", "ar"),
    }


def options(page: str, group: str) -> list[str]:
    """The option values of one optgroup of the "Propose a rendering in" control."""
    found = re.search(r'<optgroup label="' + re.escape(group) + r'">(.*?)</optgroup>', page,
                      re.S)
    return re.findall(r'<option value="([^"]+)"', found.group(1)) if found else []


# Item 1: "Propose a rendering in" offers the person's languages first, then any.

def test_mediator_may_start_their_languages(client, auth, staff, make_concept):
    concept = make_concept("marital rape", fa_AF="تجاوز در ازدواج")
    auth.login("mariam@example.org")
    page = client.get(f"/concepts/{concept.id}").get_data(as_text=True)
    assert options(page, "Your languages and your groups' languages") == ["ps"]
    assert "No rendering yet in Pashto: you can start one here." in page
    auth.login("hodan@example.org")
    page = client.get(f"/concepts/{concept.id}").get_data(as_text=True)
    assert options(page, "Your languages and your groups' languages") == ["so"]
    assert "No rendering yet in Somali" in page
    form = client.get(f"/concepts/{concept.id}/terms/new?language=so")
    assert form.status_code == 200


def test_facilitator_gets_group_languages_first_then_every_language(
        db, client, auth, staff, make_concept):
    concept = make_concept("consent", ar="الموافقة")
    data = groups.GroupInput(name="Monday", working_language="en", languages=["ti", "uk"],
                             facilitator_ids=[staff["facilitator"].id], mediator_ids=[])
    groups.create_group(db, data=data, person=staff["facilitator"])
    auth.login("anna@example.org")
    page = client.get(f"/concepts/{concept.id}").get_data(as_text=True)
    assert options(page, "Your languages and your groups' languages") == ["ti", "uk"]
    other = options(page, "Other languages")
    assert {"ps", "fa-AF", "so"} <= set(other) and "ar" not in other and "en" not in other


# Item 3: the form shows what the rendering has to say, beside the fields.

def test_term_form_shows_the_concept_and_other_renderings(db, client, auth, staff,
                                                          make_concept):
    concept = make_concept("marital rape", key="marital-rape", ar="الاغتصاب الزوجي",
                           uk="зґвалтування в шлюбі")
    concept.facilitator_note = "Say <b>married</b> partners."
    db.add(concept)
    db.commit()
    auth.login("mariam@example.org")
    page = client.get(f"/concepts/{concept.id}/terms/new?language=ps").get_data(as_text=True)
    assert 'lang="en" dir="ltr">marital rape</a></nav>' in page  # not the key
    aside = page[page.index('<aside class="term-beside"'):page.index("</aside>")]
    assert "marital rape" in aside and "Definition of marital rape." in aside
    assert "Say &lt;b&gt;married&lt;/b&gt; partners." in aside
    assert '<bdi lang="ar" dir="rtl">الاغتصاب الزوجي</bdi>' in aside
    assert '<bdi lang="uk" dir="ltr">зґвалтування в шлюбі</bdi>' in aside


# Item 4: editing an agreed rendering warns that both must sign again; Cancel.

def test_editing_an_agreed_rendering_warns_and_can_be_cancelled(db, client, auth, staff,
                                                                make_concept):
    concept = make_concept("consent", ar="الموافقة")
    agree(db, concept, "ar", staff["facilitator"], staff["samir"])
    term = next(t for t in concept_terms(db, concept) if t.language == "ar")
    auth.login("samir@example.org")
    page = client.get(f"/terms/{term.id}/edit").get_data(as_text=True)
    assert "both people must sign again" in page
    assert "Arabic: signed by Anna, Samir" in page
    assert f'href="/concepts/{concept.id}#lang-ar">Cancel</a>' in page
    other = make_concept("anger", ar="الغضب")
    term = next(t for t in concept_terms(db, other) if t.language == "ar")
    page = client.get(f"/terms/{term.id}/edit").get_data(as_text=True)
    assert "both people must sign again" not in page and ">Cancel</a>" in page


# Item 9: the history tells events as sentences in the interface language.

def test_history_is_told_in_sentences(db, client, auth, staff, make_concept):
    concept = make_concept("consent", ar="الموافقة")
    agreement = agree(db, concept, "ar", staff["facilitator"], staff["samir"])
    signoff.raise_dispute(db, agreement=agreement, person=staff["samir"],
                          comment="Too formal; a clinic word.")
    db.commit()
    signoff.resolve_dispute(db, agreement=agreement, person=staff["facilitator"],
                            resolution="Keep it, add an alternative.")
    auth.login("anna@example.org")
    page = client.get(f"/concepts/{concept.id}/history").get_data(as_text=True)
    events = page[page.index('<ul class="events">'):]
    for code in ("agreement_state", "resolve_dispute", "#", "<code>"):
        assert code not in events
    assert "Samir signed the rendering in Arabic." in events
    assert "Arabic: the agreement went from “Agreed” to “Disputed”." in events
    assert "Anna resolved the dispute on the rendering in Arabic:" in events
    assert 'proposed a rendering in Arabic: <q><bdi lang="ar" dir="rtl">الموافقة' in events
    assert "; resolved by" not in page and "Anna resolved it on" in page
    client.post("/interface-language", data={"ui_locale": "ar"})
    page = client.get(f"/concepts/{concept.id}/history").get_data(as_text=True)
    assert "signed the rendering" not in page and "Samir" in page
    auth.login("root@example.org")
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "<code>resolve_dispute</code>" not in page
    assert "Anna resolved the dispute on the rendering in Arabic:" in page


# Item 10 and the freeze refusal (item 13).

def test_draft_pack_says_how_many_concepts_are_not_agreed(db, client, auth, staff,
                                                          make_concept):
    consent = make_concept("consent", ar="الموافقة")
    anger = make_concept("anger", key="anger", ar="الغضب")
    make_concept("shame", key="shame", ar="العار")
    agree(db, consent, "ar", staff["facilitator"], staff["samir"])
    data = groups.GroupInput(name="Tuesday", working_language="en",
                             start_date=TODAY + timedelta(days=10), languages=["ar"],
                             facilitator_ids=[staff["facilitator"].id],
                             mediator_ids=[staff["samir"].id])
    group = groups.create_group(db, data=data, person=staff["facilitator"])
    groups.add_concepts(db, group=group, person=staff["facilitator"],
                        concept_ids=[consent.id, anger.id])
    with pytest.raises(Refused) as refused:
        groups.create_pack(db, group=group, language="ar", person=staff["facilitator"])
    message = str(refused.value.message)
    assert "for Arabic (anger)" in message and "anger" in message
    auth.login("anna@example.org")
    response = client.post(f"/groups/{group.id}/packs", data={"language": "ar"},
                           follow_redirects=True)
    assert "for Arabic (anger)" in response.get_data(as_text=True)
    groups.create_pack(db, group=group, language="ar", person=staff["facilitator"],
                       draft=True)
    page = client.get(f"/groups/{group.id}").get_data(as_text=True)
    assert "The pack matches the wording agreed now." not in page
    assert "1 of its 2 concepts is not agreed yet" in page



# Item 7: the "similar wording" warning on short Arabic-script words.

@pytest.mark.parametrize("stored, typed, language", [
    ("الغضب", "القضيب", "ar"),   # anger / penis
    ("غصب", "غضب", "ar"),        # coercion / anger
    ("ترس", "درس", "fa-AF"),     # fear / lesson
    ("قصہ", "غصہ", "ur"),        # story / anger
    ("غوښه", "غوسه", "ps"),      # meat / (anger, misspelled)
])
def test_different_short_arabic_script_words_are_not_similar(db, make_concept, stored,
                                                              typed, language):
    make_concept("anger", **{language.replace("-", "_"): stored})
    hits = near_duplicates(db, typed, working="en", language=language)
    assert stored not in [hit.text for hit in hits]


@pytest.mark.parametrize("stored, typed, language, why", [
    ("مسؤول", "مسئول", "ar", "variant"),          # hamza seat
    ("اغتصاب", "إغتصاب", "ar", "folded"),         # alef form
    ("موافقة", "موافقه", "ar", "folded"),         # teh marbuta
    ("قضيب", "القضيب", "ar", "affix"),            # article
    ("رضایت", "رضايت", "fa-AF", "folded"),        # Persian / Arabic yeh
    ("کودک", "كودك", "fa-AF", "folded"),          # keheh / kaf
    ("دکتر", "داکتر", "fa-AF", "variant"),        # long vowel written
    ("زورزیاتی", "زور زیاتی", "ps", "spacing"),
    ("تشدد", "تشدّد", "ur", "folded"),            # shadda
])
def test_spelling_variants_are_similar_and_say_why(db, make_concept, stored, typed,
                                                   language, why):
    make_concept("something", **{language.replace("-", "_"): stored})
    hits = near_duplicates(db, typed, working="en", language=language)
    assert stored in [hit.text for hit in hits]
    assert reason(typed, stored) == why


def test_long_words_keep_the_typo_budget():
    assert close_spelling("الاغتصاب الزوجي", "الاغتصاب الزوجى".replace("ى", "ا"))
    assert not close_spelling("القضيب", "الغضب")
    assert close_spelling("consnet", "consent")


def test_the_warning_says_why_in_the_interface_language(client, auth, staff, make_concept):
    make_concept("responsible", ar="مسؤول")
    make_concept("anger", ar="الغضب")
    auth.login("anna@example.org")
    page = client.get("/search/similar?text=مسئول&language=ar",
                      headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "مسؤول" in page and "differs only in a long vowel or the seat of a hamza" in page
    page = client.get("/search/similar?text=القضيب&language=ar",
                      headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "الغضب" not in page
    client.post("/interface-language", data={"ui_locale": "ar"})
    page = client.get("/search/similar?text=مسئول&language=ar",
                      headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "differs only" not in page and "مسؤول" in page


# Item 13: the smaller ones.

def test_confirmation_after_proposing_a_rendering(client, auth, staff, make_concept):
    concept = make_concept("consent", ar="الموافقة")
    auth.login("mariam@example.org")
    response = client.post(f"/concepts/{concept.id}/terms/new",
                           data={"language": "ps", "text": "رضایت <b>", "status": "preferred",
                                 "register": "neutral"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Your rendering in Pashto is saved: “رضایت &lt;b&gt;”." in page


def test_confirmation_after_adding_a_person(client, auth, staff):
    auth.login("root@example.org")
    response = client.post("/admin/people/new", data={
        "name": "Hawa <i>", "email": "hawa@example.org", "roles": ["mediator"],
        "languages": "so", "password": "a long enough password 1"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Hawa &lt;i&gt; was added and can sign in with the e-mail hawa@example.org." in page


def test_new_token_has_a_copy_button_for_script_and_a_field_without(client, auth, staff):
    auth.login("root@example.org")
    page = client.post("/imports/tokens", data={"person_id": staff["samir"].id,
                                                "label": "phone"}).get_data(as_text=True)
    assert re.search(r'<input id="new-token" readonly value="gl_[^"]+"', page)
    assert '<button type="button" data-copy="new-token"' in page and ">Copy</button>" in page
    assert '<script src="/static/js/copy.js" defer></script>' in page
    assert "copy.js" not in client.get("/imports/tokens").get_data(as_text=True)
    script = client.get("/static/js/copy.js")
    assert script.status_code == 200 and b"navigator.clipboard.writeText" in script.data
    script.close()


def test_api_refuses_an_unknown_language(client, auth, db, staff):
    from glossary.api_tokens import issue_token

    _row, token = issue_token(db, person=staff["samir"], label="phone", by=staff["admin"])
    db.commit()
    headers = {"Authorization": f"Bearer {token}"}
    response = client.get("/api/v1/glossary?target=xx", headers=headers)
    assert response.status_code == 400 and "Unknown language: xx" in response.get_json()["error"]
    assert client.get("/api/v1/glossary?target=so", headers=headers).status_code == 200


def test_import_preview_says_what_happened_to_an_unusable_key(app, client, auth, staff,
                                                              tmp_path):
    import io

    app.config["IMPORTS_DIR"] = str(tmp_path / "imports")
    auth.login("anna@example.org")
    data = "key;domain;term:en;term:ar\n=cmd;sexual-violence;coercion;إكراه\n".encode()
    location = client.post("/imports", data={"file": (io.BytesIO(data), "terms.csv"),
                                              "format": ""},
                           content_type="multipart/form-data").location
    page = client.get(location).get_data(as_text=True)
    section = page.split('id="h-renamed_key"')[1].split("</section>")[0]
    assert "=cmd" in section and "the concept gets the key coercion" in section
    assert "<td>2</td>" in section  # the file's line


def test_concept_list_shows_the_signed_in_persons_pair_by_default(db, client, auth, staff,
                                                                   make_concept):
    make_concept("consent", fa_AF="رضایت", ar="الموافقة")
    auth.login("mariam@example.org")
    page = client.get("/concepts").get_data(as_text=True)
    assert '<option value="ps" selected>' in page and 'class="state' in page
    data = groups.GroupInput(name="Monday", working_language="en", languages=["ar"],
                             facilitator_ids=[staff["facilitator"].id], mediator_ids=[])
    groups.create_group(db, data=data, person=staff["facilitator"])
    auth.login("anna@example.org")
    page = client.get("/concepts").get_data(as_text=True)
    assert '<option value="ar" selected>' in page and "الموافقة" in page
    assert 'class="state' in page
    page = client.get("/concepts?language=").get_data(as_text=True)
    assert "الموافقة" not in page


def test_domain_names_are_translated(client, auth, staff, make_concept):
    concept = make_concept("consent", domain="legal")
    auth.login("anna@example.org")
    client.post("/interface-language", data={"ui_locale": "de"})
    page = client.get(f"/concepts/{concept.id}").get_data(as_text=True)
    assert "Legal concepts" not in page and "Rechtliche Begriffe" in page
    listing = client.get("/concepts").get_data(as_text=True)
    assert "Rechtliche Begriffe" in listing


# Item 14: lapsed training.

def test_lapsed_training_is_told_on_sign_in_concept_page_and_profile(app, client, auth, staff,
                                                                     make_person, make_concept):
    app.config["TODAY"] = TODAY
    make_person("yonas", "mediator", "ti", trained_days_ago=800)
    make_person("tess", "trainer")
    concept = make_concept("consent", ti="ፍቓድ")
    response = client.post("/login", data={"email": "yonas@example.org",
                                           "password": "correct horse"},
                           follow_redirects=True)
    assert "Your SGBV training is not current" in response.get_data(as_text=True)
    page = client.get(f"/concepts/{concept.id}").get_data(as_text=True)
    assert "Your SGBV training lapsed on" in page
    assert "An administrator records a refresher: Root." in page
    assert "Trainers who arrange refreshers: Tess." in page
    profile = client.get("/profile").get_data(as_text=True)
    assert "lapsed since" in profile and "An administrator records a refresher: Root." in profile
    auth.login("samir@example.org")  # trained 100 days ago: nothing to say
    assert "Your SGBV training" not in client.get(f"/concepts/{concept.id}").get_data(
        as_text=True)
    assert "lapsed since" not in client.get("/profile").get_data(as_text=True)


# Item 15: flyers show the next step and a preview before download.

def test_new_flyer_shows_who_translates_it_and_the_translation_a_preview(
        app, db, client, auth, staff, make_person, make_concept):
    from glossary import flyer_templates, flyers

    app.config["TODAY"] = TODAY
    make_person("oskar", "outreach")
    make_person("yonas", "mediator", "ti", trained_days_ago=800)
    concept = make_concept("anger", key="anger", ar="الغضب")
    agree(db, concept, "ar", staff["facilitator"], staff["samir"])
    fields = {spec.key: spec.default for spec in flyer_templates.get_template("programme").fields}
    for key in set(flyer_templates.cited_keys(fields)) - {"anger"}:
        make_concept(key, key=key)
    auth.login("oskar@example.org")
    response = client.post("/flyers/new?template=programme",
                           data={"name": "Spring", "layout": "a4", **fields},
                           follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Flyer created. Next, have it translated" in page
    table = page[page.index('class="flyer-steps"'):page.index("</table>")]
    rows = {re.search(r'lang="([^"]+)"', row).group(1): row
            for row in table.split("<tr>")[2:]}
    assert "Samir" in rows["ar"] and "not started" in rows["ar"]
    assert "Mariam" in rows["ps"] and "Mariam" in rows["fa-AF"]
    assert "Training lapsed (may translate, cannot sign): Yonas" in rows["ti"]
    flyer = flyers.find_flyer(db, "Spring")
    auth.login("samir@example.org")
    client.post(f"/flyers/{flyer.id}/translations/ar",
                data={"title": "مجموعة للرجال <b>", "what": "نتحدث عن [[anger]]"})
    page = client.get(f"/flyers/{flyer.id}/translations/ar").get_data(as_text=True)
    preview = page[page.index('<article class="flyer-preview"'):page.index("</article>")]
    assert 'lang="ar" dir="rtl"' in preview
    assert "<h3>مجموعة للرجال &lt;b&gt;</h3>" in preview and "نتحدث عن الغضب" in preview
    assert "Until it is signed, every download says DRAFT." in page
    auth.login("oskar@example.org")
    page = client.get(f"/flyers/{flyer.id}").get_data(as_text=True)
    table = page[page.index('class="flyer-steps"'):page.index("</table>")]
    assert f'href="/flyers/{flyer.id}/translations/ar"' in table
