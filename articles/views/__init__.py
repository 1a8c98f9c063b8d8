"""Pages of the articles app: imports, feeds and statement curation. Each view checks the policy, validates a
form, calls one service or selector, and renders or redirects."""
