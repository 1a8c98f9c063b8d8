"""Cut an article body into checkable statements, keeping character offsets.

Pure Python, no Django. Paragraphs are separated by blank lines; a statement never crosses one.
One compiled regex finds every candidate boundary (sentence punctuation followed by whitespace,
line ends, paragraph breaks); each candidate is then judged by cheap look-ups on the token before
and the word after it. That keeps accuracy close to pysbd at many times its speed.

Times ("a.m."/"p.m." in any case, "5a.m." too) are one rule. The words around "5 A.M. Mr. Smith"
cannot tell "At 5 A.M. Mr. Smith went to the bank." (one sentence) from "He left the bank at 6 P.M.
Mr. Smith then went home." (two), so the rule also looks at what comes before the time:
- A time ends a statement only before a sentence starter ("The meeting ends at 5 p.m. The vote is on
  Friday.") or a title ("... at 6 P.M. Mr. Smith then left."), and only when it closes a clause: the
  time phrase ("at 6", "on Monday at 9", "shortly after 5") follows a word of that clause ("bank",
  "ends", "was").
- A time phrase that opens a clause cannot end a statement: at the start of one ("At 5 A.M. Mr. Smith
  went...", "By 6 p.m. The Times had it"), after a comma or a linking word ("police said that at 5 a.m.
  Mr. Smith...", "and at 6 p.m. Dr. Jones...").
- Other capitalised words go on with the time: in news they do far more often than they start a
  sentence ("at 7 p.m. Tuesday", "at 3:00 P.M. Pacific Time", "at 11 a.m. EDT"). A name starting a new
  sentence right after a time ("... at 6 p.m. Jones then left.") is therefore missed.
"am"/"pm" without dots are words, not abbreviations: their period ends a statement like any other.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple


class Span(NamedTuple):
    start: int  # offset into the body passed in
    end: int  # exclusive; body[start:end] == text
    text: str


# Candidates: a single newline or a blank-line run (paragraph break), or a run of terminal
# punctuation (spaced ". . ." ellipses included) plus closing quotes/brackets before whitespace.
# Every candidate starts with one character class so the regex engine can skip ahead quickly; a
# punctuation run is matched once, from its first character and without backtracking, so long dot
# runs ("........x") stay linear.
_CANDIDATE = re.compile(
    r"[\n.!?…‼⁇⁈⁉]"
    r"(?:(?<=\n)(?:\s*\n)?"
    r"|(?<![.!?…‼⁇⁈⁉].)(?<![.!?…] .)[.!?…‼⁇⁈⁉]*+(?: [.!?…]++)*+[\"'”’»›)\]}]*+(?=\s|\Z))"
)
_PUNCT_RUN = re.compile(r"[.!?…‼⁇⁈⁉]++(?: [.!?…]++)*+")
_CONTENT = re.compile(r"[^\s•⁃◦▪‣·*–—-]")
_PARA_BREAK = re.compile(r"\n\s*\n")
# The word after a candidate, past whitespace and opening quotes/brackets.
_NEXT_WORD = re.compile(r"\s*[\"'“‘«‹(\[¿¡]*(\w*)")
_NEXT_LINE_CHAR = re.compile(r"[^\S\n]*(\S?)")
# "U.S", "E.U", "a.m", "Ph.D" (the final period is the candidate itself).
_DOTTED = re.compile(r"(?:[A-Za-z]{1,2}\.)+[A-Za-z]{1,2}")
_BULLETS = "•⁃◦▪‣·*–—-"
# A list item at the start of a paragraph or line: optional bullet, label, "." / ".)" / ")".
_LIST_START = re.compile(
    r"\s*(?P<bullet>[•⁃◦▪‣·*–—-][^\S\n]*)?(?P<label>\d{1,3}|[a-z]|[A-Z])(?P<close>\.\)|\.|\))[^\S\n]+(?=\S)"
)
_ROMAN_LABEL = re.compile(r"[IVX]{1,4}|[ivx]{1,4}")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Titles stand before a name: never the end of a statement ("Maj. Gen. Qassem Soleimani").
_TITLES = _words(
    """mr mrs ms mx dr prof gen maj col capt cpt lt sgt cpl pvt cmdr adm brig gov sen rep rev fr st mt
    hon pres supt insp messrs mme mlle atty amb det rt"""
)
# Never the end: Latin connectives, "Roe v. Wade".
_NEVER_END = _words("e.g i.e vs v cf viz")
# Ordinary abbreviations: they end a statement before a capitalised word ("Pitt, Briggs & Co. It
# closed"), not before a number ("Feb. 11", "p. 55", "N°. 1026").
_ABBREVIATIONS = _words(
    """no nos nr n° nº p pp para paras vol vols fig figs art arts ch chap sec sect pt pts op ed eds eq
    tab ex ca approx est inc ltd co corp plc bros dept div assn assoc univ ave blvd rd hwy jr sr esq
    etc al min max hr hrs mins oz lb lbs jan feb mar apr jun jul aug sep sept oct nov dec
    mon tue tues wed thu thur thurs fri sat sun"""
)
# Words that almost always start a sentence. After an ambiguous abbreviation or an initial
# ("the U.S. How about", "you and I. Did you") they decide for a boundary; names and ordinary
# nouns ("U.S. Government", "Albert I. Jones") don't.
_SENTENCE_STARTERS = _words(
    """A An The This That These Those There Here Then Thus It Its I He She We They You His Her Our Their
    My Your Some Many Most All Both Each Every No Not None Nor Only Even Such Being Did Do Does Is Are
    Was Were Has Have Had Can Could Would Should Shall Must For In On At As After Before By From With
    Without To Of Under Over During Since While Although Though If When Where Why What Who Whom Whose
    Which How However Meanwhile Moreover Furthermore Nevertheless Nonetheless Therefore Instead Also
    Yet Still But And So Or Now Today Yesterday Tomorrow Last Next One Millions More"""
)
# A time abbreviation, with or without the hour glued on: "a.m", "P.M", "5a.m", "10:30p.m".
_TIME = re.compile(r"(?:\d{1,2}(?:[:.]\d\d)?)?[AaPp]\.[Mm]")
# Words of a time phrase before the hour ("on Monday at", "shortly after", "between ... and").
_TIME_PHRASE = _words(
    """at by around about after before until till since from between on shortly just early late sometime
    starting beginning toward towards nearly almost exactly precisely promptly roughly approximately right
    today tonight yesterday tomorrow monday tuesday wednesday thursday friday saturday sunday"""
)
# Words after which a clause starts, so a time phrase following them opens it ("said that at 5 a.m.").
_CLAUSE_LINKS = _words("that and but or so then because while when whenever where if as once though although which who")
# Titles that are also place words: "at 5 p.m. St. Louis time" goes on with the time.
_PLACE_TITLES = _words("st mt")
# A line ending in one of these continues on the next line (hard-wrapped text).
_CONTINUES = ",;&/(–—-"


def split_statements(body: str) -> list[Span]:
    """Return the statements of ``body`` in order, each stripped, with offsets into ``body``."""
    cuts: list[int] = []
    forced: list[int] = []  # cuts before list items found inside a paragraph
    markers: set[int] = set()  # positions of the "." of list-item markers: never a boundary
    last_cut = 0
    last_punct_end = -1
    list_until = _register_list(body, 0, markers, forced, -1)

    for m in _CANDIDATE.finditer(body):
        s = m.start()
        e = m.end()
        if body[s] == "\n":
            if e - s > 1:  # paragraph break
                cuts.append(s)
                last_cut = s
                list_until = _register_list(body, e, markers, forced, list_until)
                continue
            if _LIST_START.match(body, e):  # a list item starts the next line
                list_until = _register_list(body, e, markers, forced, list_until)
                cuts.append(s)
                last_cut = s
            elif _line_is_own_statement(body, s, e, last_punct_end):
                cuts.append(s)
                last_cut = s
            continue

        last_punct_end = e
        if s in markers:
            continue
        cut = _judge_punctuation(body, m, last_cut)
        if cut >= 0:
            cuts.append(cut)
            last_cut = cut

    if forced:
        cuts = sorted(set(cuts).union(forced))
    cuts.append(len(body))

    spans: list[Span] = []
    prev = 0
    for cut in cuts:
        if cut > prev:
            segment = body[prev:cut]
            text = segment.strip()
            if text:
                start = prev + len(segment) - len(segment.lstrip())
                spans.append(Span(start, start + len(text), text))
            prev = cut
    return spans


def _line_is_own_statement(body: str, s: int, e: int, last_punct_end: int) -> bool:
    """A line without terminal punctuation (a heading) stands alone, unless it is hard-wrapped prose."""
    # The line ended with punctuation: that candidate already decided.
    if last_punct_end >= 0 and s - last_punct_end < 64 and not body[last_punct_end:s].strip():
        return False
    before = body[max(0, s - 64) : s].rstrip()
    if not before or before[-1] in _CONTINUES:
        return False
    following = _NEXT_LINE_CHAR.match(body, e).group(1)
    return not following.islower()


def _judge_punctuation(body: str, m: re.Match[str], last_cut: int) -> int:
    """Return where to cut for a punctuation candidate, or -1 when it is not a boundary."""
    s = m.start()
    e = m.end()
    word = _NEXT_WORD.match(body, e).group(1)
    if word:
        first = word[0]
        if first.islower():
            return -1
        next_is_digit = first.isdigit()
    else:
        next_is_digit = False

    punct = _PUNCT_RUN.match(body, s).group()
    if "!" in punct or "?" in punct or "‼" in punct or "⁇" in punct or "⁈" in punct or "⁉" in punct:
        return e

    before = body[max(0, s - 40) : s]
    token = "" if not before or before[-1].isspace() else before.split()[-1]

    dots = punct.count(".")
    if dots >= 3 or "…" in punct:
        return _judge_ellipsis(punct, token, s, e, dots, has_next=bool(word))

    if not token:  # "word . Next"
        return e
    core = token.lstrip("\"'“‘«‹([" + _BULLETS)
    if not core:
        return e
    # A bare list label at the start of a statement: "1. To clinch", "a. The first item".
    if len(core) <= 4 and (
        (core.isdigit() and len(core) <= 3) or (len(core) == 1 and core.isalpha()) or _ROMAN_LABEL.fullmatch(core)
    ):
        token_start = s - len(token)
        # Nothing but whitespace or a bullet since the last cut, or a colon just before ("Goals: 1. Win.").
        if _CONTENT.search(body, last_cut, token_start) is None:
            return -1
        if body[max(last_cut, token_start - 64) : token_start].rstrip().endswith(":"):
            return -1

    if _TIME.fullmatch(core):
        return _judge_time(body, s - len(token), word, last_cut, e)
    if len(core) == 1 and core.isupper():
        # An initial ("J. R. R. Tolkien", "Joseph P. Martino"), unless a sentence clearly follows.
        return e if word in _SENTENCE_STARTERS else -1
    key = core.lower()
    if key == "st":  # "St. Michael's" is a saint, "on Main St. The house" a street
        return e if word in _SENTENCE_STARTERS else -1
    if key in _TITLES or key in _NEVER_END:
        return -1
    if key in _ABBREVIATIONS or (len(core) == 1 and core.isalpha()):
        return -1 if next_is_digit else e
    if "." in core and _DOTTED.fullmatch(core):
        return e if word in _SENTENCE_STARTERS else -1
    return e


def _judge_time(body: str, token_start: int, word: str, last_cut: int, e: int) -> int:
    """A time ends a statement before a sentence starter or a title, if its phrase closes a clause."""
    if word not in _SENTENCE_STARTERS and (word.lower() not in _TITLES or word.lower() in _PLACE_TITLES):
        return -1  # lower case, a number, the end, or a capitalised word going on with the time
    # A bounded look back keeps the splitter linear when many times in a row are not cut.
    window_start = max(last_cut, token_start - 120)
    words = body[window_start:token_start].split()
    if words and words[-1][:1].isdigit():
        words.pop()  # the hour of "5 a.m."
    for previous in reversed(words):
        if previous[-1] in ",;:(" or not previous.strip(_BULLETS):  # a comma, a dash or a bullet before it
            return -1
        key = previous.strip("\"'“‘«‹()[]").lower()
        if key in _TIME_PHRASE:
            continue
        return -1 if key in _CLAUSE_LINKS else e
    # Nothing but the time phrase since the last cut: it opens the statement ("At 5 a.m.").
    return -1 if window_start == last_cut else e


def _judge_ellipsis(punct: str, token: str, s: int, e: int, dots: int, *, has_next: bool) -> int:
    """Ellipses follow the Golden Rules: '...'/'....' + capital ends; spaced '. . .' is an omission."""
    if token and token[-1] in "[(":  # "[...]" marks an omission inside a quotation
        return -1
    if " " not in punct:
        return e
    if token:
        # "compounds. . . . The practice": the period ends the sentence and the ellipsis
        # opens the next one. At the very end the whole run stays with the sentence.
        return s + 1 if dots >= 4 and has_next else -1
    return e if dots >= 4 else -1


def _register_list(body: str, start: int, markers: set[int], forced: list[int], list_until: int) -> int:
    """Note a list item starting at ``start`` and, within its paragraph, the items that follow it.

    Markers are numbered or lettered in sequence ("1.) ... 2.) ...", "a. ... b. ..."); each later
    one gets a forced cut before it even without punctuation. Returns how far the paragraph goes.
    """
    lm = _LIST_START.match(body, start)
    if lm is None:
        return list_until
    close = lm.group("close")
    if close[0] == ".":
        markers.add(lm.start("close"))
    label = lm.group("label")
    if lm.end() < list_until or label.isupper():
        # Already searched this paragraph; uppercase letters are far more often initials.
        return list_until
    pm = _PARA_BREAK.search(body, lm.end())
    end = pm.start() if pm else len(body)
    bullet = (lm.group("bullet") or "").strip()
    pos = lm.end()
    while True:
        label = _next_label(label)
        if label is None:
            break
        pattern = _marker_pattern(bullet, label, close)
        found = None
        while True:
            fm = pattern.search(body, pos, end)
            if fm is None:
                break
            pos = fm.end()
            if not body[fm.end() : fm.end() + 1].islower():
                found = fm
                break
        if found is None:
            break
        forced.append(found.start())
        if close[0] == ".":
            markers.add(found.start("close"))
    return end


def _next_label(label: str) -> str | None:
    if label.isdigit():
        return str(int(label) + 1)
    if "a" <= label < "z":
        return chr(ord(label) + 1)
    return None


@lru_cache(maxsize=256)
def _marker_pattern(bullet: str, label: str, close: str) -> re.Pattern[str]:
    lead = re.escape(bullet) + r"[^\S\n]*" if bullet else ""
    return re.compile(r"(?<=\s)" + lead + re.escape(label) + "(?P<close>" + re.escape(close) + r")[^\S\n]+")
