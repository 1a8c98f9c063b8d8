"""Reads for articles, one module per concept, each scoped to who may see it and with its query cost fixed."""
