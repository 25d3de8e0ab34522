"""``python -m glossary.cli``: the same command line as the ``glossary`` script."""

from . import main

main()
