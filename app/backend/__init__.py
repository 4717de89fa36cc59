"""The company hub: FastAPI service, storage, operator CLI. Never imports client code."""
