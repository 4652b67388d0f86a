"""Titles, agent words and group words → PLOVER/CAMEO-style sectors; demonym and group handling.

The sector codes follow the contract (GOV, MIL, REB, OPP, POL, CVL, MED, BUS, IGO, NGO, REL, ETH,
COP, JUD, LEG, SPY, UNK) plus the CAMEO agent codes that have no closer match (REF refugees, EDU
students and teachers, LAB labour, CRM criminals, HLH health). CAMEO's ``PTY`` (party) is ``POL``.

This module holds the *words* of titles and groups, the small closed vocabulary a resolver needs
to read "Syrian Foreign Minister", "Russian Foreign Ministry spokesperson", "the Nato chief" or
"Druze fighters". Which country a demonym or a name belongs to, and the long tail of agent words,
come from the actor knowledge base (``KB.country_of``, ``KB.sector_of``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Protocol

# Head words of a person's title → sector. Lower-case; a multi-word title is keyed by its last word
# unless a longer key matches first (``TITLE_PHRASES``). Calibrated on the seed and the PLOVER gold
# actor texts (titles seen there: president, minister, emir, general, spokesman, envoy ...).
TITLE_SECTORS: dict[str, str] = {
    # government
    "president": "GOV", "minister": "GOV", "premier": "GOV", "chancellor": "GOV", "king": "GOV",
    "queen": "GOV", "emir": "GOV", "amir": "GOV", "sultan": "GOV", "prince": "GOV", "monarch": "GOV",
    "sheikh": "GOV", "shah": "GOV", "ruler": "GOV", "leader": "GOV", "dictator": "GOV",
    "spokesperson": "GOV", "spokesman": "GOV", "spokeswoman": "GOV", "envoy": "GOV",
    "ambassador": "GOV", "diplomat": "GOV", "secretary": "GOV", "governor": "GOV", "mayor": "GOV",
    "official": "GOV", "negotiator": "GOV", "adviser": "GOV", "advisor": "GOV", "counterpart": "GOV",
    "vice-president": "GOV", "head": "GOV", "chief": "GOV", "consul": "GOV", "attache": "GOV",
    "minister-president": "GOV", "ministers": "GOV", "officials": "GOV", "diplomats": "GOV",
    "government": "GOV", "cabinet": "GOV", "authorities": "GOV", "administration": "GOV",
    "regime": "GOV", "ministry": "GOV", "presidency": "GOV", "delegation": "GOV",
    # military
    "general": "MIL", "commander": "MIL", "colonel": "MIL", "lieutenant": "MIL", "admiral": "MIL",
    "marshal": "MIL", "brigadier": "MIL", "captain": "MIL", "sergeant": "MIL", "soldier": "MIL",
    "soldiers": "MIL", "troops": "MIL", "army": "MIL", "military": "MIL", "forces": "MIL",
    "navy": "MIL", "airforce": "MIL", "jets": "MIL", "warplanes": "MIL", "militaries": "MIL",
    "paramilitaries": "MIL", "jawans": "MIL",
    # police, justice, legislature, spies
    "police": "COP", "policeman": "COP", "policemen": "COP", "officer": "COP", "officers": "COP",
    "cops": "COP", "constables": "COP", "constabulary": "COP",
    "judge": "JUD", "judges": "JUD", "court": "JUD", "prosecutor": "JUD", "prosecutors": "JUD",
    "justice": "JUD", "lawmaker": "LEG", "lawmakers": "LEG", "senator": "LEG", "senators": "LEG",
    "parliament": "LEG", "legislator": "LEG", "legislators": "LEG", "deputies": "LEG", "mp": "LEG",
    "mps": "LEG", "congressman": "LEG", "congresswoman": "LEG", "speaker": "LEG",
    "spy": "SPY", "spies": "SPY", "intelligence": "SPY", "agent": "SPY",
    # rebels, opposition, parties
    "rebel": "REB", "rebels": "REB", "insurgent": "REB", "insurgents": "REB", "militant": "REB",
    "militants": "REB", "guerrilla": "REB", "guerrillas": "REB", "militia": "REB", "militias": "REB",
    "militiamen": "REB", "fighters": "REB", "fighter": "REB", "separatists": "REB", "jihadists": "REB",
    "gunmen": "REB", "terrorists": "REB", "insurgency": "REB", "opposition": "OPP", "dissident": "OPP", "dissidents": "OPP",
    "party": "POL", "politician": "POL", "politicians": "POL", "activist": "CVL", "activists": "CVL",
    # civilians and others
    "civilians": "CVL", "civilian": "CVL", "protesters": "CVL", "protestors": "CVL",
    "demonstrators": "CVL", "residents": "CVL", "villagers": "CVL", "people": "CVL", "rioters": "CVL",
    "mob": "CVL", "crowd": "CVL", "agitators": "CVL", "workers": "LAB", "farmers": "LAB", "strikers": "LAB",
    "union": "LAB", "unions": "LAB", "students": "EDU", "student": "EDU", "teachers": "EDU",
    "refugees": "REF", "refugee": "REF", "migrants": "REF", "journalist": "MED", "journalists": "MED",
    "reporter": "MED", "reporters": "MED", "newspaper": "MED", "media": "MED", "television": "MED",
    "agency": "MED", "company": "BUS", "companies": "BUS", "firm": "BUS", "businessman": "BUS",
    "businessmen": "BUS", "bank": "BUS", "executive": "BUS", "ceo": "BUS", "chairman": "BUS",
    "cleric": "REL", "clerics": "REL", "imam": "REL", "bishop": "REL", "priest": "REL", "pope": "REL",
    "church": "REL", "mullah": "REL", "ayatollah": "REL", "rabbi": "REL", "clergy": "REL",
    "tribes": "ETH", "tribe": "ETH", "tribesmen": "ETH", "clans": "ETH", "clan": "ETH",
    "community": "ETH", "minority": "ETH", "doctors": "HLH", "hospital": "HLH",
    "criminals": "CRM", "smugglers": "CRM", "gang": "CRM", "gangs": "CRM", "pirates": "CRM",
}
# Multi-word titles whose sector differs from their last word's.
TITLE_PHRASES: dict[str, str] = {
    "defence minister": "GOV", "defense minister": "GOV", "army chief": "MIL", "chief of staff": "MIL",
    "military chief": "MIL", "police chief": "COP", "intelligence chief": "SPY", "party leader": "POL",
    "opposition leader": "OPP", "rebel leader": "REB", "secretary general": "GOV",
    "secretary-general": "GOV", "government forces": "MIL", "security forces": "MIL",
    "armed forces": "MIL", "armed groups": "REB", "armed group": "REB", "insurgent groups": "REB",
    "rebel groups": "REB", "supreme leader": "GOV", "chief justice": "JUD", "state television": "MED",
    "news agency": "MED", "state media": "MED",
}
# Words that sit inside a title without being its head ("Foreign Minister", "Minister of Strategic
# Affairs", "Special Envoy", "Foreign Ministry spokesperson").
TITLE_MODIFIERS: frozenset[str] = frozenset(
    """foreign defence defense interior home finance economy trade justice health education energy
    oil security strategic affairs state prime deputy vice acting interim former late then
    longtime long-time special senior top chief assistant under executive supreme grand crown first
    ministry department office national federal general military army navy air armed regional
    provincial presidential royal high permanent representative ex- new outgoing incoming
    caretaker transitional de facto self-declared self-proclaimed elected designate""".split()
)
# Modifiers that mark a past holder; kept in the stated role ("former President").
PAST_MODIFIERS: frozenset[str] = frozenset({"former", "late", "ex-", "ousted", "deposed", "then", "outgoing"})
# Words that may join two parts of a title ("Minister of Strategic Affairs", "Envoy to Syria").
TITLE_LINKS: frozenset[str] = frozenset({"of", "for", "to", "on", "and"})
# Heads that make a titled phrase a *role reference* to one person ("the former president",
# "his Syrian counterpart", "the Nato chief"); plurals and generic nouns are not references.
ROLE_HEADS: frozenset[str] = frozenset(
    """president minister premier chancellor king queen emir sultan prince spokesperson spokesman
    spokeswoman envoy ambassador secretary-general secretary governor mayor counterpart chief
    leader ruler commander general head""".split()
)
# Synonyms when matching a role reference against a stated role ("the Nato chief" is the person
# titled "Secretary General of NATO"; "the foreign minister" also matches "Minister of Foreign Affairs").
ROLE_SYNONYMS: dict[str, frozenset[str]] = {
    "chief": frozenset({"chief", "head", "secretary-general", "secretary", "general", "leader", "director"}),
    "head": frozenset({"chief", "head", "secretary-general", "secretary", "leader", "director"}),
    "leader": frozenset({"leader", "chief", "head", "president", "ruler", "secretary-general"}),
    "ruler": frozenset({"ruler", "president", "leader", "king", "emir", "sultan"}),
    "secretary-general": frozenset({"secretary-general", "secretary", "general", "chief", "head"}),
}
# Group words: ethnic and religious communities that are NORP when standing alone ("the Druze",
# "Sunni", "Bedouin"); a closed list of common ones, extended by any demonym the KB knows.
GROUP_NORP: dict[str, str] = {
    "druze": "ETH", "bedouin": "ETH", "bedouins": "ETH", "kurd": "ETH", "kurds": "ETH",
    "kurdish": "ETH", "alawite": "REL", "alawites": "REL", "sunni": "REL", "sunnis": "REL",
    "shia": "REL", "shiite": "REL", "shiites": "REL", "shi'ite": "REL", "muslim": "REL",
    "muslims": "REL", "moslem": "REL", "moslems": "REL", "christian": "REL", "christians": "REL",
    "jewish": "REL", "jews": "REL", "catholic": "REL", "catholics": "REL", "orthodox": "REL",
    "protestant": "REL", "protestants": "REL", "yazidi": "ETH", "yazidis": "ETH", "pashtun": "ETH",
    "pashtuns": "ETH", "tamil": "ETH", "tamils": "ETH", "hutu": "ETH", "hutus": "ETH", "tutsi": "ETH",
    "tutsis": "ETH", "rohingya": "ETH", "uyghur": "ETH", "uyghurs": "ETH", "uighur": "ETH",
    "uighurs": "ETH", "turkmen": "ETH", "assyrian": "ETH", "assyrians": "ETH", "copt": "REL",
    "copts": "REL", "coptic": "REL", "maronite": "REL", "maronites": "REL", "hindu": "REL",
    "hindus": "REL", "sikh": "REL", "sikhs": "REL", "buddhist": "REL", "buddhists": "REL",
    "baloch": "ETH", "berber": "ETH", "berbers": "ETH", "arab": "ETH", "arabs": "ETH",
    "tuareg": "ETH", "fulani": "ETH", "hazara": "ETH", "hazaras": "ETH", "tatar": "ETH",
    "tatars": "ETH", "roma": "ETH", "circassian": "ETH", "ismaili": "REL", "salafist": "REL",
    "salafi": "REL", "islamist": "REL", "islamists": "REL", "evangelical": "REL",
}
# Nouns that turn a group word or demonym before them into a group actor ("Druze fighters",
# "Sunni Bedouin tribes", "Syrian government forces", "insurgent groups").
GROUP_NOUNS: frozenset[str] = frozenset(
    """fighters tribes tribe clans clan militias militia militiamen rebels insurgents militants
    groups group forces troops soldiers gunmen community communities leaders elders officials
    authorities government army military police protesters demonstrators villagers residents
    civilians refugees factions faction minority majority population""".split()
)
# Group nouns that name an organised body: a group phrase ending in one is an ORG ("Syrian
# government forces", "Israeli officials"); other group phrases are NORP ("Druze fighters").
ORG_GROUP_NOUNS: frozenset[str] = frozenset(
    "forces troops soldiers army military police government authorities officials militia militias".split()
)
# Lower-case adjectives that make a group actor with a group noun ("armed groups", "insurgent
# groups", "government forces", "security forces", "opposition fighters").
GROUP_ADJECTIVES: frozenset[str] = frozenset(
    """armed insurgent rebel militant jihadist islamist opposition government security
    pro-government anti-government tribal sectarian paramilitary separatist""".split()
)
_WORD = re.compile(r"[\w'’-]+")


class SectorKB(Protocol):
    """What this module needs from the actor KB (``sitroom.actors.kb.KB``)."""

    def sector_of(self, word: str) -> str | None: ...  # noqa: D102

    def country_of(self, word: str) -> str | None: ...  # noqa: D102


def normalise_sector(code: str | None) -> str | None:
    """A CAMEO/Phoenix sector code in the contract's spelling (``PTY`` → ``POL``, ``~GOV`` → ``GOV``).

    Returns ``None`` for empty or placeholder codes (``***``).
    """
    if not code:
        return None
    code = code.strip().lstrip("~").upper()[:3]
    if not code.isalpha():
        return None
    return {"PTY": "POL", "JRN": "MED", "CIV": "CVL", "MOS": "REL", "CHR": "REL", "ELI": "GOV"}.get(code, code)


def title_sector(words: Sequence[str], kb: Any = None, groups: bool = True) -> str | None:
    """The sector of a title or agent phrase ("Foreign Ministry spokesperson", "government forces").

    Looks for the longest known phrase, then the head (last) word, then any word, then the KB.

    Args:
        words: the phrase's words (any case).
        kb: an actor KB with ``sector_of`` (optional).
        groups: also read ethnic and religious group words ("Sunni" → REL); off for named
            organisations ("Arab News" is not an ethnic group).
    """
    lowered = [w.lower() for w in words if w.strip()]
    if not lowered:
        return None
    text = " ".join(lowered)
    for phrase, sector in TITLE_PHRASES.items():
        if phrase in text:
            return sector
    for word in reversed(lowered):
        if word in TITLE_SECTORS:
            return TITLE_SECTORS[word]
        if groups and word in GROUP_NORP:
            return GROUP_NORP[word]
    if kb is not None:
        for candidate in (text, lowered[-1]):
            try:
                found = normalise_sector(kb.sector_of(candidate))
            except Exception:  # a KB without this word or method: no sector
                found = None
            if found:
                return found
    return None


def role_head(role: str) -> str | None:
    """The head word of a stated role ("Foreign Minister" → "minister", "Secretary General of
    NATO" → "secretary-general")."""
    words = [w.lower() for w in _WORD.findall(role)]
    text = " ".join(words)
    if "secretary general" in text or "secretary-general" in text:
        return "secretary-general"
    cut = next((i for i, w in enumerate(words) if w in TITLE_LINKS), len(words))
    for word in reversed(words[:cut] or words):
        if word in ROLE_HEADS or word in TITLE_SECTORS:
            return word
    return words[-1] if words else None


def heads_match(reference: str, stated: str) -> bool:
    """Whether a role reference's head ("chief") fits a stated role's head ("secretary-general")."""
    if reference == stated:
        return True
    return stated in ROLE_SYNONYMS.get(reference, frozenset()) or reference in ROLE_SYNONYMS.get(stated, frozenset())


def group_sector(text: str) -> str | None:
    """The sector of a group phrase: its head noun decides ("Druze fighters" → REB, "armed groups"
    → REB, "Syrian government forces" → MIL), except community nouns, where the group word does
    ("Sunni Bedouin tribes" → ETH via "tribes", "the Druze community" → ETH)."""
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return None
    phrase = title_sector(words)
    if len(words) == 1:
        return GROUP_NORP.get(words[0], phrase)
    head = words[-1]
    if head in {"community", "communities", "minority", "tribes", "tribe", "clans", "clan", "leaders", "elders"}:
        for word in reversed(words):
            if word in GROUP_NORP:
                return GROUP_NORP[word]
    return phrase
