"""`python -m app.backend`: the hub and its operator CLI."""

from app.backend.cli import main

raise SystemExit(main())
