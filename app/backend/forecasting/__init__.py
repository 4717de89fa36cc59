"""Contact forecasting, pure: the baseline by half hour of the week, the effect of active
incidents, and Erlang C staffing. The database reads are in `crud.forecast`."""
