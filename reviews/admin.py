from django.contrib import admin

from .models import ArticleSummary, Assignment, Rating, ReviewEvent, StatementSummary


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
admin.site.register(ReviewEvent)
