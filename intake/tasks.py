"""Intake background work: the provider's notice of a request for information."""

import smtplib

from um_portal.celery import app

from .services.notices import information_request_notify_provider


@app.task(
    name="intake.tasks.information_request_notify",
    autoretry_for=(smtplib.SMTPException, ConnectionError),
    retry_backoff=True,
    max_retries=5,
)
def information_request_notify(information_request_id: str) -> bool:
    return information_request_notify_provider(information_request_id=information_request_id)
