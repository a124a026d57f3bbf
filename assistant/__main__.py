"""``python -m assistant`` is the same program as ``district-assistant``."""

from assistant.cli import main

main()
