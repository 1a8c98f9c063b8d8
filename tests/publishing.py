"""Claims for tests that publish: what the report editor shows for an article, as the service takes it."""

from dataclasses import replace

from reviews.publishing.selectors import report_editor_claims
from reviews.publishing.services import ClaimInput, SourceInput


def prefilled_claims(article, **changes_by_statement) -> list[ClaimInput]:
    """The article's claims as the editor page starts them (saved values or the prefill), with the verdict on
    screen; `changes_by_statement={statement_id: {field: value}}`-style keyword `s<id>=dict(...)` overrides."""
    claims = []
    for row in report_editor_claims(article=article):
        values = {name: value for name, value in row.values.items() if name != "sources"}
        claim = ClaimInput(
            statement_id=row.statement_id,
            verdict_seen=row.verdict,
            sources=tuple(SourceInput(**source) for source in row.values["sources"]),
            **values,
        )
        claims.append(replace(claim, **changes_by_statement.get(f"s{row.statement_id}", {})))
    return claims


def claims_payload(article, **changes_by_statement) -> list[dict]:
    """The same as the API's JSON body takes them."""
    return [
        {
            "statement_id": c.statement_id,
            "included": c.included,
            "claim_text": c.claim_text,
            "claimant": c.claimant,
            "claimant_type": c.claimant_type,
            "appearance_url": c.appearance_url,
            "appearance_date": c.appearance_date.isoformat() if c.appearance_date else None,
            "explanation": c.explanation,
            "sources": [{"url": s.url, "note": s.note} for s in c.sources],
            "verdict": c.verdict_seen,
        }
        for c in prefilled_claims(article, **changes_by_statement)
    ]
