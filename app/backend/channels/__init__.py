"""Channels beyond the app: the company's helpdesk (a connector per product) and email.
The hub stays the one thread per case; a channel only carries messages in and out."""
