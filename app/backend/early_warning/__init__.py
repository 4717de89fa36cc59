"""Early warning from public posts: which watched keys a post mentions (`matching`),
whether it reports a disruption (`disruption`), bursts of them in event time (`bursts`,
`poisson`), and their storage (`store`)."""
