"""Data operations of the hub. Functions take a connection and keyword-only arguments;
every change to something a client syncs also records it in the change feed."""
