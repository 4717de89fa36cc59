"""`python -m app.console [--hub URL] [--host H] [--port P]`: the company team's console."""

from app.console.server import parse_args, serve

serve(parse_args())
