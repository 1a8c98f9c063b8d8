"""The e-mails' words: one notice, or a day's digest, as plain text with full links back to the desk."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from .links import absolute, notice_path

SUBJECT_PREFIX = "[Factcheck] "
SUBJECT_MAX = 150


def _subject(text: str) -> str:
    # A header is one line: imported text (a statement, a headline) must not break it.
    text = " ".join(text.split())
    return SUBJECT_PREFIX + (text if len(text) <= SUBJECT_MAX else text[: SUBJECT_MAX - 1] + "…")


def _context(recipient) -> dict:
    return {
        "name": recipient.get_full_name() or recipient.username,
        "list_url": absolute(reverse("notifications:list")),
        "settings_url": absolute(reverse("api:settings")),
    }


def notice_email(notice, recipient) -> EmailMessage:
    context = {**_context(recipient), "notice": notice, "url": absolute(notice_path(notice))}
    body = render_to_string("notifications/email/notice.txt", context)
    return EmailMessage(_subject(notice.title), body, settings.DEFAULT_FROM_EMAIL, [recipient.email])


def digest_email(recipient, notices, *, more: bool, day) -> EmailMessage:
    items = [(notice, absolute(notice_path(notice))) for notice in notices]
    context = {**_context(recipient), "items": items, "more": more, "day": day}
    body = render_to_string("notifications/email/digest.txt", context)
    count = f"{len(items)}{'+' if more else ''}"
    subject = f"Your day on the desk: {count} unread notice{'s' if len(items) != 1 or more else ''}"
    return EmailMessage(_subject(subject), body, settings.DEFAULT_FROM_EMAIL, [recipient.email])
