"""The Flet UI: screens, the shell around them, routes and theme. Reaches data only
through `app.state`."""
