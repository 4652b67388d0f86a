"""Credit-string logic shared by the text cleaner and the HTML extractor (sitroom.article.credits)."""

from __future__ import annotations

import pytest

from sitroom.article.credits import (
    canonical_agency,
    credit_names,
    dateline,
    dateline_credit,
    looks_like_caption,
    parse_credit_line,
    split_caption_suffix,
    split_names,
)


@pytest.mark.parametrize(
    ("name", "canon"),
    [
        ("Associated Press", "AP"),
        ("AP Photo", "AP"),
        ("REUTERS", "Reuters"),
        ("Agence France-Presse", "AFP"),
        ("Getty", "Getty Images"),
        ("DPA", "dpa"),
        ("Tass", "TASS"),
        ("ePA", None),  # an acronym only counts in capitals
        ("Sana", None),
        ("Arab News", None),
    ],
)
def test_canonical_agency(name: str, canon: str | None) -> None:
    assert canonical_agency(name) == canon


def test_split_names_keeps_every_source_under_canonical_names() -> None:
    assert split_names("commonspace.eu with AFP, Arab News and agencies") == ["commonspace.eu", "AFP", "Arab News"]
    assert split_names("Associated Press and AP") == ["AP"]
    assert split_names("Ministry for Foreign Affairs") == ["Ministry for Foreign Affairs"]
    assert credit_names("Jane Doe for AFP") == ["AFP"]


def _credits(line: str) -> list[str] | None:
    parsed = parse_credit_line(line)
    return parsed.credits if parsed else None


def test_text_path_credits_come_out_canonical() -> None:
    assert _credits("Source: Reuters, Agence France-Presse") == ["Reuters", "AFP"]
    assert _credits("© 2025 Associated Press") == ["AP"]
    assert looks_like_caption("Protesters gather in the square on Monday. REUTERS/Jane Doe") == (
        "Protesters gather in the square on Monday.", ["Reuters"])
    caption = "Ministers meet in Baku on July 9, 2025"
    assert split_caption_suffix(f"{caption} - AFP") == (caption, ["AFP"])


def test_prose_is_not_a_caption() -> None:
    assert looks_like_caption("The plan was first reported on Monday, a diplomat told AFP.") is None
    assert looks_like_caption("Die elektronische Patientenakte (ePA)") is None
    assert looks_like_caption("Main image credit: Getty") is None  # a label, not a description


def test_one_dateline_reading_for_both_paths() -> None:
    radda = dateline("RADDA, Yemen, Dec. 13 (UPI) -- Fighters attacked.")
    assert radda is not None and radda[:2] == ("UPI", "Dec. 13")
    assert dateline_credit("LONDON (REUTERS) - Shares fell.") == "Reuters"
    assert dateline("The minister (pictured) said - nothing.") is None
    assert dateline_credit("Kyiv, Ukraine (Associated Press) — Drones struck.") == "AP"


def test_dateline_with_city_and_day_but_no_country() -> None:
    from sitroom.article.credits import dateline

    found = dateline("THE HAGUE, June 25 (Reuters) - Leaders agreed to raise spending.")
    assert found is not None and found[:2] == ("Reuters", "June 25")


def test_wire_signoff_is_a_credit_but_prose_is_not() -> None:
    from sitroom.article.credits import parse_credit_line

    line = parse_credit_line("Example Wire reporting, with Reuters.")
    assert line is not None and line.credits == ["Reuters"]
    assert parse_credit_line("Two soldiers were wounded as the army reported.") is None
    assert parse_credit_line("The minister said he was reporting to parliament.") is None
