"""Loaders that bring concepts and renderings in: starter lists, and later TBX and CSV."""
