"""The committed JSON Schema matches the models, and every golden file fits the models."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reportparse.models import SCHEMA_VERSION, Report, json_schema, schema_json

from .conftest import FIXTURES, ROOT

SCHEMA = ROOT / "schema" / "report.schema.json"
REGENERATE = ".venv/bin/reportparse schema > schema/report.schema.json"
GOLDEN = sorted((FIXTURES / "text").glob("*.expected.json"))


def test_committed_schema_is_current() -> None:
    assert SCHEMA.is_file(), f"schema file missing; create it with `{REGENERATE}`"
    committed = SCHEMA.read_text(encoding="utf-8")
    assert committed == schema_json(), (
        "schema/report.schema.json differs from the models; if the change to the output "
        f"contract is intended, regenerate it with `{REGENERATE}` and review the diff"
    )


def test_schema_describes_the_contract() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema == json_schema()
    assert schema["properties"]["schema_version"]["const"] == SCHEMA_VERSION
    assert set(schema["required"]) >= {"source", "initiatives", "warnings"}
    assert schema["additionalProperties"] is False


def test_there_are_golden_files() -> None:
    assert len(GOLDEN) >= 4


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.name)
def test_golden_file_fits_the_models(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    report = Report.model_validate(data)
    # Nothing in the file is dropped or defaulted differently on the way through.
    assert report.model_dump(mode="json") == data
    assert json.loads(report.to_json()) == data
