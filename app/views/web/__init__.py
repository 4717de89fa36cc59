"""The app served to many browsers: the Flet app at `/`, and beside it the few addresses
Careline's own browser code uses (`/careline/...`)."""
