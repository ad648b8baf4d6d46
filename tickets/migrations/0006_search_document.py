"""A stored full-text document per ticket, kept by PostgreSQL triggers.

`tickets_searchdocument.document` = subject (weight A) + public messages (B) + internal
notes (C). Triggers keep it in the same transaction as every write, whichever code path
made it (services, merge's bulk UPDATE, admin, fixtures, demo loading), so there is one
way it is maintained. Bulk loads that disable triggers (bench/generate.py sets
session_replication_role = replica) refill it with `tickets_search_build`.

On an existing database the backfill runs in batches of BATCH tickets, each committed on
its own (the migration is not atomic), then the GIN index is built once and the table
analysed so the planner knows how common each word is. The expression indexes of 0002
are dropped: nothing searches messages one by one any more, and every message insert
paid for them. SQLite keeps the empty table and tickets.search's substring fallback.
"""

import django.db.models.deletion
import django.contrib.postgres.search
from django.db import migrations, models

BATCH = 20_000

# A tsvector holds at most 1 MB: each message adds at most its first 20,000 characters,
# and a document stops growing near the limit rather than failing the message write.
FUNCTIONS = """
CREATE OR REPLACE FUNCTION tickets_message_tsvector(body text, kind text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT setweight(
    to_tsvector('english'::regconfig, left(coalesce(body, ''), 20000)),
    CASE WHEN kind = 'note' THEN 'C' ELSE 'B' END::"char")
$$;

-- The text form is longer than the stored form, so comparing it keeps a safe margin
-- under the 1 MB limit that would otherwise make the message write fail.
CREATE OR REPLACE FUNCTION tickets_search_append(doc tsvector, addition tsvector)
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN addition IS NULL THEN doc
    WHEN doc IS NULL THEN addition
    WHEN octet_length(doc::text) + octet_length(addition::text) < 900000
      THEN doc || addition
    ELSE doc END
$$;

CREATE OR REPLACE AGGREGATE tickets_search_concat(tsvector) (
  SFUNC = tickets_search_append, STYPE = tsvector
);

-- The one definition of a ticket's document; every other path appends in the same way.
CREATE OR REPLACE FUNCTION tickets_search_build(ticket bigint) RETURNS tsvector
LANGUAGE sql STABLE AS $$
  SELECT tickets_search_append(
    setweight(to_tsvector('english'::regconfig, coalesce(t.subject, '')), 'A'),
    (SELECT tickets_search_concat(tickets_message_tsvector(m.body, m.kind)
                                  ORDER BY m.created_at, m.id)
     FROM tickets_message m WHERE m.ticket_id = t.id))
  FROM tickets_ticket t WHERE t.id = ticket
$$;

CREATE OR REPLACE FUNCTION tickets_search_ticket_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO tickets_searchdocument (ticket_id, document)
  SELECT id, setweight(to_tsvector('english'::regconfig, coalesce(subject, '')), 'A')
  FROM new_rows
  ON CONFLICT (ticket_id) DO NOTHING;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION tickets_search_subject_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE tickets_searchdocument SET document = tickets_search_build(NEW.id)
  WHERE ticket_id = NEW.id;
  RETURN NULL;
END $$;

-- New messages are appended (one statement may insert many, for many tickets): the
-- cost does not grow with the length of the conversation.
CREATE OR REPLACE FUNCTION tickets_search_messages_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE tickets_searchdocument d
  SET document = tickets_search_append(d.document, n.addition)
  FROM (
    SELECT ticket_id,
           tickets_search_concat(tickets_message_tsvector(body, kind) ORDER BY created_at, id)
             AS addition
    FROM new_rows GROUP BY ticket_id
  ) n
  WHERE d.ticket_id = n.ticket_id;
  -- A ticket written before the backfill reached it gets its whole document now.
  INSERT INTO tickets_searchdocument (ticket_id, document)
  SELECT n.ticket_id, tickets_search_build(n.ticket_id)
  FROM (SELECT DISTINCT ticket_id FROM new_rows) n
  WHERE NOT EXISTS (SELECT 1 FROM tickets_searchdocument d WHERE d.ticket_id = n.ticket_id)
  ON CONFLICT (ticket_id) DO NOTHING;
  RETURN NULL;
END $$;

-- Edited, moved (merge) or deleted messages: rebuild the documents of every ticket they
-- left or joined. Only existing documents are updated, so deleting a ticket (whose
-- document Django deletes too) never brings its document back.
CREATE OR REPLACE FUNCTION tickets_search_messages_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    UPDATE tickets_searchdocument SET document = tickets_search_build(ticket_id)
    WHERE ticket_id IN (SELECT ticket_id FROM old_rows);
  ELSE
    UPDATE tickets_searchdocument SET document = tickets_search_build(ticket_id)
    WHERE ticket_id IN (
      SELECT o.ticket_id FROM old_rows o JOIN new_rows n ON n.id = o.id
      WHERE (o.ticket_id, o.body, o.kind) IS DISTINCT FROM (n.ticket_id, n.body, n.kind)
      UNION
      SELECT n.ticket_id FROM old_rows o JOIN new_rows n ON n.id = o.id
      WHERE (o.ticket_id, o.body, o.kind) IS DISTINCT FROM (n.ticket_id, n.body, n.kind)
    );
  END IF;
  RETURN NULL;
END $$;
"""

