"""The shipped actor knowledge base (sitroom/data/actors_kb.json.gz): look-ups, fuzzy matching,
dated roles, countries and the agent lexicon. Runs on the shipped file only (no ../shared)."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from sitroom.actors import KB, KBEntry, Role, load_kb
from sitroom.actors.kb import normalize, skeleton


@pytest.fixture(scope="module")
def kb() -> KB:
    return load_kb()


def one(kb: KB, name: str) -> KBEntry:
    found = kb.lookup(name)
    assert found, name
    return found[0]


def test_load_is_cached_and_fast() -> None:
    load_kb.cache_clear()
    started = time.perf_counter()
    first = load_kb()
    assert time.perf_counter() - started < 2.0  # measured ~0.15 s; generous for slow CI
    assert load_kb() is first
    assert len(first) > 20000


def test_normalize_folds_particles_case_punctuation() -> None:
    assert normalize("Asaad Al-Shibani") == normalize("asaad al shibani") == "asaad shibani"
    assert normalize("Syria's") == "syria"
    assert normalize("U.N.") == normalize("UN") == "un"
    assert normalize("the United Nations") == "united nations"
    assert normalize("Erdoğan") == "erdogan"
    assert skeleton("Asaad al-Shaibani") == skeleton("Asad Al-Shibani")


@pytest.mark.parametrize("name", ["Asaad al-Shaibani", "Asaad Hassan al-Shaibani", "al-Shibani",
                                  "Asaad Al-Shibani", "ASAAD AL-SHAIBANI", "Asaad al Shaibani"])
def test_shaibani_variants_are_one_entry(kb: KB, name: str) -> None:
    entry = one(kb, name)
    assert entry.kb_id == "person:asaad-al-shaibani"
    assert (entry.type, entry.country, entry.sector) == ("PERSON", "SYR", "GOV")


def test_assads_are_distinct(kb: KB) -> None:
    bashar = one(kb, "Bashar Assad")
    assert bashar is one(kb, "Bashar al-Assad")
    hafez = one(kb, "Hafez al-Assad")
    assert bashar.kb_id != hafez.kb_id
    fuzzy_ids = [e.kb_id for e, _ in kb.fuzzy("Bashar al-Asad")]
    assert fuzzy_ids[0] == bashar.kb_id and hafez.kb_id not in fuzzy_ids
    assert bashar.kb_id not in [e.kb_id for e, _ in kb.fuzzy("Hafez Assad")]


def test_sharaa_and_jolani_are_one_person(kb: KB) -> None:
    assert one(kb, "Abu Mohammed al-Jolani") is one(kb, "Ahmad Al-Sharaa")


@pytest.mark.parametrize(("name", "country"), [
    ("Sergey Lavrov", "RUS"), ("Sergei Lavrov", "RUS"), ("Maria Zakharova", "RUS"),
    ("Vladimir Putin", "RUS"), ("Ron Dermer", "ISR"), ("Ahmed al-Sharaa", "SYR"),
])
def test_seed_persons(kb: KB, name: str, country: str) -> None:
    entry = one(kb, name)
    assert entry.type == "PERSON" and entry.country == country


@pytest.mark.parametrize(("name", "kb_id", "sector"), [
    ("UN", "org:un", "IGO"), ("U.N.", "org:un", "IGO"), ("Nato", "org:nato", "IGO"),
    ("Hezbollah", "org:hezbollah", "REB"), ("Ansar Allah", "org:houthis", "REB"),
    ("Islamic State", "org:isis", "REB"), ("ISIL", "org:isis", "REB"), ("HTS", "org:hts", "REB"),
    ("RSF", "org:rsf-sudan", "REB"), ("Doctors Without Borders", "org:msf", "NGO"),
])
def test_organisations(kb: KB, name: str, kb_id: str, sector: str) -> None:
    entry = one(kb, name)
    assert (entry.kb_id, entry.type, entry.sector) == (kb_id, "ORG", sector)


def test_fuzzy_transliterations(kb: KB) -> None:
    best, score = kb.fuzzy("Asaad al-Shibany")[0]
    assert best.kb_id == "person:asaad-al-shaibani" and 0.8 <= score <= 1.0
    assert kb.fuzzy("Volodymyr Zelenskyi")[0][0].kb_id == "person:volodymyr-zelensky"
    assert kb.fuzzy("Sergei Lavrof")[0][0].kb_id == "person:sergey-lavrov"
    assert kb.fuzzy("Zzyzx Qwertyuiop") == []
    assert len(kb.fuzzy("Mohammed", limit=3)) <= 3


def test_role_on_picks_role_by_date(kb: KB) -> None:
    sharaa = one(kb, "Ahmed al-Sharaa")
    assert kb.role_on(sharaa, dt.date(2020, 6, 1)).sector == "REB"
    assert kb.role_on(sharaa, dt.date(2025, 6, 1)).title == "President"
    assert kb.role_on(sharaa, None).title == "President"
    assert kb.role_on(sharaa, dt.date(2010, 1, 1)) is None
    bashar = one(kb, "Bashar al-Assad")
    assert kb.role_on(bashar, dt.date(2015, 3, 1)).title == "President"
    assert kb.role_on(bashar, dt.date(2025, 3, 1)) is None
    putin = one(kb, "Vladimir Putin")
    assert kb.role_on(putin, dt.date(2010, 1, 1)).title == "Prime Minister"
    assert kb.role_on(putin, dt.date(2024, 1, 1)).title == "President"


def test_role_on_distrusts_open_phoenix_roles_after_horizon(kb: KB) -> None:
    role = Role("government official", "AFG", "GOV", dt.date(2001, 12, 22), None, "phoenix")
    entry = KBEntry("person:test", "Test", "PERSON", "AFG", "GOV", ("Test",), (role,))
    assert kb.role_on(entry, dt.date(2010, 1, 1)) == role
    assert kb.role_on(entry, dt.date(2022, 1, 1)) is None
    assert kb.role_on(KBEntry("x:y", "Y", "ORG", None, None, ("Y",)), None) is None


@pytest.mark.parametrize(("word", "iso3"), [
    ("Syrian", "SYR"), ("Syria", "SYR"), ("Syria's", "SYR"), ("Syrians", "SYR"), ("SYR", "SYR"),
    ("Israeli", "ISR"), ("Russian", "RUS"), ("Emirati", "ARE"), ("Emiratis", "ARE"),
    ("U.S.", "USA"), ("US", "USA"), ("American", "USA"), ("British", "GBR"), ("UK", "GBR"),
    ("Palestinian", "PSE"), ("North Korean", "PRK"), ("Türkiye", "TUR"), ("Dutch", "NLD"),
])
def test_country_of(kb: KB, word: str, iso3: str) -> None:
    assert kb.country_of(word) == iso3


@pytest.mark.parametrize("word", ["Damascus", "Moscow", "Kurdish", "Druze", "Korean", "ARE", "IN",
                                  "banana", "", "   ", "سوريا", "Сирия", "叙利亚", "!!!"])
def test_country_of_unknown_or_ambiguous(kb: KB, word: str) -> None:
    assert kb.country_of(word) is None


def test_country_name_and_info(kb: KB) -> None:
    assert kb.country_name("SYR") == "Syria"
    assert kb.country_name("ARE") == "United Arab Emirates"
    assert kb.country_name("XXX") is None
    info = kb.country_info("SYR")
    assert info["iso2"] == "SY" and info["capital"] == "Damascus" and "Syrian" in info["demonyms"]


@pytest.mark.parametrize(("word", "sector"), [
    ("minister", "GOV"), ("Foreign Minister", "GOV"), ("rebels", "REB"), ("police", "COP"),
    ("riot police", "COP"), ("protesters", "OPP"), ("spokesperson", "GOV"), ("soldiers", "MIL"),
    ("journalists", "MED"), ("judge", "JUD"), ("lawmakers", "LEG"), ("militants", "REB"),
])
def test_sector_of(kb: KB, word: str, sector: str) -> None:
    assert kb.sector_of(word) == sector


@pytest.mark.parametrize("word", ["", "xyzzy", "人", "Сирия"])
def test_sector_of_unknown(kb: KB, word: str) -> None:
    assert kb.sector_of(word) is None


@pytest.mark.parametrize("name", ["بشار الأسد", "Башар Асад", "巴沙尔", "", "   ", "--", "'s",
                                  "A" * 5000, "al-", "The"])
def test_odd_input_does_not_crash(kb: KB, name: str) -> None:
    assert isinstance(kb.lookup(name), list)
    assert isinstance(kb.fuzzy(name), list)
    kb.country_of(name)
    kb.sector_of(name)


def test_unknown_names(kb: KB) -> None:
    assert kb.lookup("Xavier Quuxington") == []
    assert kb.lookup("Hmeimim") == [] and kb.lookup("Sweida") == []  # places, not actors
    assert kb.get("person:nobody") is None


def test_ruler_patterns_are_focused(kb: KB) -> None:
    patterns = kb.ruler_patterns()
    assert {p["label"] for p in patterns} <= {"PERSON", "ORG", "NORP", "GPE"}
    texts = {(p["label"], p["pattern"] if isinstance(p["pattern"], str) else p["pattern"][0]["TEXT"])
             for p in patterns}
    assert ("PERSON", "Asaad al-Shaibani") in texts
    assert ("NORP", "Syrian") in texts and ("GPE", "Syria") in texts
    assert ("ORG", "NATO") in texts and ("ORG", "Hezbollah") in texts
    lowered = {t.lower() for _, t in texts}
    for word in ("army", "police", "government", "is", "who", "president"):
        assert word not in lowered
    assert all(p["id"] for p in patterns)


def test_ruler_patterns_load_into_spacy(kb: KB) -> None:
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
    ruler.add_patterns(kb.ruler_patterns())
    doc = nlp("Syrian Foreign Minister Asaad al-Shaibani met NATO and UN officials in Damascus.")
    found = {(e.text, e.label_, e.ent_id_) for e in doc.ents}
    assert ("Syrian", "NORP", "country:SYR") in found
    assert ("Asaad al-Shaibani", "PERSON", "person:asaad-al-shaibani") in found
    assert ("NATO", "ORG", "org:nato") in found and ("UN", "ORG", "org:un") in found


def test_fuzzy_candidates_by_length_are_those_of_the_full_scan(kb: KB) -> None:
    # Only keys of a length that can reach the cutoff are compared; the hits, their order and
    # their ties must be those of one process.extract over every key.
    from rapidfuzz import fuzz, process

    from sitroom.actors.kb import FUZZY_CUTOFF, _token_skeleton, tokens

    kb.fuzzy("warm up")  # builds the keys
    names = ["Mohammed bin Salman", "Muhammad Bin Salman", "Kadhafi", "Abu Mohammad al-Julani", "Asaad al-Shibani",
             "Vladimir Putin", "Volodymyr Zelenskyy", "Xi", "Li Qiang", "Hezbollah", "Hayat Tahrir al-Sham",
             "Benjamin Netanyahu", "Recep Tayyip Erdoğan", "Ali Khamenei", "Ahmed al-Sharaa", "Emmanuel Macron"]
    for name in names:
        skeleton = " ".join(_token_skeleton(t) for t in tokens(name))
        full = [(score, pos) for _, score, pos in
                process.extract(skeleton, kb._fuzzy_keys, scorer=fuzz.ratio, limit=100, score_cutoff=FUZZY_CUTOFF)]
        assert kb._close_skeletons(skeleton, 100) == full, name
    assert any(kb._close_skeletons(" ".join(_token_skeleton(t) for t in tokens(n)), 100) for n in names)
