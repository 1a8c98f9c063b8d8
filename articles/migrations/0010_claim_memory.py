"""The claim memory: statements remember when they were matched, settled statements are remembered, and
editors decide suggested matches. Existing statements count as matched (the desk has already seen them) and
the ones already settled enter the memory: two set-based statements, fine at a million rows."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


# Statements that existed before the memory are not looked up again: the desk has already seen them.
MARK_MATCHED = "UPDATE articles_statement SET matched_at = CURRENT_TIMESTAMP WHERE matched_at IS NULL"
# Everything settled so far is what the memory starts with, in id order so the memory's ids follow the statements'.
REMEMBER_SETTLED = """
    INSERT INTO articles_rememberedclaim (statement_id, remembered_at)
    SELECT id, CURRENT_TIMESTAMP FROM articles_statement WHERE review_status = 'settled' ORDER BY id
    ON CONFLICT (statement_id) DO NOTHING
"""


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0009_article_newest_first_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ClaimMatch',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('score', models.FloatField(help_text="The matcher's similarity (0..1); a trained matcher's P(same claim).")),
                ('method', models.CharField(help_text='The matcher version that suggested it.', max_length=100)),
                ('status', models.CharField(choices=[('suggested', 'Suggested'), ('confirmed', 'Confirmed'), ('rejected', 'Rejected')], default='suggested', max_length=10)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
            ],
            options={
                'ordering': ['statement', '-score', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='MatcherModel',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.CharField(max_length=100, unique=True)),
                ('trained_at', models.DateTimeField(auto_now_add=True)),
                ('source', models.CharField(help_text="What it learned from, e.g. 'desk decisions (40 pairs)'.", max_length=200)),
                ('metrics', models.JSONField(blank=True, default=dict)),
                ('payload', models.BinaryField()),
                ('is_active', models.BooleanField(default=False)),
            ],
            options={
                'ordering': ['-trained_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='RememberedClaim',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('remembered_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'ordering': ['pk'],
            },
        ),
        migrations.AddField(
            model_name='statement',
            name='matched_at',
            field=models.DateTimeField(blank=True, help_text='When the claim memory was searched for earlier checks of this statement; empty while it waits.', null=True),
        ),
        migrations.RunSQL(MARK_MATCHED, migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name='statement',
            index=models.Index(condition=models.Q(('matched_at__isnull', True)), fields=['id'], name='statement_unmatched'),
        ),
        migrations.AddField(
            model_name='claimmatch',
            name='decided_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='claimmatch',
            name='earlier',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='later_matches', to='articles.statement'),
        ),
        migrations.AddField(
            model_name='claimmatch',
            name='statement',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='claim_matches', to='articles.statement'),
        ),
        migrations.AddField(
            model_name='matchermodel',
            name='trained_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='rememberedclaim',
            name='statement',
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='articles.statement'),
        ),
        migrations.AddIndex(
            model_name='claimmatch',
            index=models.Index(condition=models.Q(('status', 'suggested'), _negated=True), fields=['status'], name='claimmatch_decided'),
        ),
        migrations.AddConstraint(
            model_name='claimmatch',
            constraint=models.UniqueConstraint(fields=('statement', 'earlier'), name='claimmatch_unique_pair'),
        ),
        migrations.AddConstraint(
            model_name='claimmatch',
            constraint=models.CheckConstraint(condition=models.Q(('statement', models.F('earlier')), _negated=True), name='claimmatch_not_itself'),
        ),
        migrations.AddConstraint(
            model_name='matchermodel',
            constraint=models.UniqueConstraint(condition=models.Q(('is_active', True)), fields=('is_active',), name='one_active_matcher'),
        ),
        migrations.RunSQL(REMEMBER_SETTLED, migrations.RunSQL.noop),
    ]
