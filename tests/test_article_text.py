"""The scraped-text cleaner, on short synthetic pages modelled on real structures (written here)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sitroom.article.text import clean_text, is_marker, is_sentence, tidy_paragraphs
from sitroom.model import ArticleParts

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_d8070a15d43086a1.txt"

TEASER_PAGE = """\
Harbour authority reopens northern port after week-long strike

The northern port reopened on Monday after dock workers ended a strike that had halted cargo for a week, the harbour authority said.

Union leaders said the agreement raised night-shift pay by 12 percent. "We got what we came for," one organiser told reporters outside the gates.

About 40 ships had been waiting offshore, according to the port's own figures.

Source: examplewire.net with Reuters and agencies. Photo: Cranes stand idle at the northern port during the strike - Reuters.

Related articles

Editor's choice
Business
Ferry operator warns of winter timetable cuts

Ferry operator warns of winter timetable cuts

The operator said fuel costs had doubled and that three routes would run only at weekends from November, pending a review by the

Popular

Editor's choice
Business
Ferry operator warns of winter timetable cuts

Ferry operator warns of winter timetable cuts

The operator said fuel costs had doubled and that three routes would run only at weekends from November, pending a review by the
"""

WIRE_PAGE = """\
Flooding forces thousands from riverside villages
By Jane Doe
Share on Facebook
Share on X

RIVERTON, Examplestan, March 3 (UPI) -- Rescue teams moved more than 3,000 people from villages along the river on Sunday as water rose above the levees.

Advertisement

The regional governor declared an emergency and asked the army for boats. Officials said two people were missing.

Read more: Dam operators deny early warnings were ignored

Forecasters expect more rain through Wednesday.

Tags: floods, Examplestan, weather
Riverton
"""

BREADCRUMB_PAGE = """\
Home > World > Europe
Published: 8 December 2024
Coalition talks collapse after budget dispute

The three parties ended coalition talks on Sunday after failing to agree on the budget, leaving the country without a government for a fourth month.

Protesters outside parliament on Sunday evening. (Reuters/Photographer Name)

The president is expected to name a caretaker cabinet this week, his office said.

You may also like

Opposition leader calls for snap election
What happens now to the budget for schools?
Markets slip as coalition uncertainty drags on

Leave a comment
12 comments
"""

HARD_WRAPPED = """\
Minister resigns over procurement inquiry

The defence minister resigned on Friday after an inquiry found that
contracts for armoured vehicles had been awarded without a tender,
the prime minister's office said in a statement late in the evening.

Auditors said the contracts were worth about 200 million euros and
that two officials had been suspended while the police investigate
the payments made to a supplier registered abroad last year.

