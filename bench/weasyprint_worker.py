"""The WeasyPrint side of bench/bench_weasyprint_compare.py, run by that script in a
subprocess with the Python of a virtualenv that has a checkout of the last commit with
WeasyPrint (7cc1f42) installed. Nothing in this project imports it, and it imports
nothing from this checkout: ``glossary`` here is the old commit's.

    <venv>/bin/python bench/weasyprint_worker.py <checkout of 7cc1f42>

Reads one JSON request a line on stdin ({"language": ..., "content": <pack content>})
and answers each with one JSON line: the wall and CPU seconds from the pack to the PDF
bytes (the handout context, the HTML and WeasyPrint's layout, as the old
``glossary_pdf`` printed it) and the PDF, base64-encoded. An empty line ends it.
"""

from __future__ import annotations

import base64
import json
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path


def main() -> None:
    checkout = Path(sys.argv[1]).resolve()
    sys.path.insert(0, str(checkout))
    from glossary import create_app, groups
    from glossary.exports import document as engine
    from glossary.exports import handout_glossary as sheet
    from glossary.exports import handouts
    from glossary.exports.handout_context import _meta_line, _usable
    from glossary.languages import describe as language_names
    from glossary.models.groups import SessionPack

    if not hasattr(engine, "write_pdf"):
        raise SystemExit(f"{checkout} has no WeasyPrint path (glossary.exports.document"
                         ".write_pdf); check out 7cc1f42 or an earlier commit")

    def describe(tag):
        return language_names(tag, "en")

    def render(language: str, content: dict) -> bytes:
        # As glossary_pdf printed the sheet before the Typst templates (commit 1f4fa64^).
        pack = SessionPack(id=1, group_id=1, source_language="en", target_language=language,
                           content=content, content_hash=groups.content_hash(content),
                           concept_count=len(content["concepts"]),
                           agreed_count=len(content["concepts"]),
                           created_at=datetime(2026, 6, 1, 9, tzinfo=UTC))
        h = handouts.handout_for(pack, group_name="Benchmark group",
                                 start_date=date(2026, 6, 15), describe=describe)
        html = engine.render_html(
            "exports/glossary_sheet.html", h=h, model=sheet.glossary_model(h.pack.content),
            title="Glossary: " + h.group_name, title_spans=sheet.glossary_title(h),
            meta=_meta_line(h), state_names=sheet.STATE_NAMES,
            register_names=sheet.REGISTER_NAMES, usable=_usable,
            free_lang=lambda text, default: h.free_language(text))
        return engine.write_pdf(html)

    folder = Path(tempfile.mkdtemp(prefix="bench-weasy-"))
    app = create_app({"DATABASE_URL": f"sqlite:///{folder / 'bench.db'}",
                      "EXPORTS_DIR": str(folder)})
    with app.test_request_context():
        print(json.dumps({"ready": True}), flush=True)
        for line in sys.stdin:
            if not line.strip():
                break
            request = json.loads(line)
            wall, cpu = time.perf_counter(), time.process_time()
            pdf = render(request["language"], request["content"])
            answer = {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu,
                      "pdf": base64.b64encode(pdf).decode()}
            print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
