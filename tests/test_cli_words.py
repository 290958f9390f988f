"""#25.11: the command line speaks Dutch also where Click speaks: usage, help, errors (the
real `main` group, in process through Click's runner)."""

from __future__ import annotations

import re

import click
from click.testing import CliRunner

from kamerwatch.cli import main

# what Click says in English when nobody translated it
ENGLISH = re.compile(
    r"Usage:|Options:|Commands:|Show this message|Show the version|Error:|Invalid value|"
    r"No such|Missing|\[default|\bTEXT\b|\bINTEGER\b|\bDIRECTORY\b|\bFILE\b|\bPATH\b|"
    r"\[OPTIONS\]|COMMAND \[ARGS\]|Did you mean|is not one of|is not a valid|Try '"
)


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = [prefix]
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            out += _commands(command, (*prefix, name))
        else:
            out.append((*prefix, name))
    return out


def test_every_help_text_is_dutch() -> None:
    runner = CliRunner()
    english: dict[str, list[str]] = {}
    commands = _commands(main)
    assert len(commands) > 20
    for path in commands:
        result = runner.invoke(main, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        found = ENGLISH.findall(result.output)
        if found:
            english[" ".join(path) or "kamerwatch"] = found
    assert english == {}


def test_click_errors_are_dutch() -> None:
    runner = CliRunner()
    cases = {
        ("serve", "--port", "abc"): "Ongeldige waarde voor '--port'",
        ("serv",): "Onbekende opdracht 'serv'. Bedoelde u 'serve'?",
        ("sample",): "Argument ontbreekt 'OUTDIR'",
        ("serve", "--bla"): "Onbekende optie '--bla'",
        ("--log-format", "xml", "status"): "'xml' is niet een van 'text', 'json'",
        ("sample", "x", "--scale", "0"): "0 ligt niet in het bereik x>=1",
        ("sample", "x", "--seed", "een"): "'een' is geen geldig getal",
    }
    for args, expected in cases.items():
        result = runner.invoke(main, list(args))
        assert result.exit_code == 2, (args, result.output)
        assert expected in result.output, (args, result.output)
        assert not ENGLISH.search(result.output), (args, result.output)
        assert "Fout: " in result.output and "voor hulp" in result.output
