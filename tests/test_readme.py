"""The README's exit-code and option tables say what the code does."""

from __future__ import annotations

import re

import pytest
import typer.main

from reportparse import cli
from reportparse.errors import ExitCode

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = typer.main.get_command(cli.app).commands  # type: ignore[attr-defined]
_OPTION = re.compile(r"(?<![\w-])--?[a-z][a-z-]*")


def _table_after(heading: str) -> list[list[str]]:
    """The cells of the first markdown table after the line `heading`."""
    lines = README.split("\n")
    start = lines.index(heading)
    rows = []
    for line in lines[start + 1 :]:
        if line.startswith("|"):
            rows.append([c.strip() for c in re.split(r"(?<!\\)\|", line.strip("|"))])
        elif rows:
            break
    return rows[2:]  # without the header and the rule


def test_exit_code_table_lists_every_exit_code() -> None:
    documented = {int(row[0]) for row in _table_after("## Exit codes")}
    assert documented == {int(code) for code in ExitCode}


@pytest.mark.parametrize("command", ["extract", "batch", "panel", "show"])
def test_option_table_lists_every_option(command: str) -> None:
    documented = {
        o for row in _table_after(f"`{command}` options:") for o in _OPTION.findall(row[0])
    }
    params = COMMANDS[command].params
    actual = {o for p in params if p.param_type_name == "option" for o in p.opts}
    assert documented == actual - {"-h", "--help"}


@pytest.mark.parametrize("command", ["extract", "batch", "panel", "show"])
def test_option_table_uses_the_placeholders_of_the_help(command: str) -> None:
    """`-o, --output FILE` in the README when the help says `-o, --output FILE`."""
    params = {o: p for p in COMMANDS[command].params for o in p.opts}
    for row in _table_after(f"`{command}` options:"):
        for option, word in re.findall(r"(--[a-z-]+) ([A-Z][A-Z|\\]*)", row[0]):
            assert params[option].metavar == word.replace("\\", ""), (option, word)
