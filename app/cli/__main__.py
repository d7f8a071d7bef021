"""`python -m app.cli` runs the `speedmatch` command."""

from app.cli import main

main()
