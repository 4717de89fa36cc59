"""Prepares the peer for Careline: the connector's staff user and API token (the API is
staff-only), an agent with a token of its own, a queue per Careline category, and the
custom field that holds Careline's case id (the connector's idempotency marker).
Prints what the connector's settings need as JSON. Running it again changes nothing."""

import json
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from helpdesk.models import CustomField, Queue
from rest_framework.authtoken.models import Token

CATEGORIES = ("general", "baggage", "refunds", "rebooking", "payments", "app-help")


class Command(BaseCommand):
    help = "Create Careline's API user, agent, queues and case-id field; print them as JSON."

    def handle(self, *args: Any, **options: Any) -> None:
        users = get_user_model()
        tokens = {}
        for name in ("careline", "agent"):
            user, _ = users.objects.get_or_create(
                username=name,
                defaults={"email": f"{name}@peer.invalid", "first_name": name.title()},
            )
            user.is_staff = user.is_superuser = True
            user.set_password(secrets.token_urlsafe(16))
            user.save()
            tokens[name] = Token.objects.get_or_create(user=user)[0].key
        queues = {}
        for slug in CATEGORIES:
            queue, _ = Queue.objects.get_or_create(
                slug=slug, defaults={"title": slug.replace("-", " ").title()}
            )
            queues[slug] = queue.id
        CustomField.objects.get_or_create(
            name="careline_case",
            defaults={
                "label": "Careline case",
                "data_type": "varchar",
                "max_length": 64,
                "required": False,
                "staff_only": True,
            },
        )
        found = {"token": tokens["careline"], "agent_token": tokens["agent"], "queues": queues}
        self.stdout.write(json.dumps(found))
