"""Builders of files people take away: handouts and flyers (DOCX, PDF), glossary and
report files (TBX, CSV, XLSX)."""
