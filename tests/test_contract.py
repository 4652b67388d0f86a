"""The output contract: our generated schema, its agreement with ../shared/contract, and span offsets."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from sitroom.model import Document
from sitroom.pipeline import article_document
from sitroom.model import RawPage

CONTRACT = Path(__file__).resolve().parents[2] / "shared" / "contract" / "document.schema.json"
FIXTURES = Path(__file__).parent / "fixtures"

PAGE = """\
Ceasefire holds in border town for second day

The ceasefire announced on Sunday held for a second day in the border town, residents said, as aid convoys reached the main hospital.

A spokesperson for the regional government said 40 trucks had crossed. "The roads are open," she said.

Source: examplewire.net with AFP. Photo: Aid trucks queue at the crossing - AFP.

Related articles
Talks on prisoner exchange to resume

Talks on prisoner exchange to resume
"""


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """Follow $ref and drop the null branch of an optional (anyOf [X, null])."""
    while True:
        if "$ref" in node:
            node = schema["$defs"][node["$ref"].split("/")[-1]]
        elif "anyOf" in node:
            branches = [b for b in node["anyOf"] if b.get("type") != "null"]
            if len(branches) != 1:
                return node
            node = branches[0]
        else:
            return node


def _enum(node: dict[str, Any]) -> set[Any] | None:
    if "enum" in node:
        return set(node["enum"]) - {None}
    if "const" in node:
        return {node["const"]}
    return None


def _compare(contract: dict[str, Any], c_node: dict[str, Any], ours: dict[str, Any], o_node: dict[str, Any], path: str, problems: list[str]) -> None:
    c_node = _resolve(contract, c_node)
    o_node = _resolve(ours, o_node)
    if _enum(c_node) is not None and _enum(o_node) != _enum(c_node):
        problems.append(f"{path}: values {_enum(o_node)} != contract {_enum(c_node)}")
    if "pattern" in c_node and o_node.get("pattern") != c_node["pattern"]:
        problems.append(f"{path}: pattern {o_node.get('pattern')} != contract {c_node['pattern']}")
    for name in c_node.get("required", []):
        if name not in o_node.get("required", []):
            problems.append(f"{path}.{name}: required by the contract, not by our schema")
    for name, child in c_node.get("properties", {}).items():
        if name not in o_node.get("properties", {}):
            problems.append(f"{path}.{name}: missing from our schema")
            continue
        _compare(contract, child, ours, o_node["properties"][name], f"{path}.{name}", problems)
    if "items" in c_node:
        if "items" not in o_node:
            problems.append(f"{path}[]: our schema has no items")
        else:
            _compare(contract, c_node["items"], ours, o_node["items"], f"{path}[]", problems)


def _record() -> dict[str, Any]:
    page = RawPage(input="page.txt", text=PAGE, kind="text", path="page.txt")
    return article_document(page).to_json_dict()


def test_generated_schema_is_valid_and_accepts_our_records() -> None:
    schema = Document.json_schema()
    Draft202012Validator.check_schema(schema)
    Draft202012Validator(schema).validate(_record())


def test_generated_schema_rejects_a_broken_record() -> None:
    record = _record()
    record["article"]["published"] = "31 July 2025"
    errors = list(Draft202012Validator(Document.json_schema()).iter_errors(record))
    assert errors, "a non-ISO publication date must not validate"


def test_shipped_schema_file_matches_the_models() -> None:
    shipped = json.loads((Path(__file__).resolve().parents[1] / "sitroom" / "schema" / "document.schema.json").read_text())
    assert shipped == Document.json_schema(), "regenerate with: sitroom schema > sitroom/schema/document.schema.json"


@pytest.mark.shared
@pytest.mark.skipif(not CONTRACT.is_file(), reason="../shared/contract is absent")
def test_our_schema_requires_what_the_contract_requires() -> None:
    contract = json.loads(CONTRACT.read_text())
    ours = Document.json_schema()
    problems: list[str] = []
    _compare(contract, contract, ours, ours, "$", problems)
    assert not problems, "\n".join(problems)
    Draft202012Validator(contract).validate(_record())


def test_removed_and_teasers_and_credits_in_record() -> None:
    record = _record()
    article = record["article"]
    assert article["title"] == "Ceasefire holds in border town for second day"
    assert article["credits"] == ["examplewire.net", "AFP"]
    assert article["photo_caption"] == "Aid trucks queue at the crossing"
    assert [t["title"] for t in article["teasers"]] == ["Talks on prisoner exchange to resume"]
    assert record["doc_id"] == article_document(RawPage(input="again", text=PAGE, kind="text")).doc_id
