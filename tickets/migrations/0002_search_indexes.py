"""GIN indexes for full-text search, on PostgreSQL only.

They index exactly the expressions Django's SearchVector(..., config="english")
generates, so tickets.search uses them. SQLite (the zero-setup default) falls back to
substring matching and needs none.
"""

from django.db import migrations

INDEXES = {
    "ticket_subject_fts": (
        "tickets_ticket",
        "to_tsvector('english'::regconfig, COALESCE(subject, ''))",
    ),
    "message_body_fts": (
        "tickets_message",
        "to_tsvector('english'::regconfig, COALESCE(body, ''))",
    ),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Building these over millions of messages takes longer than the app's per-statement
    # timeout; lift it for this migration's transaction only.
    schema_editor.execute("SET LOCAL statement_timeout = 0")
    for name, (table, expression) in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING GIN (({expression}))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("tickets", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
