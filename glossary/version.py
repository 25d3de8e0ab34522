"""The running version: the package's version from its metadata, with the git commit
when the code runs from a checkout (``0.1.0+g1a2b3c4``). Worked out once per process by
reading a few small files: no ``git`` process, nothing per request."""

from __future__ import annotations

import functools
import re
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path

from .config import ROOT

COMMIT = re.compile(r"[0-9a-f]{40}")


def _git_dir(checkout: Path) -> Path | None:
    """The git directory of a checkout: ``.git``, or where a worktree's ``.git`` file
    points."""
    dot_git = checkout / ".git"
    if dot_git.is_dir():
        return dot_git
    if dot_git.is_file():
        text = dot_git.read_text(encoding="utf-8").strip()
        if text.startswith("gitdir:"):
            target = Path(text.removeprefix("gitdir:").strip())
            return target if target.is_absolute() else (checkout / target).resolve()
    return None


def git_commit(checkout: Path = ROOT) -> str | None:
    """The commit checked out in ``checkout`` (full hash), or None when it is not a git
    checkout or the files cannot be read."""
    try:
        git_dir = _git_dir(checkout)
        if git_dir is None:
            return None
        head = (git_dir / "HEAD").read_text(encoding="utf-8").strip()
        if COMMIT.fullmatch(head):
            return head  # a detached HEAD, as after `git checkout v1.2`
        ref = head.removeprefix("ref:").strip()
        common = git_dir
        if (git_dir / "commondir").is_file():  # a worktree keeps its branches there
            common = (git_dir / (git_dir / "commondir").read_text().strip()).resolve()
        for folder in (git_dir, common):
            loose = folder / ref
            if loose.is_file():
                return loose.read_text(encoding="utf-8").strip()
        packed = common / "packed-refs"
        if packed.is_file():
            for line in packed.read_text(encoding="utf-8").splitlines():
                commit, _, name = line.partition(" ")
                if name == ref and COMMIT.fullmatch(commit):
                    return commit
    except OSError:
        return None
    return None


@functools.cache
def app_version() -> str:
    """``0.1.0``, or ``0.1.0+g1a2b3c4`` in a git checkout; ``unknown`` when the package
    is not installed."""
    try:
        number = package_version("glossary")
    except PackageNotFoundError:
        number = "unknown"
    commit = git_commit()
    return f"{number}+g{commit[:7]}" if commit else number
