"""Rule-based check-worthiness scoring: how likely a sentence is a factual claim worth checking.

Every feature and weight is written here by hand from newsroom rules of thumb (numbers, named bodies,
comparisons, cited sources and things on record make claims; opinions, questions, hedges and promises
don't), so an editor can read why a statement scored as it did. Nothing is learned from third-party
data. A desk that labels its own statements can train a better model with
``articles.checkworthiness_training``, which reuses these features.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

DEFAULT_MODEL_NAME = "rules-v1"


@dataclass(frozen=True)
class Score:
    score: float  # in [0, 1]
    reasons: tuple[str, ...]  # short phrases an editor sees, strongest first


class Feature:
    """A named cue: fires when the sentence holds one of its words or phrases, or matches its pattern.

    Single words are looked up in the sentence's set of lowercase tokens, which is far faster than one
    big regex alternation; only phrases and case-sensitive cues (acronyms, names) use regexes.
    """

    __slots__ = ("name", "reason", "weight", "words", "phrases", "pattern", "on_rest")

    def __init__(
        self,
        name: str,
        reason: str,
        weight: float,
        words: Iterable[str] = (),
        pattern: str | None = None,
        on_rest: bool = False,
    ) -> None:
        terms = [w.lower() for w in words]
        self.name = name
        self.reason = reason
        self.weight = weight
        self.words = frozenset(w for w in terms if " " not in w)
        phrases = sorted((w for w in terms if " " in w), key=len, reverse=True)
        self.phrases = re.compile(r"\b(?:" + "|".join(map(re.escape, phrases)) + r")\b") if phrases else None
        self.pattern = re.compile(pattern) if pattern else None
        # Some cues only count after the first word, where capitals can't be sentence case.
        self.on_rest = on_rest

    def fires(self, tokens: frozenset[str], lower: str, text: str, rest: str) -> bool:
        if self.words and not self.words.isdisjoint(tokens):
            return True
        if self.phrases is not None and self.phrases.search(lower):
            return True
        return self.pattern is not None and self.pattern.search(rest if self.on_rest else text) is not None


def _terms(listing: str) -> list[str]:
    """Words and phrases written as one comma-separated string, to keep the lists compact and readable."""
    return [term.strip() for term in listing.split(",") if term.strip()]


# The features, in the order the trainable model sees them as columns.
FEATURES: tuple[Feature, ...] = (
    # Figures are the core of most checkable claims.
    Feature(
        "number",
        "states a number",
        1.3,
        words=_terms(
            "two, three, four, five, six, seven, eight, nine, ten, eleven, twelve, fifteen, twenty, "
            "thirty, forty, fifty, sixty, seventy, eighty, ninety, hundred, hundreds, thousand, "
            "thousands, million, millions, billion, billions, trillion, trillions, dozen, dozens, "
            "half, twice, one-third, a third, a quarter, majority"
        ),
        pattern=r"\d",
    ),
    Feature(
        "money",
        "mentions money",
        0.5,
        words=_terms("dollar, dollars, cent, cents, euro, euros, budget, budgets, pounds sterling"),
        pattern=r"[$€£¥]",
    ),
    Feature("percent", "states a percentage", 0.5, words=["percent", "per cent"], pattern="%"),
    Feature(
        "date",
        "gives a date or period",
        0.4,
        words=_terms("last year, this year, since, years ago, decade, decades, in the past"),
        pattern=(
            r"\b(?:1[89]|20)\d\d(?:s|'s)?\b|\b(?:January|February|March|April|June|July|August|September"
            r"|October|November|December)\b"
        ),
    ),
    # Named bodies and people can be looked up; acronyms are mostly organisations and countries.
    Feature(
        "organisation",
        "names an organisation",
        0.6,
        words=_terms(
            "congress, senate, parliament, house, government, administration, ministry, federal, state, "
            "states, police, army, military, industry, department, departments, agency, agencies, "
            "company, companies, corporation, corporations, union, unions, party, parties, court, "
            "courts, bank, banks, university, universities, commission, commissions, committee, "
            "committees, council, councils, authority, authorities, institute, institutes, bureau, "
            "office, offices, association, associations, foundation, foundations, board, boards, "
            "organisation, organisations, organization, organizations, group, groups, fund, funds, "
            "hospital, hospitals, school, schools, firm, firms, inc, ltd, corp"
        ),
        pattern=r"\b(?:[A-Z]\.){2,}|\b(?!I{1,3}\b|OK\b)[A-Z]{2,}s?\b",
    ),
    Feature(
        "name",
        "names a person or place",
        0.4,
        # A capitalised word inside the sentence, not straight after a quote or a colon.
        pattern=r"(?<![.!?:;\"“] )\b(?!I\b|I'|I’)[A-Z][a-z]+",
        on_rest=True,
    ),
    Feature(
        "comparison",
        "compares",
        0.6,
        words=_terms(
            "more than, less than, fewer, than, higher, lower, highest, lowest, largest, biggest, "
            "smallest, increase, increased, increases, increasing, decrease, decreased, rose, risen, "
            "rising, fell, fallen, dropped, decline, declined, doubled, tripled, halved, grew, grown, "
            "compared, record, times as, as many as, most, least, up from, down from"
        ),
    ),
    Feature(
        "source",
        "cites a source",
        0.5,
        words=_terms(
            "according to, said, says, reported, reports, report, study, studies, survey, poll, data, "
            "statistics, figures, cite, cites, cited, found that, shows, showed, estimate, estimates, "
            "estimated, census, research"
        ),
    ),
    Feature(
        "action",
        "reports an action on record",
        0.6,
        # Things done leave records (votes, laws, spending) that can be checked.
        words=_terms(
            "voted, signed, passed, vetoed, spent, raised, cut, created, lost, approved, banned, "
            "funded, invested, opposed, supported, proposed, introduced, killed, died, elected, "
            "appointed, launched, closed, built, paid, borrowed, sold, bought, won, reduced, added, "
            "hired, fired, ended, started, began, tested, arrested, charged"
        ),
    ),
    Feature(
        "past",
        "describes the past",
        0.3,
        # Past states are on record; the future and hypotheticals aren't.
        words=_terms("was, were, has been, have been, had been, had, did"),
    ),
    Feature(
        "measurable_topic",
        "measurable topic (economy, jobs, health...)",
        0.4,
        words=_terms(
            "tax, taxes, deficit, debt, unemployment, jobs, inflation, wage, wages, economy, crime, "
            "price, prices, spending, gdp, emissions, immigrant, immigrants, deaths, cases, troops, "
            "weapons, nuclear, insurance, income, oil, energy, interest rate, interest rates, "
            "poverty, population, trade, salary, salaries"
        ),
    ),
    # What lowers the score: opinion, uncertainty, promises, questions and chat are not checkable.
    Feature(
        "opinion",
        "opinion words",
        -0.9,
        words=_terms(
            "think, believe, feel, hope, wish, should, ought, must, great, terrible, wonderful, "
            "horrible, awful, nice, good, bad, love, hate, agree, disagree, opinion, important, "
            "wrong, right, fair, unfair, ridiculous, shame, deserve, deserves, proud"
        ),
    ),
    Feature(
        "hedge",
        "hedges",
        -0.5,
        words=_terms(
            "maybe, perhaps, might, could, probably, possibly, seem, seems, likely, guess, suppose, sort of, kind of"
        ),
    ),
    Feature(
        "promise",
        "promise or plan",
        -0.7,
        # Statements about the future can't be checked yet.
        words=_terms(
            "i will, i'll, we will, we'll, i'm going to, we're going to, i would, i'd, we would, "
            "we'd, let me, let's, let us, i want, we want, we need, going to"
        ),
    ),
    Feature(
        "first_person",
        "first person",
        -0.3,
        words=_terms("i, me, my, mine, myself, i'm, i've, i'd, i'll"),
    ),
    Feature(
        "chat",
        "conversational",
        -0.8,
        words=_terms("thank you, ladies and gentlemen"),
        pattern=r"(?i)^\W*(?:well|yes|no|oh|okay|ok|thanks|excuse me|of course|look|listen)\b",
    ),
    Feature("question", "question", -1.5, pattern=r"\?\W*$"),
    Feature("exclamation", "exclamation", -0.4, pattern="!"),
)

# Length is a count, not a cue: a few words rarely carry a checkable claim.
TOO_SHORT_WORDS = 5
SHORT_WORDS = 8
TOO_SHORT = ("too short", -1.8)
SHORT = ("short", -0.6)
BIAS = -1.0
# Reasons the trainable model's columns follow, in order: every feature, then the two length cues.
REASONS: tuple[str, ...] = (*(f.reason for f in FEATURES), TOO_SHORT[0], SHORT[0])
WEIGHTS: tuple[float, ...] = (*(f.weight for f in FEATURES), TOO_SHORT[1], SHORT[1])

_TOKEN = re.compile(r"[^\W_]+(?:['-][^\W_]+)*")


def feature_hits(text: str) -> list[bool]:
    """Whether each cue in REASONS fires for the sentence, in REASONS order."""
    text = (text or "").strip()
    if text.isupper():
        # All-caps headlines would make every word an acronym or a name.
        text = text.capitalize()
    lower = text.lower().replace("’", "'")
    tokens = _TOKEN.findall(lower)
    token_set = frozenset(tokens)
    rest = text.partition(" ")[2]
    hits = [feature.fires(token_set, lower, text, rest) for feature in FEATURES]
    hits.append(len(tokens) < TOO_SHORT_WORDS)
    hits.append(TOO_SHORT_WORDS <= len(tokens) < SHORT_WORDS)
    return hits


def _logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def score_statement(text: str) -> Score:
    """Score one sentence in [0, 1] with the reasons that moved it, strongest first."""
    hits = feature_hits(text)
    fired = [(reason, weight) for reason, weight, on in zip(REASONS, WEIGHTS, hits, strict=True) if on]
    total = BIAS + sum(weight for _, weight in fired)
    fired.sort(key=lambda rw: -abs(rw[1]))
    return Score(score=_logistic(total), reasons=tuple(reason for reason, _ in fired))


def score_statements(texts: Iterable[str]) -> list[Score]:
    """Score many sentences; each is scored on its own, so this is a plain loop over precompiled cues."""
    return [score_statement(text) for text in texts]
