from django.contrib import admin

from .models import Article, ImportItem, ImportJob, ImportSource, Statement


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ("pk", "label", "status", "succeeded", "duplicates", "failed", "created_at")
    list_filter = ("status", "source")


@admin.register(ImportItem)
class ImportItemAdmin(admin.ModelAdmin):
    list_display = ("pk", "job", "name", "status", "article")
    list_filter = ("status",)
    raw_id_fields = ("job", "source", "article")
    exclude = ("raw",)


@admin.register(ImportSource)
class ImportSourceAdmin(admin.ModelAdmin):
    list_display = ("pk", "job", "name", "kind", "done")
    raw_id_fields = ("job",)
    exclude = ("raw",)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("pk", "title", "site_name", "created_at")
    search_fields = ("title", "url")


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    list_display = ("pk", "article", "position", "score", "checkability")
    raw_id_fields = ("article",)
