# ruff: noqa: S608 (SQL built from the migrations' own constants; nothing from outside)
"""The first-substantive-date triggers of 0006, planned afresh on every call.

PL/pgSQL caches the plan of each statement in a function for the session. The
import writes a service in one transaction, batch after batch: the plans the
triggers cached for the first batches, when the tables were nearly empty,
were sequential scans, and stayed sequential scans as the tables grew
(nothing invalidates a cached plan when a table grows). Importing 20,000
children went from about a minute to more than ten.

Every statement that reads the service's tables now runs through ``EXECUTE``
(planned for the tables as they are at that moment), set-wise: one grouped
join over the batch's children or offences instead of one subquery per id.
The triggers themselves (0006) are unchanged; only their functions are
replaced. SQLite's row triggers are not affected.
"""

import importlib

from django.db import migrations

FACTS = importlib.import_module("cases.migrations.0006_first_substantive_facts")
_TYPES = FACTS._TYPES
CHANGED = FACTS.CHANGED

# $1: the ids whose fact is recomputed. Rows are locked, ordered by id, by a
# statement of their own first, so that the reading statement's snapshot
# includes whatever a transaction that held a lock had committed.
CHILD_REFRESH = f"""
UPDATE cases_child c SET first_substantive_on = f.first_on
FROM (SELECT x.id, m.first_on FROM unnest($1::bigint[]) AS x(id)
      LEFT JOIN (SELECT o.child_id, MIN(o.outcome_date) AS first_on FROM cases_outcome o
                 WHERE o.child_id = ANY($1) AND o.outcome_type IN ({_TYPES})
                 GROUP BY o.child_id) m ON m.child_id = x.id) f
WHERE c.id = f.id AND c.first_substantive_on IS DISTINCT FROM f.first_on
"""
OFFENCE_REFRESH = f"""
UPDATE cases_offence c SET first_substantive_on = f.first_on
FROM (SELECT x.id, m.first_on FROM unnest($1::bigint[]) AS x(id)
      LEFT JOIN (SELECT l.offence_id, MIN(o.outcome_date) AS first_on
                 FROM cases_outcomeoffence l JOIN cases_outcome o ON o.id = l.outcome_id
                 WHERE l.offence_id = ANY($1) AND o.outcome_type IN ({_TYPES})
                 GROUP BY l.offence_id) m ON m.offence_id = x.id) f
WHERE c.id = f.id AND c.first_substantive_on IS DISTINCT FROM f.first_on
"""


def _refresh(table, update):
    return f"""
BEGIN
    IF ids IS NULL OR cardinality(ids) = 0 THEN RETURN; END IF;
    EXECUTE 'SELECT 1 FROM {table} WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE'
        USING ids;
    EXECUTE $sql${update}$sql$ USING ids;
END"""


PG_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION cases_refresh_child_facts(ids bigint[]) RETURNS void
LANGUAGE plpgsql AS $${_refresh("cases_child", CHILD_REFRESH)} $$;

CREATE OR REPLACE FUNCTION cases_refresh_offence_facts(ids bigint[]) RETURNS void
LANGUAGE plpgsql AS $${_refresh("cases_offence", OFFENCE_REFRESH)} $$;

-- The offences listed by these outcomes.
CREATE OR REPLACE FUNCTION cases_refresh_offence_facts_of(outcome_ids bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    offence_ids bigint[];
BEGIN
    IF outcome_ids IS NULL OR cardinality(outcome_ids) = 0 THEN RETURN; END IF;
    EXECUTE 'SELECT ARRAY(SELECT DISTINCT offence_id FROM cases_outcomeoffence'
            ' WHERE outcome_id = ANY($1))' INTO offence_ids USING outcome_ids;
    PERFORM cases_refresh_offence_facts(offence_ids);
END $$;

CREATE OR REPLACE FUNCTION cases_outcome_facts_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Only rows whose child, date or type changed (not, say, a version bump).
    PERFORM cases_refresh_child_facts(ARRAY(
        SELECT n.child_id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE {CHANGED}
        UNION
        SELECT o.child_id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE {CHANGED}));
    PERFORM cases_refresh_offence_facts_of(ARRAY(
        SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE {CHANGED}));
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION cases_outcome_facts_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM cases_refresh_child_facts(ARRAY(SELECT DISTINCT child_id FROM old_rows));
    PERFORM cases_refresh_offence_facts_of(ARRAY(SELECT id FROM old_rows));
    RETURN NULL;
END $$;
"""

PG_DROP = "DROP FUNCTION IF EXISTS cases_refresh_offence_facts_of(bigint[]);"


def _restore_0006(schema_editor):
    """0006's functions again (its CREATE FUNCTION statements, as replacements)."""
    functions = FACTS.PG_FUNCTIONS.split("CREATE TRIGGER", 1)[0]
    schema_editor.execute(functions.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION"))


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_FUNCTIONS)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _restore_0006(schema_editor)
        schema_editor.execute(PG_DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_indicator_covering_indexes"),
    ]

    operations = [migrations.RunPython(forward, backward)]
