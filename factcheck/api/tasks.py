"""Celery tasks for webhooks: thin wrappers that take ids and call one service. Each is safe to run twice."""

from celery import shared_task

from factcheck.celery_app import task_options

from .services import webhooks


# A fetch in kind (its timeouts), but it tells someone something: it waits on the notifications queue, never
# behind a long import.
@shared_task(**task_options("fetch", queue="notifications"))
def webhook_delivery_task(self, delivery_id: int) -> None:
    # The delivery is claimed before it is sent, so a repeated or overlapping run sends it once.
    retry_in = webhooks.webhook_delivery_attempt(delivery_id=delivery_id)
    if retry_in is not None:
        # The attempt count on the row bounds the retries (API_WEBHOOK_MAX_ATTEMPTS), not Celery's.
        raise self.retry(countdown=retry_in, max_retries=None)


@shared_task(**task_options("sweep"))
def webhook_deliveries_requeue_task(self) -> int:
    """Run by Celery beat: send again deliveries whose message was lost or whose worker died."""
    return len(webhooks.webhook_deliveries_requeue())
