"""Rule-based check-worthiness scoring: how likely a sentence is a factual claim worth checking.

Every feature and weight is written here by hand from newsroom rules of thumb, so an editor can read why
a statement scored as it did. What makes a claim: figures with what they count, dates, comparisons and
changes, causes, cited sources, actions on record, named bodies. What doesn't: opinion, judgement and
loaded words, what should, will or can happen, hypotheticals, hedges, sweeping generalisations, what
someone thinks or wants, readings of motives and meaning, questions, talk to the listener. List and
heading numbering ("2. The plan…"), years and model names ("F-35") are not figures. Nothing is learned
from third-party data: the weights were set by hand and only checked against the tuning half of a public
development set (``bench/checkworthiness.py``). A desk that labels its own statements can train a better
model with ``articles.checkworthiness_training``, which reuses these features.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

DEFAULT_MODEL_NAME = "rules-v2"


@dataclass(frozen=True)
class Score:
    score: float  # in [0, 1]
    reasons: tuple[str, ...]  # short phrases an editor sees, strongest first


@dataclass(frozen=True)
class _Sentence:
    """One sentence, prepared once for every cue."""

    text: str  # list numbering removed; all-caps headlines in sentence case
    lower: str
    tokens: frozenset[str]
    rest: str  # text after the first word, where a capital can't be sentence case
    figures: str  # text with years, dates, codes ("F-35") and list numbering masked: digits left are figures
    n_words: int
    list_part: bool  # starts with list or heading numbering, or leads into a list (ends with a colon)


class Feature:
    """A named cue: fires when the sentence holds one of its words or phrases, or matches its pattern.

    Single words are looked up in the sentence's set of lowercase tokens, which is far faster than one
    big regex alternation; only phrases and case-sensitive cues (acronyms, names) use regexes. ``on``
    says which view of the sentence the pattern reads (see ``_Sentence``).
    """

    __slots__ = ("name", "reason", "weight", "words", "phrases", "phrase_texts", "pattern", "on")

    def __init__(
        self,
        name: str,
        reason: str,
        weight: float,
        words: Iterable[str] = (),
        pattern: str | None = None,
        on: str = "text",
    ) -> None:
        terms = [w.lower() for w in words]
        self.name = name
        self.reason = reason
        self.weight = weight
        self.words = frozenset(w for w in terms if " " not in w)
        phrases = sorted((w for w in terms if " " in w), key=len, reverse=True)
        self.phrases = re.compile(r"\b(?:" + "|".join(map(re.escape, phrases)) + r")\b") if phrases else None
        # The phrase pattern can only match where one of the phrases is a plain substring: most sentences hold
        # none, and `in` costs a fraction of a regex search (scoring is the largest part of an import's time).
        self.phrase_texts = tuple(phrases)
        self.pattern = re.compile(pattern) if pattern else None
        self.on = on

    def fires(self, sentence: _Sentence) -> bool:
        if self.words and not self.words.isdisjoint(sentence.tokens):
            return True
        if self.phrases is not None:
            for phrase in self.phrase_texts:
                if phrase in sentence.lower:
                    if self.phrases.search(sentence.lower):
                        return True
                    break
        return self.pattern is not None and self.pattern.search(getattr(sentence, self.on)) is not None


def _terms(listing: str) -> list[str]:
    """Words and phrases written as one comma-separated string, to keep the lists compact and readable."""
    return [term.strip() for term in listing.split(",") if term.strip()]


_MONTHS = (
    r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
    r"|January|February|March|April|May|June|July|August|September|October|November|December"
)

# The features, in the order the trainable model sees them as columns.
FEATURES: tuple[Feature, ...] = (
    # Figures are the core of most checkable claims: any digit left once dates, years, codes and list
    # numbering are masked, or a large number in words.
    Feature(
        "number",
        "states a number",
        1.5,
        words=_terms(
            "hundred, hundreds, thousand, thousands, million, millions, billion, billions, trillion, "
            "trillions, dozens, percent"
        ),
        pattern=r"\d",
        on="figures",
    ),
    # Small counts in words ("three missions", "twice") are weaker: rhetoric counts too.
    Feature(
        "count",
        "counts something",
        0.4,
        words=_terms(
            "two, three, four, five, six, seven, eight, nine, ten, eleven, twelve, fifteen, twenty, thirty, "
            "forty, fifty, sixty, seventy, eighty, ninety, dozen, half, twice, double, triple, one-third, "
            "a third, a quarter, majority, minority"
        ),
    ),
    Feature(
        "money",
        "mentions money",
        0.5,
        words=_terms("dollar, dollars, cent, cents, euro, euros, budget, budgets, pounds sterling"),
        pattern=r"[$€£¥]",
    ),
    Feature("percent", "states a percentage", 0.6, words=["percent", "per cent", "percentage"], pattern="%"),
    Feature(
        "date",
        "gives a date or period",
        0.5,
        words=_terms("last year, this year, last month, ago, decade, decades, in the past, yesterday, between, during"),
        # "Since" as a time ("since 1998", "since then"), not as "because".
        pattern=(
            rf"\b[Ss]ince (?:\d|(?:last|then|the (?:end|start|beginning|last|first))\b|{_MONTHS})"
            rf"|\b(?:1[6-9]|20)\d\d(?:s|'s)?\b|\b(?:{_MONTHS})(?= \d)|\b\d{{1,2}} (?:{_MONTHS})\b"
            rf"|\b(?:last|this|in|early|late) (?:{_MONTHS})\b"
        ),
    ),
    Feature(
        "comparison",
        "compares",
        0.7,
        words=_terms(
            "more than, less than, fewer, higher, lower, highest, lowest, largest, biggest, "
            "smallest, increase, increased, increases, decrease, decreased, rose, risen, fell, "
            "dropped, declined, doubled, tripled, halved, grown, compared, record, times as, "
            "as many as, as much as, up from, down from, rate, average, total, per, each year, worst, in history, "
            "the only, not a single, for the first time, doubling, tripling, raising, reducing, increasing"
        ),
        # Not "rather than", "other than", "grew up" or "fallen apart".
        pattern=r"(?<!rather )(?<!other )\bthan\b|\bgrew\b(?! up\b)|\bfallen\b(?! apart\b)",
        on="lower",
    ),
    Feature(
        "cause",
        "states a cause or effect",
        0.3,
        words=_terms(
            "caused, causes, led to, leads to, result of, as a result, resulted in, due to, because of, "
            "blamed, responsible for"
        ),
    ),
    Feature(
        "source",
        "cites a source",
        0.5,
        words=_terms(
            "according to, said, says, reported, reports, report, study, studies, survey, poll, polls, data, "
            "statistics, figures, cite, cites, cited, found that, shows, showed, estimate, estimates, "
            "estimated, census, research, testified, announced, confirmed, indicated"
        ),
    ),
    Feature(
        "action",
        "reports an action on record",
        0.7,
        # Things done leave records (votes, laws, spending) that can be checked.
        words=_terms(
            "voted, signed, passed, vetoed, spent, raised, cut, cuts, created, lost, approved, banned, "
            "funded, invested, opposed, supported, proposed, introduced, killed, died, elected, "
            "appointed, launched, closed, built, paid, borrowed, sold, bought, won, reduced, added, "
            "hired, fired, ended, started, began, tested, arrested, charged, ordered, sent, attacked, "
            "withdrew, moved, deployed, struck, invaded, sanctioned, imposed, repealed, enacted, "
            "increased, eliminated, took, gone, went"
        ),
    ),
    Feature(
        "past",
        "describes the past",
        0.3,
        # Past states are on record; the future and hypotheticals aren't.
        words=_terms("was, were, has been, have been, had been, had, did, didn't"),
    ),
    # Named bodies and people can be looked up; acronyms are mostly organisations and countries.
    Feature(
        "organisation",
        "names an organisation",
        0.4,
        words=_terms(
            "congress, senate, parliament, government, administration, ministry, federal, department, "
            "departments, agency, agencies, company, companies, corporation, corporations, union, unions, "
            "court, courts, bank, banks, university, commission, committee, council, authority, "
            "authorities, institute, bureau, association, foundation, board, organisation, "
            "organization, fund, inc, ltd, corp, army, military, police, navy, ministry"
        ),
        pattern=r"\b(?:[A-Z]\.){2,}|\b(?!I{1,3}\b|OK\b)[A-Z]{2,}s?\b",
    ),
    Feature(
        "name",
        "names a person or place",
        0.2,
        # A capitalised word inside the sentence, not straight after a quote or a colon.
        pattern=r"(?<![.!?:;\"“] )\b(?!I\b|I'|I’)[A-Z][a-z]+",
        on="rest",
    ),
    Feature(
        "measurable_topic",
        "measurable topic (economy, jobs, health...)",
        0.5,
        words=_terms(
            "tax, taxes, deficit, debt, unemployment, jobs, inflation, wage, wages, economy, crime, "
            "price, prices, spending, gdp, emissions, immigrant, immigrants, deaths, cases, troops, "
            "weapons, nuclear, insurance, income, oil, energy, interest rate, interest rates, "
            "poverty, population, trade, salary, salaries, casualties, votes, workers, "
            "students, patients, earnings, revenue, exports, imports"
        ),
    ),
    # What lowers the score: opinion, judgement, what should or will be, uncertainty, questions and chat.
    Feature(
        "opinion",
        "opinion words",
        -0.9,
        words=_terms(
            "think, believe, feel, hope, wish, opinion, agree, disagree, convinced, in my view, "
            "i'm sure, we're sure, to me"
        ),
    ),
    Feature(
        "judgement",
        "judgement words",
        -0.7,
        words=_terms(
            "great, best, terrible, wonderful, horrible, awful, nice, good, bad, love, hate, important, wrong, "
            "fair, unfair, ridiculous, shame, shameful, deserve, deserves, proud, disgrace, disgraceful, "
            "outrageous, absurd, pathetic, disaster, disastrous, catastrophe, catastrophic, incredible, "
            "unbelievable, tremendous, fantastic, amazing, brilliant, heroic, cowardly, reckless, foolish, "
            "stupid, crazy, insane, evil, wicked, beautiful, ugly, tragic, shocking, scandalous, hypocrisy, "
            "hypocritical, arrogant, arrogance, naive, decent, honest, dishonest, serious, seriously, tough, "
            "vital, critical, essential, deeply, truly, frankly, honestly, clearly, obviously, simply, surely, "
            "certainly, indeed, fundamental, fundamentally, unfortunately, fortunately, sadly, dangerous, "
            "failure, miserable, magnificent, splendid, marvelous, marvellous, glorious, noble, grave, "
            # Loaded words of news comment and analysis: they grade what happened rather than report it.
            "humiliating, humiliation, humiliated, epic, intolerable, bold, furious, divisive, acrimony, "
            "acrimonious, bitter, dramatic, stunning, devastating, brutal, ruthless, desperate, bizarre, "
            "outstanding, excellent, superb, remarkable, extraordinary, triumph, triumphant, astonishing, "
            "staggering, alarming, appalling, masterful, fiasco, debacle, shameless, notorious, infamous, "
            "sinister, cynical, blatant, vicious, savage, fierce, relentless, pitiful, laughable, dismal, "
            "stellar, spectacular, impressive, courageous, brave, incompetent, corrupt, irresponsible"
        ),
    ),
    Feature(
        "should",
        "says what should be",
        -0.7,
        words=_terms("should, shouldn't, must, ought, need to, needs to, have to, has to, got to, necessary"),
    ),
    Feature(
        "future",
        "looks ahead",
        -0.6,
        # Statements about the future can't be checked yet.
        words=_terms(
            "will, won't, shall, going to, future, tomorrow, next year, soon, someday, eventually, "
            "will be, plan to, intend, intends, expect, expects, predict"
        ),
    ),
    Feature(
        "promise",
        "promise or plan",
        -0.5,
        words=_terms(
            "i will, i'll, we will, we'll, i'm going to, we're going to, i would, i'd, we would, "
            "we'd, let me, let's, let us, i want, we want, we need, my plan, our plan, i promise, "
            "i pledge, i intend"
        ),
    ),
    Feature(
        "ability",
        "says what can or can't be",
        -0.5,
        # What can be done is no event on record; "was able to" reports one, so it is not a cue.
        words=_terms("can, can't, cannot"),
    ),
    Feature(
        "sweeping",
        "sweeping generalisation",
        -0.3,
        words=_terms("everybody, anybody, nobody, no one, everyone, anyone, always"),
    ),
    Feature(
        "mind",
        "what someone thinks or wants",
        -0.3,
        # Someone else's beliefs, wishes and fears are inferred, not on record.
        words=_terms(
            "wants, wanted, believes, believed, thinks, thought, feels, felt, hopes, hoped, fears, feared, "
            "knows, knew, understands, understood, realised, realized, considers, considered, regards, "
            "regarded, sees as, saw as, sees in, saw in"
        ),
    ),
    Feature(
        "analysis",
        "reads motives or meaning",
        -0.3,
        # Analysis explains why and what it means: motives, goals, lessons and conclusions drawn.
        words=_terms(
            "reason, reasons, motive, motives, strategy, goal, goals, aim, aims, purpose, mission, missions, "
            "agenda, ambition, ambitions, calculation, calculus, gamble, gambled, lesson, lessons, signal, "
            "symbol, symbolic, effectively, essentially, in effect, in other words, after all, therefore, "
            "thus, hence"
        ),
    ),
    Feature(
        "hypothetical",
        "hypothetical",
        -0.4,
        words=_terms("if, unless, would, wouldn't, suppose, imagine, whether"),
    ),
    Feature(
        "hedge",
        "hedges",
        -0.6,
        words=_terms(
            "maybe, perhaps, might, could, probably, possibly, seem, seems, seemed, likely, unlikely, "
            "guess, suppose, sort of, kind of, apparently, presumably, arguably, appears, appear, "
            "somewhat, more or less"
        ),
        # "may", but not the month.
        pattern=r"\bmay\b",
    ),
    Feature(
        "first_person",
        "first person",
        -0.3,
        words=_terms("i, me, my, mine, myself, i'm, i've, i'd, i'll"),
    ),
    Feature(
        "personal",
        "personal story",
        -0.5,
        # Facts of one's own life are true or false, but rarely worth a desk's time.
        words=_terms(
            "my wife, my husband, my father, my mother, my son, my daughter, my family, my grandfather, "
            "my grandmother, my brother, my sister, my children, my kids, my dad, my mom, my parents, "
            "i met, i talked, i visited, i went, i grew up, i was born, i remember, i saw, i spoke, i heard, "
            "i learned"
        ),
    ),
    Feature(
        "meta",
        "about the debate or the text itself",
        -0.6,
        words=_terms(
            "debate, debates, moderator, question, questions, answer, answers, tonight, audience, "
            "this article, next article, this story, read more, this piece"
        ),
    ),
    Feature(
        "listener",
        "speaks to the listener",
        -0.2,
        words=_terms("you, your, you're, yourself, you've, you'll"),
    ),
    Feature(
        "chat",
        "conversational",
        -0.8,
        words=_terms("thank you, ladies and gentlemen"),
        pattern=r"(?i)^\W*(?:well|yes|no|oh|okay|ok|thanks|excuse me|of course|look|listen)\b",
    ),
    Feature("question", "question", -1.6, pattern=r"\?\W*$"),
    Feature("exclamation", "exclamation", -0.4, pattern="!"),
)

# Length is a count, not a cue: a few words rarely carry a checkable claim.
TOO_SHORT_WORDS = 5
SHORT_WORDS = 8
TOO_SHORT = ("too short", -1.8)
SHORT = ("short", -0.6)
LIST_PART = ("list item or lead-in", -0.4)
BIAS = -1.0
# Reasons the trainable model's columns follow, in order: every feature, then the three shape cues.
REASONS: tuple[str, ...] = (*(f.reason for f in FEATURES), TOO_SHORT[0], SHORT[0], LIST_PART[0])
WEIGHTS: tuple[float, ...] = (*(f.weight for f in FEATURES), TOO_SHORT[1], SHORT[1], LIST_PART[1])

_TOKEN = re.compile(r"[^\W_]+(?:['-][^\W_]+)*")
# "2. ", "(b) ", "iv) ", "- 3) " at the start: numbering, not a figure.
_LIST_NUMBERING = re.compile(r"^\s*(?:[-•*–—]\s*)?\(?(?:\d{1,3}|[a-hA-H]|[ivxIVX]{1,4})[.)](?=\s)\s*")
# Masked before looking for figures: years, month-day dates, times, model and code names ("F-35", "S-300",
# "COVID-19", "G7"), ordinal-style labels ("9/11"), and numbers glued into words.
_NOT_FIGURES = re.compile(
    rf"\b(?:1[6-9]|20)\d\d(?:s|'s)?\b"
    rf"|\b(?:{_MONTHS}) \d{{1,2}}(?:st|nd|rd|th)?\b|\b\d{{1,2}}(?:st|nd|rd|th)? (?:{_MONTHS})\b"
    r"|\b\d{1,2}(?::\d\d)?\s?(?:a\.m\.|p\.m\.|am\b|pm\b)"
    r"|\b[A-Za-z]+-?\d+[A-Za-z]*\b|\b\d+/\d+\b"
)


def _prepare(text: str) -> _Sentence:
    text = (text or "").strip()
    if text.isupper():
        # All-caps headlines would make every word an acronym or a name.
        text = text.capitalize()
    numbering = _LIST_NUMBERING.match(text)
    if numbering:
        text = text[numbering.end() :]
    lower = text.lower().replace("’", "'")
    tokens = _TOKEN.findall(lower)
    return _Sentence(
        text=text,
        lower=lower,
        tokens=frozenset(tokens),
        rest=text.partition(" ")[2],
        figures=_NOT_FIGURES.sub(" ", text),
        n_words=len(tokens),
        list_part=numbering is not None or text.endswith(":"),
    )


def feature_hits(text: str) -> list[bool]:
    """Whether each cue in REASONS fires for the sentence, in REASONS order."""
    sentence = _prepare(text)
    hits = [feature.fires(sentence) for feature in FEATURES]
    hits.append(sentence.n_words < TOO_SHORT_WORDS)
    hits.append(TOO_SHORT_WORDS <= sentence.n_words < SHORT_WORDS)
    hits.append(sentence.list_part)
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