(Reporting by John Smith; Editing by Jane Roe)
"""


def _body(parts: ArticleParts) -> str:
    return "\n\n".join(parts.paragraphs)


def test_title_body_credits_caption_and_teasers() -> None:
    parts = clean_text(TEASER_PAGE)
    assert parts.title == "Harbour authority reopens northern port after week-long strike"
    body = _body(parts)
    assert body.startswith("The northern port reopened on Monday")
    assert body.endswith("according to the port's own figures.")
    assert len(parts.paragraphs) == 3
    assert "Related" not in body and "Ferry" not in body and "Source:" not in body
    assert parts.credits == ["examplewire.net", "Reuters"]
    assert parts.photo_caption == "Cranes stand idle at the northern port during the strike"
    assert [t.title for t in parts.teasers] == ["Ferry operator warns of winter timetable cuts"]
    assert parts.teasers[0].summary and parts.teasers[0].summary.startswith("The operator said fuel costs")
    kinds = {r.kind for r in parts.removed}
    assert {"credit", "related", "teaser", "duplicate"} <= kinds
    # the duplicated Popular block is recorded as a duplicate, not a second teaser
    assert sum(1 for r in parts.removed if r.kind == "duplicate" and r.text.startswith("The operator said")) == 1


def test_wire_story_byline_share_advert_promo_and_tags() -> None:
    parts = clean_text(WIRE_PAGE)
    assert parts.title == "Flooding forces thousands from riverside villages"
    assert parts.byline == "Jane Doe"
    assert "UPI" in parts.credits
    assert parts.paragraphs == [
        "RIVERTON, Examplestan, March 3 (UPI) -- Rescue teams moved more than 3,000 people from villages along the river on Sunday as water rose above the levees.",
        "The regional governor declared an emergency and asked the army for boats. Officials said two people were missing.",
        "Forecasters expect more rain through Wednesday.",
    ]
    assert [t.title for t in parts.teasers] == ["Dam operators deny early warnings were ignored"]
    removed = {r.text: r.kind for r in parts.removed}
    assert removed["Advertisement"] == "navigation"
    assert "Share on Facebook" in removed and "Riverton" in removed


def test_breadcrumbs_date_line_inline_caption_and_comment_prompts() -> None:
    parts = clean_text(BREADCRUMB_PAGE)
    # breadcrumbs and the date line come before the headline: the first headline-like line is
    # still found as the title once the navigation is set aside
    assert parts.title == "Coalition talks collapse after budget dispute"
    body = _body(parts)
    assert body.startswith("The three parties ended coalition talks")
    assert "Home >" not in body and "Published:" not in body
    assert "Protesters outside parliament" not in body
    assert parts.photo_caption == "Protesters outside parliament on Sunday evening."
    assert "Reuters" in parts.credits
    assert body.endswith("his office said.")
    assert [t.title for t in parts.teasers] == [
        "Opposition leader calls for snap election",
        "What happens now to the budget for schools?",
        "Markets slip as coalition uncertainty drags on",
    ]
    assert all(t.summary is None for t in parts.teasers)
    assert "comment" in {r.kind for r in parts.removed}
    assert "12 comments" not in body


def test_hard_wrapped_paragraphs_are_joined_and_reporting_line_is_a_credit() -> None:
    parts = clean_text(HARD_WRAPPED)
    assert parts.title == "Minister resigns over procurement inquiry"
    assert len(parts.paragraphs) == 2
    assert parts.paragraphs[0].startswith("The defence minister resigned on Friday after an inquiry found that contracts")
    assert "\n" not in parts.paragraphs[0]
    assert not any("Reporting by" in p for p in parts.paragraphs)
    assert any(r.kind == "credit" and "Reporting by" in r.text for r in parts.removed)


def test_category_label_above_the_title() -> None:
    text = "World\nMinisters meet in the capital to discuss the disputed border\nBy Ann Lee\n\nThe two foreign ministers met on Monday, officials said."
    parts = clean_text(text)
    assert parts.title == "Ministers meet in the capital to discuss the disputed border"
    assert parts.byline == "Ann Lee"
    assert parts.paragraphs == ["The two foreign ministers met on Monday, officials said."]
    assert ("navigation", "World") in [(r.kind, r.text) for r in parts.removed]


def test_title_hint_and_repeated_headline() -> None:
    text = "Storm closes airport\nStorm closes airport\n\nFlights were cancelled on Tuesday as winds reached 120 km/h, the operator said."
    parts = clean_text(text, title_hint="Storm closes airport")
    assert parts.title == "Storm closes airport"
    assert parts.paragraphs == ["Flights were cancelled on Tuesday as winds reached 120 km/h, the operator said."]
    assert [r.kind for r in parts.removed] == ["duplicate"]


def test_marker_words_inside_prose_are_kept() -> None:
    text = (
        "Ministers meet on trade\n\n"
        "The ministers discussed related issues and the most popular proposals, officials said.\n\n"
        "Related\n\n"
        "A later paragraph of teaser text that only follows a marker."
    )
    parts = clean_text(text)
    assert parts.paragraphs[0].startswith("The ministers discussed related issues")


def test_body_resumes_after_an_inline_related_box() -> None:
    text = (
        "Talks resume in Geneva\n\n"
        "Negotiators returned to Geneva on Monday for a third round of talks on the prisoner exchange.\n\n"
        "Related\n"
        "Earlier talks ended without a deal\n\n"
        "The envoy said both delegations had brought new lists of names.\n\n"
        "A spokesperson said the talks would last until Thursday at least."
    )
    parts = clean_text(text)
    assert [t.title for t in parts.teasers] == ["Earlier talks ended without a deal"]
    assert parts.paragraphs[-2:] == [
        "The envoy said both delegations had brought new lists of names.",
        "A spokesperson said the talks would last until Thursday at least.",
    ]


def test_duplicated_long_paragraph_is_removed_but_repeated_questions_stay() -> None:
    long = "The council voted to extend the curfew by two weeks after a night of unrest in which shops were looted and two police stations were set on fire in the old town district."
    question = "What did the council decide about the curfew in the old town district after the unrest of the weekend?"
    text = f"Council extends curfew\n\n{long}\n\n{question}\n\nIt extended it.\n\n{question}\n\n{long}"
    parts = clean_text(text)
    assert parts.paragraphs.count(long) == 1
    assert parts.paragraphs.count(question) == 2


def test_tidy_paragraphs_moves_credit_lines_from_html_output() -> None:
    parts = ArticleParts(paragraphs=["Troops withdrew from the town on Friday, the ministry said.", "© 2025 AFP", "Read more: Ceasefire holds for a second day"])
    tidy_paragraphs(parts)
    assert parts.paragraphs == ["Troops withdrew from the town on Friday, the ministry said."]
    assert parts.credits == ["AFP"]
    assert parts.teasers[0].title == "Ceasefire holds for a second day"


def test_tidy_paragraphs_cuts_a_category_label_and_headline_from_the_top() -> None:
    parts = ArticleParts(
        title="Prisoner exchange brings home 300 soldiers",
        paragraphs=["Nation & World", "Prisoner exchange brings home 300 soldiers", "Buses carried the soldiers across the border on Friday."],
    )
    tidy_paragraphs(parts)
    assert parts.paragraphs == ["Buses carried the soldiers across the border on Friday."]
    kept = ArticleParts(title="Storm hits coast", paragraphs=["Update", "The storm reached the coast on Monday."])
    tidy_paragraphs(kept)
    assert kept.paragraphs == ["Update", "The storm reached the coast on Monday."]


@pytest.mark.parametrize(
    ("line", "expected"),
    [("Related articles", True), ("Editor's choice", True), ("You may also like", True), ("Most read", True),
     ("Popular", True), ("Tags", True), ("The related talks continued", False), ("Russia", False)],
)
def test_markers(line: str, expected: bool) -> None:
    assert is_marker(line) is expected


def test_sentence_shape() -> None:
    assert is_sentence("The port reopened on Monday.")
    assert not is_sentence("NATO chief says war is on Europe's doorstep, and warns against complacency")


@pytest.mark.shared
@pytest.mark.skipif(not SEED.is_file(), reason="../shared/seed is absent")
def test_seed_page() -> None:
    text = SEED.read_text(encoding="utf-8")
    parts = clean_text(text)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert parts.title == lines[0]
    body = _body(parts)
    # nothing from "Related articles" on remains in the body
    tail_start = text.index("Related articles")
    for line in text[tail_start:].splitlines():
        if len(line.split()) >= 3:
            assert line.strip() not in body
    # every sentence before the Source: line is kept
    source_at = text.index("Source:")
    for paragraph in text[:source_at].split("\n\n")[1:]:
        for sentence in re.split(r"(?<=[.!?])\s+", paragraph.strip()):
            if sentence:
                assert sentence.replace("\u00a0", " ").strip() in body.replace("\u00a0", " ")
    assert parts.photo_caption and parts.photo_caption.startswith("Syrian Foreign Minister")
    assert len(parts.credits) == 3 and "AFP" in parts.credits
    assert len(parts.teasers) == 2
    assert all(t.summary for t in parts.teasers)
