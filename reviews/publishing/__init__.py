"""Publishing: an article's fact-check report (draft, published, withdrawn), its public pages with schema.org
ClaimReview markup, and the exports. A part of reviews of its own because it is what leaves the desk: its
selectors decide what readers may see, and nothing else in the app writes a Report."""
