"""Refresh the reference images of tests/test_document_pages.py after a layout change.

Renders every document kind in every language of tests/document_pages.py and writes the
small PNGs to tests/data/reference/. Run it only after a person has looked at the new
pages (open the PNGs, and the full-size PDFs with --pdf-dir) and found them right; the
commit then says what changed and that it was looked at.

    PYTHONPATH=$PWD .venv/bin/python tests/refresh_references.py [--pdf-dir /tmp/pages]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import document_pages as pages  # noqa: E402

from glossary import create_app  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdf-dir", type=Path, help="also keep each full document here")
    args = parser.parse_args()
    pages.REFERENCE_DIR.mkdir(parents=True, exist_ok=True)
    app = create_app({"DATABASE_URL": "sqlite://"})
    with app.test_request_context():
        for kind in pages.KINDS:
            for tag in pages.CORPUS:
                data = pages.document(kind, tag)
                pages.first_page(data).save(pages.reference_path(kind, tag), optimize=True)
                if args.pdf_dir:
                    args.pdf_dir.mkdir(parents=True, exist_ok=True)
                    suffix = "png" if data.startswith(b"\x89PNG") else "pdf"
                    (args.pdf_dir / f"{kind}-{tag}.{suffix}").write_bytes(data)
                print(pages.reference_path(kind, tag))


if __name__ == "__main__":
    main()
