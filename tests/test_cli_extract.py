"""`sitroom extract`: JSON Lines in input order, per-input errors, exit status, and the NLP stage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from sitroom.cli import main
from sitroom.model import Document

STORY = """\
Port workers end strike after pay deal

Dock workers in Northport ended their strike on Tuesday after the harbour company agreed to raise night-shift pay, union leader Maria Lopez said.

The strike had halted cargo for a week. About 40 ships waited offshore, the harbour company said.
"""

HTML = """<!doctype html><html><head><title>Rescue teams reach flooded villages</title>
<meta property="article:published_time" content="2025-03-04T08:00:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Rescue teams reach flooded villages</h1>
<p>Rescue teams reached three flooded villages in the river valley on Monday, moving hundreds of residents to shelters in the regional capital.</p>
<p>The regional governor said the army had sent boats and helicopters, and that two people were still missing after the levee broke overnight.</p>
<p>Forecasters expect more rain through Wednesday, the national weather service said in a statement.</p>
</article><footer>Copyright Example News</footer></body></html>
"""


def _write(tmp_path: Path) -> dict[str, Path]:
    files = {
        "story": tmp_path / "a_story.txt",
        "page": tmp_path / "b_page.html",
        "empty": tmp_path / "c_empty.txt",
        "binary": tmp_path / "d_binary.txt",
    }
    files["story"].write_text(STORY, encoding="utf-8")
    files["page"].write_text(HTML, encoding="utf-8")
    files["empty"].write_text("", encoding="utf-8")
    files["binary"].write_bytes(b"%PDF-1.7\x00\x01\x02" * 50)
    return files


def _run(*args: str, stdin: str | None = None):  # noqa: ANN202
    return CliRunner().invoke(main, list(args), input=stdin)


def test_article_stage_in_input_order_with_errors_on_stderr(tmp_path: Path) -> None:
    files = _write(tmp_path)
    result = _run("extract", "--stage", "article", str(files["page"]), str(files["empty"]), str(files["story"]), str(files["binary"]))
    assert result.exit_code == 1
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["source"]["path"] for r in records] == [str(files["page"]), str(files["story"])]
    assert records[0]["article"]["title"] == "Rescue teams reach flooded villages"
    assert records[0]["article"]["published"] == "2025-03-04"
    assert records[0]["article"]["published_from"] == "metadata"
    assert records[1]["entities"] == []  # no language model at the article stage
    errors = result.stderr.splitlines()
    assert len(errors) == 2
    assert errors[0].startswith("sitroom: E002 ") and str(files["empty"]) in errors[0]
    assert errors[1].startswith("sitroom: E003 ") and str(files["binary"]) in errors[1]
    assert "Traceback" not in result.output


def test_published_and_url_options(tmp_path: Path) -> None:
    files = _write(tmp_path)
    result = _run("extract", "--stage", "article", "--published", "2025-07-31", "--url", "https://www.example.org/a", str(files["story"]))
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["article"]["published"] == "2025-07-31"
    assert record["article"]["published_from"] == "input"
    assert record["source"]["url"] == "https://www.example.org/a"
    assert record["source"]["site"] == "example.org"


def test_invalid_published_is_a_coded_error(tmp_path: Path) -> None:
    files = _write(tmp_path)
    result = _run("extract", "--published", "31.07.2025", str(files["story"]))
    assert result.exit_code == 1
    assert result.stderr.startswith("sitroom: E011 --published:")
    assert result.stdout == ""


def test_stdin_and_missing_file(tmp_path: Path) -> None:
    result = _run("extract", "--stage", "article", "-", str(tmp_path / "nope.html"), stdin=STORY)
    assert result.exit_code == 1
    assert json.loads(result.stdout)["article"]["title"] == "Port workers end strike after pay deal"
    assert "E001" in result.stderr and "nope.html" in result.stderr


def test_unsupported_type(tmp_path: Path) -> None:
    path = tmp_path / "sheet.xlsx"
    path.write_bytes(b"PK\x03\x04 not really")
    result = _run("extract", str(path))
    assert result.exit_code == 1
    assert "E004" in result.stderr


def test_near_duplicate_within_a_batch(tmp_path: Path) -> None:
    base = " ".join(f"Paragraph sentence {i} reports the talks between the two ministers in the capital city." for i in range(25))
    (tmp_path / "one.txt").write_text(f"Ministers meet\n\n{base}\n", encoding="utf-8")
    (tmp_path / "two.txt").write_text(f"Ministers meet in capital\n\n{base} A second outlet adds one sentence here.\n", encoding="utf-8")
    result = _run("extract", "--stage", "article", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first["duplicate_of"] is None
    assert second["duplicate_of"] == first["doc_id"]


@pytest.mark.model
def test_nlp_stage_with_the_real_model(tmp_path: Path) -> None:
    files = _write(tmp_path)
    result = _run("extract", "--stage", "nlp", str(files["story"]), str(files["page"]))
    assert result.exit_code == 0, result.stderr
    validator = Draft202012Validator(Document.json_schema())
    records = [json.loads(line) for line in result.stdout.splitlines()]
    for record in records:
        validator.validate(record)
        body = record["article"]["body"]
        for entity in record["entities"]:
            for mention in entity["mentions"]:
                assert body[mention["start"]:mention["end"]] == mention["text"]
    names = {(e["name"], e["type"]) for e in records[0]["entities"]}
    assert ("Maria Lopez", "PERSON") in names
    # the headline is not part of the body, so it never merges into the first sentence
    assert not records[0]["article"]["body"].startswith("Port workers")


@pytest.mark.parametrize("name", ["extraction", "ner", "actors", "time", "geo", "events"])
def test_eval_says_when_the_data_is_absent(tmp_path: Path, name: str) -> None:
    result = _run("eval", name, "--data", str(tmp_path / "absent"))
    assert result.exit_code == 1
    assert result.stderr.startswith("sitroom: E017 ")
    assert "absent" in result.stderr


TEASER_PAGE = """\
Ministers meet in the capital to discuss the border

The foreign ministers of the two countries met in the capital on Monday to discuss the border, officials said.

Related articles

Rebels attack convoy near the northern border

Rebels attacked an army convoy near the northern border on Sunday, killing three soldiers, the army said.
"""


@pytest.mark.model
def test_teaser_events_are_kept_apart(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text(TEASER_PAGE, encoding="utf-8")
    result = _run("extract", "--published", "2025-03-04", str(path))
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    body = record["article"]["body"]
    assert "Rebels" not in body
    main = [e for e in record["events"] if e["section"] == "main"]
    teaser = [e for e in record["events"] if e["section"] == "teaser"]
    assert any(e["type"] == "CONSULT" for e in main)
    assert not any(e["type"] == "ASSAULT" for e in main)
    assault = next(e for e in teaser if e["type"] == "ASSAULT")
    assert assault["teaser"] == 0
    t = record["article"]["teasers"][0]
    text = f"{t['title']}\n\n{t['summary']}"
    assert text[assault["evidence"]["start"]:assault["evidence"]["end"]] == assault["evidence"]["text"]
    for event in main:
        assert body[event["evidence"]["start"]:event["evidence"]["end"]] == event["evidence"]["text"]
    ids = {e["id"] for e in record["entities"]}
    assert all(s in ids for e in record["events"] for s in e["sources"] + e["targets"])
