from typing import Any

from celery import Task, shared_task

from webhooks import services


@shared_task(bind=True, max_retries=8, retry_backoff=True, retry_backoff_max=3600)
def webhook_deliver(self: Task[Any, Any], delivery_id: int) -> str:
    """Retries with exponential backoff (up to about an hour apart), then gives up."""
    final = self.request.retries >= (self.max_retries or 0)
    try:
        return services.webhook_deliver(delivery_id, final_attempt=final)
    except services.RetryableDeliveryError as exc:
        raise self.retry(exc=exc, countdown=min(3600, 2 ** (self.request.retries + 2))) from exc
