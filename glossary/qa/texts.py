"""The texts a check reads: pasted or uploaded (``.docx`` or ``.txt``), validated like
every user text."""

from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import Path

from ..errors import InputError
from ..i18n import _l
from ..text import clean_text

MAX_TEXT_CHARS = 200_000


def clean_check_text(value: str | None, *, label) -> str:
    """A pasted or uploaded text, validated like every user text (NFC, no bidi
    override controls), up to :data:`MAX_TEXT_CHARS` characters."""
    return clean_text(value, label=label, max_length=MAX_TEXT_CHARS, multiline=True)


def read_text_file(filename: str, data: bytes) -> str:
    """The text of an uploaded ``.docx`` (paragraphs and table cells, in order) or
    ``.txt`` file (UTF-8 or UTF-16 with a byte-order mark). Raises :class:`InputError`
    for another kind of file or one that cannot be read."""
    suffix = Path(filename or "").suffix.lower()
    if suffix == ".docx":
        return _docx_text(data)
    if suffix in (".txt", ".text", ".md"):
        try:
            if data.startswith((b"\xff\xfe", b"\xfe\xff")):
                return data.decode("utf-16")
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError(_l("“%(name)s” is not UTF-8 text. Save it as UTF-8 and upload "
                                "it again.", name=filename)) from None
    raise InputError(_l("Upload a .docx or .txt file (“%(name)s” is neither).", name=filename))


def _docx_text(data: bytes) -> str:
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = Document(BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
        raise InputError(_l("The file is not a readable .docx document.")) from None
    lines: list[str] = []
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):
            for row in block.rows:
                lines.extend(cell.text for cell in row.cells)
        else:
            lines.append(block.text)
    return "\n".join(lines)
