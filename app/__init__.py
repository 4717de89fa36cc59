"""Careline: the customer self-service app and the company hub it syncs to."""

__version__ = "0.1.0"
