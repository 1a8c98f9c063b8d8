from django.contrib import admin

from .models import ArticleSummary, Assignment, Rating, Report, StatementSummary, TeamSummary


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ("pk", "statement", "reviewer", "status", "created_at")
    list_filter = ("status",)
    raw_id_fields = ("statement",)


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ("pk", "statement", "reviewer", "verdict", "confidence")
    raw_id_fields = ("statement",)


admin.site.register(StatementSummary)
admin.site.register(ArticleSummary)


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("pk", "article", "status", "published_at", "published_by")
    list_filter = ("status",)
    raw_id_fields = ("article",)


@admin.register(TeamSummary)
class TeamSummaryAdmin(admin.ModelAdmin):
    list_display = ("scope", "reviewer", "rating_count", "alpha_ordinal", "updated_at")
