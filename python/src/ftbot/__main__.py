"""`python -m ftbot …`: the same as the `ftbot` command."""

from ftbot._launcher import main

raise SystemExit(main())
