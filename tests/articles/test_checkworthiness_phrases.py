"""A cue's phrases are looked for as plain substrings before its regex is searched: a shortcut that must never
change whether the cue fires."""

from articles.checkworthiness import FEATURES, Feature, _prepare, feature_hits

SENTENCES = [
    "According to the report, unemployment rose more than 3 percent last year.",
    "The self-led to a new record, as a result of the vote.",
    "I'm sure we're going to win; in my view it's the best plan.",
    "Prices rose more thanks to the weather than to policy.",
    "Thank you, ladies and gentlemen.",
    "It was due to rain, and interest rates have been higher in the past.",
    "ACCORDING TO OFFICIALS THE BRIDGE WILL BE CLOSED.",
    "Nothing here matches any phrase at all",
]


def _fires_by_regex_alone(feature: Feature, sentence) -> bool:
    if feature.words and not feature.words.isdisjoint(sentence.tokens):
        return True
    if feature.phrases is not None and feature.phrases.search(sentence.lower):
        return True
    return feature.pattern is not None and feature.pattern.search(getattr(sentence, feature.on)) is not None


def test_every_cue_fires_exactly_as_its_regexes_alone_would():
    for text in SENTENCES:
        sentence = _prepare(text)
        for feature in FEATURES:
            assert feature.fires(sentence) == _fires_by_regex_alone(feature, sentence), (feature.name, text)


def test_a_phrase_fires_only_at_word_boundaries():
    feature = Feature("t", "test", 1.0, words=["more than"])
    assert feature.fires(_prepare("Costs rose more than before."))
    assert not feature.fires(_prepare("She had more thanks than she expected."))
    assert feature_hits("It rose more than before.")[[f.name for f in FEATURES].index("comparison")]
