"""The texts a check reads: pasted or uploaded (``.docx`` or ``.txt``), validated like
every user text."""

from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import Path

from ..errors import InputError
from ..i18n import _l
from ..text import clean_text
from ..uploads import UploadLimits
from ..zipfiles import check_package

MAX_TEXT_CHARS = 200_000


def clean_check_text(value: str | None, *, label) -> str:
    """A pasted or uploaded text, validated like every user text (NFC, no bidi
    override controls), up to :data:`MAX_TEXT_CHARS` characters."""
    return clean_text(value, label=label, max_length=MAX_TEXT_CHARS, multiline=True)


def read_text_file(filename: str, data: bytes, *, limits: UploadLimits | None = None) -> str:
    """The text of an uploaded ``.docx`` (paragraphs and table cells, in order) or
    ``.txt`` file (UTF-8 or UTF-16 with a byte-order mark). A ``.docx`` is checked
    against ``limits`` (default :class:`~glossary.uploads.UploadLimits`) before it is
    parsed. Raises :class:`InputError` for another kind of file, one over the limits or
    one that cannot be read."""
    suffix = Path(filename or "").suffix.lower()
    if suffix == ".docx":
        return _docx_text(data, limits or UploadLimits())
    if suffix in (".txt", ".text", ".md"):
        try:
            if data.startswith((b"\xff\xfe", b"\xfe\xff")):
                return data.decode("utf-16")
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError(_l("“%(name)s” is not UTF-8 text. Save it as UTF-8 and upload "
                                "it again.", name=filename)) from None
    raise InputError(_l("Upload a .docx or .txt file (“%(name)s” is neither).", name=filename))


def _docx_text(data: bytes, limits: UploadLimits) -> str:
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError
    from lxml import etree

    unreadable = InputError(_l("The file is not a readable .docx document."))
    try:
        check_package(BytesIO(data), limits=limits)
        # python-docx parses with lxml, entities unresolved and no network access.
        document = Document(BytesIO(data))
        lines: list[str] = []
        for block in document.iter_inner_content():
            if hasattr(block, "rows"):
                for row in block.rows:
                    lines.extend(cell.text for cell in row.cells)
            else:
                lines.append(block.text)
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, TypeError,
            AttributeError, etree.LxmlError):
        raise unreadable from None
    return "\n".join(lines)
