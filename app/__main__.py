"""`python -m app`: the Careline customer app (a desktop window, or served with --web)."""

from app.config import parse_app_args
from app.views.main import run

run(parse_app_args())
