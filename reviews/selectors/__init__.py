"""Reads for reviews, one module per concept, each scoped to what the user may see and with its query cost
fixed. Selectors never raise HTTP errors: views turn a missing row into a 404."""