TRIGGERS = """
CREATE TRIGGER tickets_search_ticket_insert AFTER INSERT ON tickets_ticket
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION tickets_search_ticket_inserted();
CREATE TRIGGER tickets_search_subject_update AFTER UPDATE OF subject ON tickets_ticket
  FOR EACH ROW WHEN (OLD.subject IS DISTINCT FROM NEW.subject)
  EXECUTE FUNCTION tickets_search_subject_changed();
CREATE TRIGGER tickets_search_message_insert AFTER INSERT ON tickets_message
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION tickets_search_messages_inserted();
CREATE TRIGGER tickets_search_message_update AFTER UPDATE ON tickets_message
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION tickets_search_messages_changed();
CREATE TRIGGER tickets_search_message_delete AFTER DELETE ON tickets_message
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION tickets_search_messages_changed();
"""

DROP = """
DROP TRIGGER IF EXISTS tickets_search_ticket_insert ON tickets_ticket;
DROP TRIGGER IF EXISTS tickets_search_subject_update ON tickets_ticket;
DROP TRIGGER IF EXISTS tickets_search_message_insert ON tickets_message;
DROP TRIGGER IF EXISTS tickets_search_message_update ON tickets_message;
DROP TRIGGER IF EXISTS tickets_search_message_delete ON tickets_message;
DROP FUNCTION IF EXISTS tickets_search_ticket_inserted();
DROP FUNCTION IF EXISTS tickets_search_subject_changed();
DROP FUNCTION IF EXISTS tickets_search_messages_inserted();
DROP FUNCTION IF EXISTS tickets_search_messages_changed();
DROP FUNCTION IF EXISTS tickets_search_build(bigint);
DROP AGGREGATE IF EXISTS tickets_search_concat(tsvector);
DROP FUNCTION IF EXISTS tickets_search_append(tsvector, tsvector);
DROP FUNCTION IF EXISTS tickets_message_tsvector(text, text);
"""

FILL = """
INSERT INTO tickets_searchdocument (ticket_id, document)
SELECT id, tickets_search_build(id) FROM tickets_ticket WHERE id >= %s AND id < %s
ON CONFLICT (ticket_id) DO UPDATE SET document = EXCLUDED.document
"""

OLD_INDEXES = ["ticket_subject_fts", "message_body_fts"]


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTIONS)
    schema_editor.execute(TRIGGERS)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(DROP)


def backfill(apps, schema_editor):
    """Fill, index and analyse; each batch commits so a 1M-ticket table is never locked long."""
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        # The app's per-statement timeout would stop the index build on a large database.
        cursor.execute("SET statement_timeout = 0")
        cursor.execute("SELECT coalesce(min(id), 0), coalesce(max(id), -1) FROM tickets_ticket")
        first, last = cursor.fetchone()
        for start in range(first, last + 1, BATCH):
            cursor.execute(FILL, [start, start + BATCH])
        cursor.execute(
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS searchdocument_fts "
            "ON tickets_searchdocument USING GIN (document)"
        )
        # Word frequencies for the planner: GIN for rare words, a walk down the newest
        # tickets for common ones. The default target keeps ~200 words, so every other word
        # was guessed at 0.5% of tickets and a word in 200 of them walked all 1M tickets.
        cursor.execute(
            "ALTER TABLE tickets_searchdocument ALTER COLUMN document SET STATISTICS 1000"
        )
        cursor.execute("ANALYZE tickets_searchdocument")
        for name in OLD_INDEXES:
            cursor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
        cursor.execute("RESET statement_timeout")


def unfill(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")
        cursor.execute("DROP INDEX IF EXISTS searchdocument_fts")
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS ticket_subject_fts ON tickets_ticket USING GIN "
            "((to_tsvector('english'::regconfig, COALESCE(subject, ''))))"
        )
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS message_body_fts ON tickets_message USING GIN "
            "((to_tsvector('english'::regconfig, COALESCE(body, ''))))"
        )
        cursor.execute("RESET statement_timeout")


class Migration(migrations.Migration):
    # Not atomic: the backfill commits batch by batch and builds its index concurrently.
    atomic = False

    dependencies = [("tickets", "0005_low_empathy_event")]

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                (
                    "ticket",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_document",
                        serialize=False,
                        to="tickets.ticket",
                    ),
                ),
                ("document", django.contrib.postgres.search.SearchVectorField()),
            ],
        ),
        migrations.RunPython(install, uninstall, elidable=False),
        migrations.RunPython(backfill, unfill, atomic=False, elidable=False),
    ]
