"""schema.org ClaimReview documents for published verdicts, and their safe embedding in HTML. Pure: no Django.

Search engines read ClaimReview from a <script type="application/ld+json"> block; see
https://schema.org/ClaimReview and https://developers.google.com/search/docs/appearance/structured-data/factcheck
"""

import json
from datetime import date, datetime
from typing import Any

from factcheck.core.links import http_url

from ..verdicts import ORDINAL_SCALE, STEP, Verdict

BEST_RATING = len(ORDINAL_SCALE)  # 6 = True
WORST_RATING = 1  # Pants on fire


SETTLED_BY_REFERENCE = "Settled by reference: the desk checked the same claim before and carried its verdict over."


def rating_value(verdict: str) -> int | None:
    """The verdict on a 1–6 scale (True = 6 … Pants on fire = 1); None for non-ordinal verdicts."""
    try:
        step = STEP.get(Verdict(verdict))
    except ValueError:
        return None
    return None if step is None else BEST_RATING - step


def iso_date(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.date()
    return value.isoformat()


def _compact(data: dict[str, Any]) -> dict[str, Any]:
    """Drop empty values: schema.org consumers treat a missing property better than an empty one."""
    return {key: value for key, value in data.items() if value not in (None, "", {}, [])}


def claim_review(
    *,
    claim_text: str,
    verdict: str,
    verdict_label: str,
    review_url: str,
    article_url: str,
    article_title: str,
    site_name: str,
    author: str,
    date_published: date | datetime | None,
    publisher_name: str,
    publisher_url: str,
    article_published: date | datetime | None = None,
    rating_explanation: str = "",
) -> dict[str, Any]:
    """One ClaimReview: the desk's verdict (`reviewRating`) on a claim (`itemReviewed`) that appeared in an
    article. `author` is the article's author (the claim's source); the review's author is the publisher."""
    value = rating_value(verdict)
    if value is None:
        review_rating = {"@type": "Rating", "alternateName": verdict_label}
    else:
        review_rating = {
            "@type": "Rating",
            "ratingValue": value,
            "bestRating": BEST_RATING,
            "worstRating": WORST_RATING,
            "alternateName": verdict_label,
        }
    if rating_explanation:
        review_rating["ratingExplanation"] = rating_explanation
    if author:
        claim_author = {"@type": "Person", "name": author}
    elif site_name:
        claim_author = {"@type": "Organization", "name": site_name}
    else:
        claim_author = None
    appearance = _compact(
        {
            "@type": "CreativeWork",
            "url": article_url,
            "headline": article_title,
            "datePublished": iso_date(article_published),
            "publisher": {"@type": "Organization", "name": site_name} if site_name else None,
        }
    )
    item_reviewed = _compact(
        {
            "@type": "Claim",
            "author": claim_author,
            "datePublished": iso_date(article_published),
            "appearance": appearance,
        }
    )
    return _compact(
        {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": review_url,
            "claimReviewed": claim_text,
            "datePublished": iso_date(date_published),
            "author": _compact({"@type": "Organization", "name": publisher_name, "url": publisher_url}),
            "reviewRating": review_rating,
            "itemReviewed": item_reviewed,
        }
    )


# The characters that could end the <script> element or open a comment inside it, as JSON escapes.
_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def json_for_script(data: Any) -> str:
    """JSON that is safe inside <script type="application/ld+json">: no "</script>" or "<!--" can appear,
    yet it parses back to exactly `data` (the escapes are valid JSON string escapes)."""
    return json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES)


def report_claim_reviews(*, public, page_url: str, publisher_name: str, publisher_url: str) -> list[dict[str, Any]]:
    """One ClaimReview per public statement of a report (`public`: report, article and statements, as the
    publishing selectors give them); each review's URL is the claim's anchor on the report page."""
    report, article = public.report, public.article
    return [
        claim_review(
            claim_text=statement.text,
            verdict=statement.verdict,
            verdict_label=statement.verdict_label,
            review_url=f"{page_url}#claim-{statement.pk}",
            article_url=http_url(article.url),
            article_title=article.title,
            site_name=article.site_name,
            author=article.author,
            date_published=report.first_published_at,
            publisher_name=publisher_name,
            publisher_url=publisher_url,
            article_published=article.published,
            rating_explanation=SETTLED_BY_REFERENCE if getattr(statement, "settled_by_reference", False) else "",
        )
        for statement in public.statements
    ]


def report_document(*, public, page_url: str, publisher_name: str, publisher_url: str) -> dict[str, Any]:
    """The report as a JSON document: the report, its article's metadata and its ClaimReviews."""
    report, article = public.report, public.article
    return {
        "report": {
            "id": report.pk,
            "url": page_url,
            "status": report.status,
            "headline": report.headline,
            "summary": report.summary,
            "datePublished": iso_date(report.first_published_at),
            "dateModified": iso_date(report.published_at),
        },
        "article": {
            "title": article.title,
            "url": http_url(article.url),
            "author": article.author,
            "siteName": article.site_name,
            "datePublished": iso_date(article.published),
        },
        "claimReviews": report_claim_reviews(
            public=public, page_url=page_url, publisher_name=publisher_name, publisher_url=publisher_url
        ),
    }
