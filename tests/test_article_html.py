"""HTML article extraction (body, captions, credits, teasers, metadata) and the extraction metrics."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

import pytest

from sitroom.article.html import choose_body, extract_html, html_fragment_paragraphs
from sitroom.article.credits import credit_names, dateline_credit, split_caption_credit
from sitroom.errors import Code, SitroomError
from sitroom.eval.extraction import (
    aggregate,
    evaluate_extraction,
    format_extraction_table,
    match,
)

FIXTURES = Path(__file__).parent / "fixtures" / "html"


def _page(name: str):
    html = (FIXTURES / name).read_text(encoding="utf-8")
    return extract_html(html, url=f"https://example.org/news/{name}")


@pytest.fixture(scope="module")
def harbour():
    return _page("harbour_report.html")


@pytest.fixture(scope="module")
def wire():
    return _page("wire_story.html")


# --------------------------------------------------------------------------------------------
# body
# --------------------------------------------------------------------------------------------


def test_body_paragraphs_kept_in_order(harbour):
    body = "\n\n".join(harbour.paragraphs)
    assert harbour.paragraphs[0].startswith("PORTHAVEN (Reuters) - The regional ferry operator")
    assert "Engineers from the harbour authority" in body
    assert harbour.paragraphs[-1].startswith("Forecasters expect calmer weather")
    assert all(p == " ".join(p.split()) and p for p in harbour.paragraphs)


@pytest.mark.parametrize(
    "boilerplate",
    ["Business", "Share on Facebook", "Email this story", "Reader one wrote", "crumbling for ages",
     "All rights reserved", "Privacy policy", "Island council asks government"],
)
def test_navigation_share_comments_footer_related_not_in_body(harbour, boilerplate):
    assert boilerplate not in "\n\n".join(harbour.paragraphs)


def test_headline_not_repeated_as_first_paragraph(harbour):
    assert harbour.title == "Ferry service to northern islands suspended after storm damage"
    assert harbour.paragraphs[0] != harbour.title


def test_comments_recorded_as_removed(harbour):
    comments = [r.text for r in harbour.removed if r.kind == "comment"]
    assert any("Reader two wrote" in c for c in comments)


# --------------------------------------------------------------------------------------------
# captions and credits
# --------------------------------------------------------------------------------------------


def test_captions_found_and_not_in_body(harbour):
    assert harbour.photo_caption == "Waves break over the damaged pier at the harbour entrance on Saturday."
    captions = [r.text for r in harbour.removed if r.kind == "caption"]
    assert any(c.startswith("Waves break over the damaged pier") for c in captions)
    assert any(c.startswith("Fishing boats sheltering") for c in captions)
    body = "\n\n".join(harbour.paragraphs)
    assert "Waves break over" not in body
    assert "Fishing boats sheltering" not in body


def test_caption_paragraph_inside_body_is_cut(wire):
    assert wire.photo_caption == "Delegates arrive at the guest house where the talks were held."
    assert "Delegates arrive" not in "\n\n".join(wire.paragraphs)
    assert len(wire.paragraphs) == 4


def test_credits_from_caption_suffix_credit_element_meta_and_dateline(harbour):
    # caption "Photo: Jane Doe/AFP", caption "(AP Photo/John Roe)", <span class="image-credit">,
    # <meta name="author" content="Reuters"> and the "PORTHAVEN (Reuters) -" dateline
    assert harbour.credits == ["AFP", "AP", "Getty Images", "Reuters"]
    assert any(r.kind == "credit" and r.text == "Getty Images" for r in harbour.removed)


def test_credit_from_upi_dateline(wire):
    assert "UPI" in wire.credits
    assert "Reuters" in wire.credits  # from the caption's " - Reuters" suffix
    assert wire.credits.count("Reuters") == 1


def test_footer_copyright_is_not_a_credit(harbour):
    assert not any("Coastal Ledger" in c for c in harbour.credits)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("RADDA, Yemen, Dec. 13 (UPI) -- Negotiators met.", "UPI"),
        ("LONDON (Reuters) - Shares fell.", "Reuters"),
        ("WASHINGTON (AP) — The Senate voted.", "AP"),
        ("The minister (pictured) said - nothing.", None),
        ("Officials said on Monday that talks would resume.", None),
    ],
)
def test_dateline_credit(text, expected):
    assert dateline_credit(text) == expected


@pytest.mark.parametrize(
    ("caption", "text", "names"),
    [
        ("Smoke rises over the port. Photo: John Smith/AFP", "Smoke rises over the port.", ["AFP"]),
        ("Crowds in the square (Photo: Reuters)", "Crowds in the square", ["Reuters"]),
        ("A rescue team at work - AFP", "A rescue team at work", ["AFP"]),
        ("The plant at dusk (AP Photo/Jane Roe)", "The plant at dusk", ["AP"]),
        ("Marmots in a fieldCredit: EPA", "Marmots in a field", ["EPA"]),
        ("The old bridge, seen from the east bank", "The old bridge, seen from the east bank", []),
    ],
)
def test_caption_credit_split(caption, text, names):
    got_text, credit = split_caption_credit(caption)
    assert got_text == text
    assert (credit_names(credit) if credit else []) == names


def test_credit_names_canonical_and_agencies_only():
    assert credit_names("Photo: David Roe, STF / Associated Press") == ["AP"]
    assert credit_names("Getty Images via AFP") == ["Getty Images", "AFP"]
    assert credit_names("Photo: Maria Example") == ["Maria Example"]
    assert credit_names("Photo: Maria Example", agencies_only=True) == []
    assert credit_names("All rights reserved") == []


# --------------------------------------------------------------------------------------------
# teasers
# --------------------------------------------------------------------------------------------


def test_teasers_from_related_aside(harbour):
    titles = [t.title for t in harbour.teasers]
    assert titles == [
        "Island council asks government for emergency repair funds",
        "Storm season brings record wave heights along the coast",
    ]
    assert harbour.teasers[0].summary == "Councillors say the harbour has needed new supports for years."
    assert any(r.kind == "related" and "Storm season" in r.text for r in harbour.removed)


def test_teasers_from_block_named_by_its_heading(wire):
    titles = [t.title for t in wire.teasers]
    assert titles[0] == "Aid convoy reaches besieged district after weeks of waiting"
    assert wire.teasers[0].summary == "Trucks carried flour, fuel and medicine."
    assert len(titles) == 3
    assert "Central bank" not in "\n\n".join(wire.paragraphs)


def test_no_teaser_comes_from_the_body(harbour, wire):
    for parts in (harbour, wire):
        body = "\n\n".join(parts.paragraphs)
        assert not any(t.title in body for t in parts.teasers)


def test_navigation_links_are_not_teasers(wire):
    assert not any(t.title in ("Home", "Topics", "Log in", "About", "RSS") for t in wire.teasers)


# --------------------------------------------------------------------------------------------
# metadata and odd input
# --------------------------------------------------------------------------------------------


def test_metadata(harbour, wire):
    assert harbour.published == dt.date(2021, 3, 14)
    assert harbour.site == "Coastal Ledger"
    assert harbour.language == "en"
    assert wire.title == "Talks on prisoner exchange resume in mountain town"
    assert wire.published == dt.date(2019, 12, 13)


def test_bad_date_is_none():
    html = (FIXTURES / "wire_story.html").read_text(encoding="utf-8")
    parts = extract_html(html.replace('content="2019-12-13"', 'content="the 45th of Smarch"'))
    assert parts.published is None
    assert parts.paragraphs


@pytest.mark.parametrize(
    "html",
    ["", "   ", "<html><body></body></html>", "<html><head><title>x</title></head><body><nav><a href='/'>Home</a></nav></body></html>"],
)
def test_empty_page_gives_empty_paragraphs(html):
    parts = extract_html(html)
    assert parts.paragraphs == []


def test_fragment_paragraphs_split_on_blocks():
    frag = "<div><p>One  two</p><p>three<br>four</p><ul><li>five</li></ul></div>"
    assert html_fragment_paragraphs(frag) == ["One two", "three", "four", "five"]


def test_second_opinion_only_when_it_continues_the_first():
    first = [f"Paragraph {i} of the opening reports what happened in a plain sentence of words." for i in range(6)]
    prose = "This later paragraph carries on with the story in full sentences of ordinary length too."
    second = first + [prose] * 8
    body, which = choose_body(first, second)
    assert which == "second" and body == second
    # a second opinion that adds only short lines, or disagrees, or is absent, is ignored
    assert choose_body(first, first + ["Share", "Home", "Sign up"] * 30)[1] == "first"
    assert choose_body(first, [prose] * 20)[1] == "first"
    assert choose_body(first, [])[1] == "first"
    # a stub first extraction gives way to a substantial second one
    assert choose_body(["Text size"], [prose] * 10) == ([prose] * 10, "second")
    assert choose_body([], ["Home"]) == ([], "first")


# --------------------------------------------------------------------------------------------
# metrics
# --------------------------------------------------------------------------------------------


def test_token_and_shingle_match_by_hand():
    # gold tokens: the, cat, sat, on, the, mat (6); predicted: the, cat, sat (3) -> all 3 match
    m = match("the cat sat on the mat", "the cat sat", n=1)
    assert (m.tp, m.fp, m.fn) == (3, 0, 3)
    assert m.precision == 1.0 and m.recall == 0.5
    # gold 4-shingles: (the cat sat on) (cat sat on the) (sat on the mat); the 3-token prediction
    # is one short shingle (the cat sat), matching none
    s = match("the cat sat on the mat", "the cat sat", n=4)
    assert (s.tp, s.fp, s.fn) == (0, 1, 3)
    # case is kept, as in the benchmark's tokeniser
    assert match("The", "the").tp == 0


def test_aggregate_by_hand():
    pages = [match("the cat sat on the mat", "the cat sat"), match("a b", "")]
    got = aggregate(pages)
    # precision only over pages with a prediction: 1.0; recall over both: (0.5 + 0) / 2
    assert got["precision"] == pytest.approx(1.0)
    assert got["recall"] == pytest.approx(0.25)
    assert got["f1"] == pytest.approx(2 * 1.0 * 0.25 / 1.25)  # 0.4
    # micro: tp 3, fp 0, fn 3 + 2 -> 2*3 / (2*3 + 0 + 5)
    assert got["micro_f1"] == pytest.approx(6 / 11)


def test_evaluate_extraction_on_a_tiny_data_dir(tmp_path):
    html = (FIXTURES / "wire_story.html").read_bytes()
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "p1.html.gz").write_bytes(gzip.compress(html))
    gold = "\n\n".join(_page("wire_story.html").paragraphs)
    (tmp_path / "ground-truth.json").write_text(json.dumps({"p1": {"articleBody": gold, "url": None}}))
    seen = []
    rows = evaluate_extraction(tmp_path, progress=lambda done, total: seen.append((done, total)))
    assert [r["system"] for r in rows] == ["sitroom", "trafilatura (precision)"]
    assert rows[0]["token_f1"] == pytest.approx(1.0)
    assert seen[-1] == (2, 2)
    table = format_extraction_table(rows)
    lines = table.splitlines()
    assert lines[0].startswith("system") and "tok F1" in lines[0] and "4g F1" in lines[0]
    assert len({len(line) for line in lines[:2]}) == 1  # header and rule line up
    assert "sitroom" in lines[2]


def test_missing_data_dir_raises_no_data(tmp_path):
    with pytest.raises(SitroomError) as err:
        evaluate_extraction(tmp_path / "absent")
    assert err.value.code is Code.NO_DATA
    (tmp_path / "empty").mkdir()
    with pytest.raises(SitroomError) as err:
        evaluate_extraction(tmp_path / "empty")
    assert err.value.code is Code.NO_DATA
