"""Observable view state: what the screens show and the actions they offer. Calls the store
and the sync engine; never builds controls."""
