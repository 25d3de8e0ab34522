"""House rules that can be checked mechanically: every module under glossary/ stays
within 300 lines (issue #19 item 8), so that each holds one thing and reads in one go."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 300

# Modules allowed over the limit while being edited on other branches (the lead splits
# each along a real seam after they merge). Empty now: every module is within the limit.
# Remove an entry once its module is within the limit (the second test says so).
ALLOWED_LONGER: set[str] = set()


def line_count(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def long_modules(root: Path) -> dict[str, int]:
    """``{path relative to root: lines}`` of every module under ``root/glossary`` longer
    than :data:`MAX_LINES`."""
    return {path.relative_to(root).as_posix(): lines
            for path in sorted((root / "glossary").rglob("*.py"))
            if (lines := line_count(path)) > MAX_LINES}


def test_no_module_under_glossary_exceeds_300_lines():
    over = {path: lines for path, lines in long_modules(ROOT).items()
            if path not in ALLOWED_LONGER}
    assert not over, f"split these modules along a real seam (at most {MAX_LINES} lines): {over}"


def test_the_allowance_list_names_only_modules_still_over_the_limit():
    over = long_modules(ROOT)
    for path in ALLOWED_LONGER:
        assert (ROOT / path).is_file(), f"{path} no longer exists: remove it from the list"
    within = sorted(path for path in ALLOWED_LONGER if path not in over)
    assert not within, f"now within {MAX_LINES} lines, remove from ALLOWED_LONGER: {within}"


def test_the_count_catches_a_module_one_line_over(tmp_path):
    package = tmp_path / "glossary" / "sub"
    package.mkdir(parents=True)
    (package / "at_limit.py").write_text("x = 1\n" * MAX_LINES, encoding="utf-8")
    (package / "over.py").write_text("# مرحبا ሰላም\n" * (MAX_LINES + 1), encoding="utf-8")
    (package / "notes.txt").write_text("\n" * 1000, encoding="utf-8")
    assert long_modules(tmp_path) == {"glossary/sub/over.py": MAX_LINES + 1}
