"""Pages of the review desk: the reviewer's queue and rating page, the editors' desk (articles, assigning,
settling), the Team page and the scoring page. Publishing has its own views in reviews.publishing."""
