from rest_framework import serializers

MAX_TEXTS = 500
MAX_TEXT_LENGTH = 5000


class ScoreRequestSerializer(serializers.Serializer):
    texts = serializers.ListField(
        child=serializers.CharField(max_length=MAX_TEXT_LENGTH, trim_whitespace=True),
        min_length=1,
        max_length=MAX_TEXTS,
        help_text=f"Sentences to score, 1 to {MAX_TEXTS}, each up to {MAX_TEXT_LENGTH} characters.",
    )


class ScoreSerializer(serializers.Serializer):
    text = serializers.CharField()
    score = serializers.FloatField(help_text="Check-worthiness, 0 (not worth checking) to 1.")
    reasons = serializers.ListField(child=serializers.CharField())


class ScoreResponseSerializer(serializers.Serializer):
    model = serializers.CharField(help_text="The active model's name (rules-v2 or a trained version).")
    scores = ScoreSerializer(many=True)
