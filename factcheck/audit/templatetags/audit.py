from django import template

from .. import actions

register = template.Library()


@register.filter
def action_label(event) -> str:
    return actions.label(event.action)


@register.filter
def action_details(event) -> str:
    return actions.details(event.action, event.before, event.after)
