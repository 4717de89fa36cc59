"""The app's strings, one module per language."""
