"""The committed OpenAPI document (`app/backend/openapi.json`), made from the app itself."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from app.backend.settings import HubSettings, sqlite_url

COMMITTED = Path(__file__).with_name("openapi.json")


def openapi_text() -> str:
    from app.backend.main import create_app

    with tempfile.TemporaryDirectory() as folder:
        settings = HubSettings(data_dir=Path(folder), database_url=sqlite_url(Path(folder)))
        api = create_app(settings)
        document = api.openapi()
        api.state.hub.db.dispose()
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
