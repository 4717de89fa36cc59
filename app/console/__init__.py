"""The storm console: the company team's Flet web app (`python -m app.console`). Client
code like the customer app: it talks to the hub's operator API over HTTP
(`app.console.client`) and imports neither the hub nor the customer app's views, state,
store or sync. `state` holds observables (no controls), `views` the screens."""
