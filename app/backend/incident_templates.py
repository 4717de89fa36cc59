"""The company's incident templates: prefilled incidents for the disruptions it sees most
(a winter storm at an airport, an IT outage, ...), kept as data beside the demo company
(`assets/demo/northwind/incident_templates.yaml`) with their Spanish text."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from pydantic import TypeAdapter

from app.backend.demo import DEMO_DIR
from app.schemas.console import IncidentTemplate

TEMPLATES_FILE = "incident_templates.yaml"
_TEMPLATES = TypeAdapter(list[IncidentTemplate])


@cache
def incident_templates(folder: Path = DEMO_DIR) -> tuple[IncidentTemplate, ...]:
    """The templates in `folder`, checked as the wire carries them (read once)."""
    path = folder / TEMPLATES_FILE
    if not path.exists():
        return ()
    return tuple(_TEMPLATES.validate_python(yaml.safe_load(path.read_text(encoding="utf-8"))))
