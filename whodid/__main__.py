"""``python -m whodid``: the same as the ``whodid`` command."""

from whodid.cli import main

main()
