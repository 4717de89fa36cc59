"""The console's screens: one per file, listed in `registry`."""
