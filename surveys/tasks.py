from celery import shared_task

from surveys import services


@shared_task
def surveys_dispatch_due() -> int:
    return services.surveys_dispatch_due()


@shared_task
def surveys_send_reminders() -> int:
    return services.surveys_send_reminders()
