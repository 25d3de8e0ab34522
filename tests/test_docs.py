"""The README documents every command and the demo logins (keeps the docs honest)."""

from pathlib import Path

import click

from glossary.cli import main
from glossary.demo import DEMO_PASSWORD, DEMO_PEOPLE

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def command_paths(group: click.Group, prefix: str = "glossary"):
    for name, command in group.commands.items():
        path = f"{prefix} {name}"
        if isinstance(command, click.Group):
            yield from command_paths(command, path)
        else:
            yield path


def test_every_command_is_in_the_readme():
    missing = [path for path in command_paths(main) if f"`{path}" not in README]
    assert missing == []


def test_readme_gives_the_two_commands_and_demo_logins():
    assert "make run" in README and "make test" in README
    assert DEMO_PASSWORD in README
    for _name, email, *_rest in DEMO_PEOPLE:
        assert email in README
