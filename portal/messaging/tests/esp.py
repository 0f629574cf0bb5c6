"""An email backend that behaves like Postmark through django-anymail, offline: each
message gets a Postmark-style MessageID (a UUID) in `anymail_status`, which the sending
loop stores on the delivery, and lands in `django.core.mail.outbox`."""

from __future__ import annotations

import uuid

from anymail.backends.test import EmailBackend as AnymailTestBackend


class PostmarkLikeBackend(AnymailTestBackend):
    esp_name = "Postmark"

    def get_esp_message_id(self, message):
        return str(uuid.uuid4())
