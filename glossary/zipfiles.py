"""DOCX and XLSX files are zip packages of XML parts: checked here before any parser
reads them.

:func:`check_package` reads only the zip's directory and the first bytes of each XML
part. It refuses a package that declares more unpacked bytes or more parts than the
limits allow, a large part compressed far beyond what text compresses to (a zip bomb's
signature), a part whose name is absolute or climbs out of the package, and an XML part
that declares a DTD (entity bombs and external entities need one; Office never writes
one). Python's :mod:`zipfile` never unpacks more than a part's declared size, so the
declared sizes bound what the parsers can be made to read.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from typing import BinaryIO

from .errors import InputError
from .i18n import _l
from .uploads import MB, UploadLimits

# The ratio is only a sign of a bomb for parts large enough to matter: small XML parts
# (styles, relationships) legitimately compress very well.
RATIO_FROM = 1 * MB
PROLOG_SCAN = 64 * 1024
XML_SUFFIXES = (".xml", ".rels", ".vml")
# An XML prolog: declaration, then any whitespace, comments and processing instructions.
_PROLOG = re.compile(r"\A\ufeff?(?:\s+|<\?.*?\?>|<!--.*?-->)*", re.DOTALL)


def _unsafe_name(name: str) -> bool:
    parts = name.split("/")
    return (name.startswith("/") or "\\" in name or "\0" in name or ".." in parts
            or re.match(r"^[A-Za-z]:", name) is not None)


def _xml_head(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> str:
    """The first bytes of an XML part, decoded as the part says (UTF-16 with a
    byte-order mark, else UTF-8)."""
    try:
        with archive.open(info) as part:
            head = part.read(PROLOG_SCAN)
    except (NotImplementedError, RuntimeError, EOFError, zlib.error) as error:
        # An unknown compression method, encryption or a truncated part.
        raise zipfile.BadZipFile(str(error)) from error
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", "replace")
    return head.decode("utf-8", "replace")


def _declares_dtd(head: str, complete: bool) -> bool:
    """True when the prolog of an XML part holds a DOCTYPE (or does not end within the
    bytes read, which no Office part needs)."""
    rest = head[_PROLOG.match(head).end():]
    if rest.startswith("<!"):
        return True
    return not rest and not complete


def check_package(stream: BinaryIO, *, limits: UploadLimits) -> None:
    """Refuse (:class:`InputError`, naming the limit) a DOCX or XLSX package that would
    be unsafe to parse; leave ``stream`` at its start. A file that is not a zip raises
    :class:`zipfile.BadZipFile` for the caller to name what it expected."""
    stream.seek(0)
    with zipfile.ZipFile(stream) as archive:
        members = archive.infolist()
        if len(members) > limits.parts:
            raise InputError(_l("The file holds more than %(parts)d parts; it was refused "
                                "before reading.", parts=limits.parts))
        if sum(m.file_size for m in members) > limits.unpacked_mb * MB:
            raise InputError(_l("The file unpacks to more than %(mb)d MB; it was refused "
                                "before reading.", mb=limits.unpacked_mb))
        for member in members:
            if _unsafe_name(member.filename):
                raise InputError(_l("The file holds a part with an unsafe name "
                                    "(“%(part)s”); it was refused before reading.",
                                    part=member.filename[:200]))
            if (member.file_size >= RATIO_FROM
                    and member.file_size > limits.ratio * max(member.compress_size, 1)):
                raise InputError(_l("A part of the file (“%(part)s”) is compressed more than "
                                    "%(ratio)d to 1, as zip bombs are; the file was refused "
                                    "before reading.", part=member.filename[:200],
                                    ratio=limits.ratio))
        for member in members:
            if member.filename.lower().endswith(XML_SUFFIXES):
                head = _xml_head(archive, member)
                if _declares_dtd(head, complete=member.file_size <= PROLOG_SCAN):
                    raise InputError(_l("A part of the file (“%(part)s”) declares a DTD, "
                                        "which can be used to attack the server; it was "
                                        "refused.", part=member.filename[:200]))
    stream.seek(0)
