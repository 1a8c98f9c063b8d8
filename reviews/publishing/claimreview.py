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


def person_or_organization(name: str, kind: str = "Person", url: str = "") -> dict[str, Any] | None:
    if not name:
        return None
    return _compact({"@type": "Organization" if kind == "Organization" else "Person", "name": name, "url": url})


def byline_authors(*, publisher_name: str, publisher_url: str, editor: str = "", reviewers=()) -> list[dict]:
    """The review's authors: the publishing organisation, then the editor who published it and the reviewers
    named in its byline."""
    people = [editor, *reviewers] if editor else list(reviewers)
    return [
        _compact({"@type": "Organization", "name": publisher_name, "url": publisher_url}),
        *({"@type": "Person", "name": name} for name in people if name),
    ]


def claim_review(
    *,
    claim_text: str,
    verdict: str,
    verdict_label: str,
    review_url: str,
    explanation: str,
    date_published: date | datetime | None,
    authors: list[dict],
    publisher_name: str,
    publisher_url: str,
    claimant: str = "",
    claimant_type: str = "Person",
    appearance_url: str = "",
    appearance_date: date | datetime | None = None,
    appearance_headline: str = "",
    appearance_publisher: str = "",
    sources=(),
    rating_explanation: str = "",
) -> dict[str, Any]:
    """One ClaimReview: the desk's verdict (`reviewRating`) and explanation (`reviewBody`) on a claim worded as
    the editor approved it (`claimReviewed`), made by `claimant` (`itemReviewed.author`) at `appearance_url`
    on `appearance_date`. `authors` is the report's byline; the publisher is the desk."""
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
    appearance_url = http_url(appearance_url)
    appearance = None
    if appearance_url or appearance_date:
        appearance = _compact(
            {
                "@type": "CreativeWork",
                "url": appearance_url,
                "headline": appearance_headline,
                "datePublished": iso_date(appearance_date),
                "publisher": person_or_organization(appearance_publisher, "Organization"),
            }
        )
    item_reviewed = _compact(
        {
            "@type": "Claim",
            "author": person_or_organization(claimant, claimant_type),
            "datePublished": iso_date(appearance_date),
            "appearance": appearance,
        }
    )
    citations = [
        _compact({"@type": "CreativeWork", "url": http_url(source.url), "name": source.note})
        for source in sources
        if http_url(source.url)
    ]
    return _compact(
        {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": review_url,
            "claimReviewed": claim_text,
            "datePublished": iso_date(date_published),
            "author": authors,
            "publisher": _compact({"@type": "Organization", "name": publisher_name, "url": publisher_url}),
            "reviewRating": review_rating,
            "reviewBody": explanation,
            "itemReviewed": item_reviewed,
            "citation": citations,
        }
    )


# The characters that could end the <script> element or open a comment inside it, as JSON escapes.
_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def json_for_script(data: Any) -> str:
    """JSON that is safe inside <script type="application/ld+json">: no "</script>" or "<!--" can appear,
    yet it parses back to exactly `data` (the escapes are valid JSON string escapes)."""
    return json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES)


def report_claim_reviews(*, public, page_url: str, publisher_name: str, publisher_url: str) -> list[dict[str, Any]]:
    """One ClaimReview per included claim of a report (`public`: report, article, claims and byline, as the
    publishing selectors give them); each review's URL is the claim's anchor on the report page."""
    report, article, byline = public.report, public.article, public.byline
    article_url = http_url(article.url)
    authors = byline_authors(
        publisher_name=publisher_name, publisher_url=publisher_url, editor=byline.editor, reviewers=byline.reviewers
    )
    reviews = []
    for claim in public.claims:
        # The article's title and site describe the appearance only when the claim was made in the article.
        in_article = bool(article_url) and claim.appearance_url == article_url
        reviews.append(
            claim_review(
                claim_text=claim.claim_text,
                verdict=claim.verdict,
                verdict_label=claim.verdict_label,
                review_url=f"{page_url}#claim-{claim.pk}",
                explanation=claim.explanation,
                date_published=report.first_published_at,
                authors=authors,
                publisher_name=publisher_name,
                publisher_url=publisher_url,
                claimant=claim.claimant,
                claimant_type=claim.claimant_type,
                appearance_url=claim.appearance_url,
                appearance_date=claim.appearance_date,
                appearance_headline=article.title if in_article else "",
                appearance_publisher=article.site_name if in_article else "",
                sources=claim.sources,
                rating_explanation=SETTLED_BY_REFERENCE if getattr(claim, "settled_by_reference", False) else "",
            )
        )
    return reviews


def report_document(*, public, page_url: str, publisher_name: str, publisher_url: str) -> dict[str, Any]:
    """The report as a JSON document: the report with its byline, its article's metadata and its ClaimReviews."""
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
            "byline": {"editor": public.byline.editor, "reviewers": list(public.byline.reviewers)},
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
