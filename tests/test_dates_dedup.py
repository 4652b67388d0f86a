"""Publication-date cascade and near-duplicate detection."""

from __future__ import annotations

import datetime as dt

import pytest

from sitroom.article.dates import (
    date_from_dateline,
    date_from_url,
    find_dates,
    parse_published,
    resolve_published,
)
from sitroom.article.dedup import DuplicateIndex, doc_id_for
from sitroom.errors import Code, SitroomError
from sitroom.model import ArticleParts, Removed

FETCHED = dt.date(2025, 8, 2)


def test_cascade_order_input_metadata_url_text() -> None:
    parts = ArticleParts(paragraphs=["Talks were held on Thursday 31 July in the capital."], published=dt.date(2025, 7, 30))
    url = "https://news.example.org/world/2025/07/29/talks"
    assert resolve_published(parts, given=dt.date(2025, 7, 28), url=url, fetched=FETCHED) == (dt.date(2025, 7, 28), "input")
    assert resolve_published(parts, url=url, fetched=FETCHED) == (dt.date(2025, 7, 30), "metadata")
    parts.published = None
    assert resolve_published(parts, url=url, fetched=FETCHED) == (dt.date(2025, 7, 29), "url")
    # a weekday fixes the year of a date written without one: 31 July was a Thursday in 2025
    assert resolve_published(parts, fetched=FETCHED) == (dt.date(2025, 7, 31), "text")
    assert resolve_published(ArticleParts(paragraphs=["No dates here."]), fetched=FETCHED) == (None, "none")


def test_never_after_the_fetch_date() -> None:
    parts = ArticleParts(paragraphs=["Nothing."], published=dt.date(2025, 9, 1))
    # metadata in the future is skipped, and so is a URL date after the fetch
    assert resolve_published(parts, url="https://x.example/2025/09/01/a", fetched=FETCHED) == (None, "none")


def test_container_date_counts_as_metadata() -> None:
    parts = ArticleParts(paragraphs=["Nothing."])
    assert resolve_published(parts, container=dt.date(2025, 7, 1), fetched=FETCHED) == (dt.date(2025, 7, 1), "metadata")


def test_header_date_line_beats_body_dates() -> None:
    parts = ArticleParts(
        paragraphs=["The treaty was signed on 3 March 2020 and renewed on 4 May 2024."],
        removed=[Removed("navigation", "Published: 12 June 2025")],
    )
    assert resolve_published(parts, fetched=FETCHED) == (dt.date(2025, 6, 12), "text")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://a.example/2025/07/31/story", dt.date(2025, 7, 31)),
        ("https://a.example/world/2025/jul/31/story", dt.date(2025, 7, 31)),
        ("https://a.example/story-20250731-123.html", dt.date(2025, 7, 31)),
        ("https://a.example/2025-07-31/story", dt.date(2025, 7, 31)),
        ("https://a.example/story/123456", None),
        (None, None),
    ],
)
def test_url_dates(url: str | None, expected: dt.date | None) -> None:
    assert date_from_url(url, FETCHED) == expected


def test_dateline_takes_the_latest_such_day_on_or_before_the_fetch() -> None:
    assert date_from_dateline("RADDA, Yemen, Dec. 13 (UPI) -- Fighters attacked.", FETCHED) == dt.date(2024, 12, 13)
    assert date_from_dateline("LONDON (Reuters) - No date here.", FETCHED) is None


def test_find_dates_formats() -> None:
    text = "On 5 July 2025, and July 6, 2025, then 2025-07-07; a bare 8 July is too vague."
    assert find_dates(text, FETCHED) == [dt.date(2025, 7, 5), dt.date(2025, 7, 6), dt.date(2025, 7, 7)]


@pytest.mark.parametrize("value", ["31/07/2025", "2025-13-01", "tomorrow", "2999-01-01"])
def test_invalid_published(value: str) -> None:
    with pytest.raises(SitroomError) as info:
        parse_published(value, today=FETCHED)
    assert info.value.code is Code.BAD_PUBLISHED
    assert value in str(info.value)


def _story(extra: str = "", footer: str = "") -> str:
    sentences = [
        f"Sentence number {i} about the talks in the capital reports what officials said on day {i}."
        for i in range(30)
    ]
    return " ".join(sentences) + extra + footer


def test_near_duplicates_found_and_different_stories_not() -> None:
    index = DuplicateIndex(threshold=0.8, num_perm=128, shingle=5)
    first = _story()
    assert index.add(doc_id_for(first), first)[0] is None
    syndicated = _story(extra=" One more sentence added by the second outlet.", footer=" Copyright Example.")
    assert index.add(doc_id_for(syndicated), syndicated)[0] == doc_id_for(first)
    other = " ".join(f"A different report {i} describes floods in the north and rescue work by the army." for i in range(30))
    assert index.add(doc_id_for(other), other)[0] is None
    # the same body again is not its own duplicate
    assert index.add(doc_id_for(first), first)[0] is None


def test_signatures_round_trip() -> None:
    index = DuplicateIndex()
    body = _story()
    _dup, signature = index.add("a", body)
    fresh = DuplicateIndex()
    fresh.add_signature("a", signature)
    assert fresh.find(_story(extra=" Plus one line.")) == "a"


def test_header_date_beats_a_yearless_dateline() -> None:
    parts = ArticleParts(
        paragraphs=["DAMASCUS, Syria, July 19 (UPI) -- A ceasefire took hold."],
        removed=[Removed("navigation", "July 19, 2025 / 9:42 AM")],
    )
    assert resolve_published(parts, fetched=dt.date(2026, 11, 27)) == (dt.date(2025, 7, 19), "text")


def test_dateline_year_follows_the_dates_the_article_mentions() -> None:
    parts = ArticleParts(paragraphs=[
        "DAMASCUS, Syria, July 19 (UPI) -- A ceasefire took hold after clashes that began on July 13, 2025.",
    ])
    assert resolve_published(parts, fetched=dt.date(2026, 11, 27)) == (dt.date(2025, 7, 19), "text")


def test_every_pair_at_or_above_the_threshold_is_found() -> None:
    # 40 pairs of ~0.84 true Jaccard (7 words replaced in 400). LSH banded at the threshold itself
    # compares such a pair only about half the time; every pair whose estimate reaches the
    # threshold must be reported.
    reached = found = 0
    for p in range(40):
        words = [f"p{p}w{i}" for i in range(400)]
        changed = list(words)
        for j in range(7):
            changed[20 + j * 50] = f"p{p}x{j}"
        index = DuplicateIndex(threshold=0.8)
        index.add("a", " ".join(words))
        if index.minhash(" ".join(changed)).jaccard(index._hashes["a"]) >= 0.8:
            reached += 1
            found += index.find(" ".join(changed)) == "a"
    assert reached >= 20
    assert found == reached
