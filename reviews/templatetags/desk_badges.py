"""Badges for reports and members: each state's tone is said once, here."""

from django import template

from factcheck.core.badges import badge
from reviews.models import Report

register = template.Library()


REPORT_TONES = {Report.Status.PUBLISHED: "success", Report.Status.WITHDRAWN: "muted", Report.Status.DRAFT: "warning"}


@register.simple_tag
def report_status_badge(report):
    if report is None:
        return badge("Not saved yet", "plain")
    return badge(report.get_status_display(), REPORT_TONES.get(report.status, "muted"))


@register.simple_tag
def member_state_badge(member):
    return badge("Active", "success") if member.is_active else badge("Deactivated", "muted")
