"""The console's observable state, one object per concern and browser; no controls."""
