"""The hub's tables, one module a subject, all in one `metadata`; import them from here.

Times are RFC 3339 UTC text (sortable, identical on both databases); lists and documents
are JSON text."""

from app.backend.db.tables.accounts import auth_codes, customers, sign_in_failures, tokens
from app.backend.db.tables.casework import attachments, case_messages, cases
from app.backend.db.tables.channels import channel_comments, channel_outbox, channel_tickets
from app.backend.db.tables.common import counters, meta, metadata
from app.backend.db.tables.insight import search_gap_batches, search_gaps
from app.backend.db.tables.kb import article_feedback, articles, categories
from app.backend.db.tables.mail import mail_cases, mail_ids, mail_outbox
from app.backend.db.tables.push_fanout import push_batches, push_sent
from app.backend.db.tables.push_targets import alert_devices, devices, subscriptions
from app.backend.db.tables.scheduling import callbacks, queues, slot_usage, staffing
from app.backend.db.tables.social import social_keys, social_posts, social_warnings
from app.backend.db.tables.staff import audit_log, staff
from app.backend.db.tables.status import components, incident_updates, incidents
from app.backend.db.tables.sync import events, mutations, sync_changes

__all__ = [
    "alert_devices",
    "article_feedback",
    "articles",
    "attachments",
    "audit_log",
    "auth_codes",
    "callbacks",
    "case_messages",
    "cases",
    "categories",
    "channel_comments",
    "channel_outbox",
    "channel_tickets",
    "components",
    "counters",
    "customers",
    "devices",
    "events",
    "incident_updates",
    "incidents",
    "mail_cases",
    "mail_ids",
    "mail_outbox",
    "meta",
    "metadata",
    "mutations",
    "push_batches",
    "push_sent",
    "queues",
    "search_gap_batches",
    "search_gaps",
    "sign_in_failures",
    "slot_usage",
    "social_keys",
    "social_posts",
    "social_warnings",
    "staff",
    "staffing",
    "subscriptions",
    "sync_changes",
    "tokens",
]
