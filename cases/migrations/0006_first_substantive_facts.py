# ruff: noqa: S608 (SQL built from this file's own constants; nothing from outside)
"""Two facts the indicators read on every run, kept by the database itself:

- ``cases_child.first_substantive_on``: the date of the child's earliest
  substantive outcome (indicators.md, First time entrants);
- ``cases_offence.first_substantive_on``: the date of the earliest substantive
  outcome listing the offence (the offence's proof: Proven reoffending step 3,
  Serious violence).

Triggers on outcomes and on the outcome–offence links recompute them for the
children and offences a statement touched, whatever wrote the rows (the
services, the import's COPY, a panel decision, the admin shell). They are
columns the models do not declare, so no ``save()`` can write a stale value
over them; performance.indicators reads them (common.DerivedDate).

On PostgreSQL the triggers are per statement (a million-row COPY recomputes
once, set-wise) and lock the rows they recompute, ordered by id, before
reading: two transactions recording outcomes for the same child one after
the other each see the other's committed outcome. SQLite has one writer at
a time and per-row triggers.

The list of substantive outcome types is interchange.md's (cases.vocab.SUBSTANTIVE;
tests/cases/test_facts.py checks it is the same).
"""

from django.db import migrations

SUBSTANTIVE = (
    "absolute_discharge",
    "conditional_discharge",
    "detention_and_training_order",
    "fine",
    "long_term_detention",
    "referral_order",
    "youth_caution",
    "youth_conditional_caution",
    "youth_rehabilitation_order",
    "yro_intensive_supervision",
)
_TYPES = ", ".join(f"'{code}'" for code in SUBSTANTIVE)

# The earliest substantive outcome of the child / listing the offence whose id is {id}.
CHILD_FIRST = (
    "(SELECT MIN(o.outcome_date) FROM cases_outcome o"
    f" WHERE o.child_id = {{id}} AND o.outcome_type IN ({_TYPES}))"
)
OFFENCE_FIRST = (
    "(SELECT MIN(o.outcome_date) FROM cases_outcomeoffence l"
    " JOIN cases_outcome o ON o.id = l.outcome_id"
    f" WHERE l.offence_id = {{id}} AND o.outcome_type IN ({_TYPES}))"
)

COLUMNS = [
    "ALTER TABLE cases_child ADD COLUMN first_substantive_on date NULL",
    "ALTER TABLE cases_offence ADD COLUMN first_substantive_on date NULL",
]
BACKFILL = [
    "UPDATE cases_child SET first_substantive_on = " + CHILD_FIRST.format(id="cases_child.id"),
    "UPDATE cases_offence SET first_substantive_on = "
    + OFFENCE_FIRST.format(id="cases_offence.id"),
]
INDEXES = {
    # FTE: the children whose first substantive outcome is in the period.
    "postgresql": [
        "CREATE INDEX cases_child_first_substantive_idx ON cases_child (first_substantive_on)"
        " INCLUDE (date_of_birth) WHERE first_substantive_on IS NOT NULL",
        # Serious violence: offences first proven in the period.
        "CREATE INDEX cases_offence_first_substantive_idx ON cases_offence"
        " (first_substantive_on) INCLUDE (category, seriousness_score, offence_date, child_id)"
        " WHERE first_substantive_on IS NOT NULL",
        # Proven reoffending: the proven offences dated in the follow-up windows.
        "CREATE INDEX cases_offence_proven_by_date_idx ON cases_offence"
        " (offence_date) INCLUDE (child_id, category, first_substantive_on)"
        " WHERE first_substantive_on IS NOT NULL",
    ],
    "sqlite": [
        "CREATE INDEX cases_child_first_substantive_idx ON cases_child (first_substantive_on)",
        "CREATE INDEX cases_offence_first_substantive_idx ON cases_offence (first_substantive_on)",
    ],
}
DROP_INDEXES = [
    "DROP INDEX IF EXISTS cases_child_first_substantive_idx",
    "DROP INDEX IF EXISTS cases_offence_first_substantive_idx",
    "DROP INDEX IF EXISTS cases_offence_proven_by_date_idx",
]

CHANGED = (
    "(n.child_id, n.outcome_date, n.outcome_type)"
    " IS DISTINCT FROM (o.child_id, o.outcome_date, o.outcome_type)"
)

PG_FUNCTIONS = f"""
CREATE FUNCTION cases_refresh_child_facts(ids bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF ids IS NULL OR cardinality(ids) = 0 THEN RETURN; END IF;
    PERFORM 1 FROM cases_child WHERE id = ANY(ids) ORDER BY id FOR NO KEY UPDATE;
    UPDATE cases_child c SET first_substantive_on = f.first_on
    FROM (SELECT x.id, {CHILD_FIRST.format(id="x.id")} AS first_on
          FROM unnest(ids) AS x(id)) f
    WHERE c.id = f.id AND c.first_substantive_on IS DISTINCT FROM f.first_on;
END $$;

CREATE FUNCTION cases_refresh_offence_facts(ids bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF ids IS NULL OR cardinality(ids) = 0 THEN RETURN; END IF;
    PERFORM 1 FROM cases_offence WHERE id = ANY(ids) ORDER BY id FOR NO KEY UPDATE;
    UPDATE cases_offence c SET first_substantive_on = f.first_on
    FROM (SELECT x.id, {OFFENCE_FIRST.format(id="x.id")} AS first_on
          FROM unnest(ids) AS x(id)) f
    WHERE c.id = f.id AND c.first_substantive_on IS DISTINCT FROM f.first_on;
END $$;

CREATE FUNCTION cases_outcome_facts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM cases_refresh_child_facts(ARRAY(SELECT DISTINCT child_id FROM new_rows));
    RETURN NULL;
END $$;

CREATE FUNCTION cases_outcome_facts_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Only rows whose child, date or type changed (not, say, a version bump).
    PERFORM cases_refresh_child_facts(ARRAY(
        SELECT n.child_id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE {CHANGED}
        UNION
        SELECT o.child_id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE {CHANGED}));
    PERFORM cases_refresh_offence_facts(ARRAY(
        SELECT DISTINCT l.offence_id FROM cases_outcomeoffence l
        JOIN new_rows n ON n.id = l.outcome_id JOIN old_rows o ON o.id = n.id
        WHERE {CHANGED}));
    RETURN NULL;
END $$;

CREATE FUNCTION cases_outcome_facts_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM cases_refresh_child_facts(ARRAY(SELECT DISTINCT child_id FROM old_rows));
    PERFORM cases_refresh_offence_facts(ARRAY(
        SELECT DISTINCT l.offence_id FROM cases_outcomeoffence l
        JOIN old_rows o ON o.id = l.outcome_id));
    RETURN NULL;
END $$;

CREATE FUNCTION cases_link_facts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM cases_refresh_offence_facts(ARRAY(SELECT DISTINCT offence_id FROM new_rows));
    RETURN NULL;
END $$;

CREATE FUNCTION cases_link_facts_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM cases_refresh_offence_facts(ARRAY(
        SELECT offence_id FROM new_rows UNION SELECT offence_id FROM old_rows));
    RETURN NULL;
END $$;

CREATE FUNCTION cases_link_facts_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM cases_refresh_offence_facts(ARRAY(SELECT DISTINCT offence_id FROM old_rows));
    RETURN NULL;
END $$;

CREATE TRIGGER cases_outcome_facts_insert AFTER INSERT ON cases_outcome
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cases_outcome_facts_insert();
CREATE TRIGGER cases_outcome_facts_update AFTER UPDATE ON cases_outcome
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cases_outcome_facts_update();
CREATE TRIGGER cases_outcome_facts_delete AFTER DELETE ON cases_outcome
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cases_outcome_facts_delete();
CREATE TRIGGER cases_link_facts_insert AFTER INSERT ON cases_outcomeoffence
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cases_link_facts_insert();
CREATE TRIGGER cases_link_facts_update AFTER UPDATE ON cases_outcomeoffence
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cases_link_facts_update();
CREATE TRIGGER cases_link_facts_delete AFTER DELETE ON cases_outcomeoffence
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cases_link_facts_delete();
"""

PG_DROP = """
DROP TRIGGER IF EXISTS cases_outcome_facts_insert ON cases_outcome;
DROP TRIGGER IF EXISTS cases_outcome_facts_update ON cases_outcome;
DROP TRIGGER IF EXISTS cases_outcome_facts_delete ON cases_outcome;
DROP TRIGGER IF EXISTS cases_link_facts_insert ON cases_outcomeoffence;
DROP TRIGGER IF EXISTS cases_link_facts_update ON cases_outcomeoffence;
DROP TRIGGER IF EXISTS cases_link_facts_delete ON cases_outcomeoffence;
DROP FUNCTION IF EXISTS cases_outcome_facts_insert();
DROP FUNCTION IF EXISTS cases_outcome_facts_update();
DROP FUNCTION IF EXISTS cases_outcome_facts_delete();
DROP FUNCTION IF EXISTS cases_link_facts_insert();
DROP FUNCTION IF EXISTS cases_link_facts_update();
DROP FUNCTION IF EXISTS cases_link_facts_delete();
DROP FUNCTION IF EXISTS cases_refresh_child_facts(bigint[]);
DROP FUNCTION IF EXISTS cases_refresh_offence_facts(bigint[]);
"""


def _child(id_sql):
    return (
        f"UPDATE cases_child SET first_substantive_on = {CHILD_FIRST.format(id='cases_child.id')}"
        f" WHERE id IN ({id_sql});"
    )


def _offences(id_sql):
    return (
        "UPDATE cases_offence SET first_substantive_on = "
        f"{OFFENCE_FIRST.format(id='cases_offence.id')} WHERE id IN ({id_sql});"
    )


_LINKED = "SELECT offence_id FROM cases_outcomeoffence WHERE outcome_id = {}"
SQLITE_TRIGGERS = [
    "CREATE TRIGGER cases_outcome_facts_insert AFTER INSERT ON cases_outcome BEGIN "
    + _child("NEW.child_id")
    + " END",
    "CREATE TRIGGER cases_outcome_facts_update"
    " AFTER UPDATE OF child_id, outcome_date, outcome_type ON cases_outcome BEGIN "
    + _child("NEW.child_id, OLD.child_id")
    + _offences(_LINKED.format("NEW.id"))
    + " END",
    "CREATE TRIGGER cases_outcome_facts_delete AFTER DELETE ON cases_outcome BEGIN "
    + _child("OLD.child_id")
    + _offences(_LINKED.format("OLD.id"))
    + " END",
    "CREATE TRIGGER cases_link_facts_insert AFTER INSERT ON cases_outcomeoffence BEGIN "
    + _offences("NEW.offence_id")
    + " END",
    "CREATE TRIGGER cases_link_facts_update AFTER UPDATE ON cases_outcomeoffence BEGIN "
    + _offences("NEW.offence_id, OLD.offence_id")
    + " END",
    "CREATE TRIGGER cases_link_facts_delete AFTER DELETE ON cases_outcomeoffence BEGIN "
    + _offences("OLD.offence_id")
    + " END",
]
TRIGGER_NAMES = (
    "cases_outcome_facts_insert",
    "cases_outcome_facts_update",
    "cases_outcome_facts_delete",
    "cases_link_facts_insert",
    "cases_link_facts_update",
    "cases_link_facts_delete",
)
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGER_NAMES]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in [*COLUMNS, *BACKFILL, *INDEXES.get(vendor, [])]:
        schema_editor.execute(statement)
    if vendor == "postgresql":
        schema_editor.execute(PG_FUNCTIONS)
    else:
        for statement in SQLITE_TRIGGERS:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DROP)
    else:
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)
    for statement in DROP_INDEXES:
        schema_editor.execute(statement)
    schema_editor.execute("ALTER TABLE cases_child DROP COLUMN first_substantive_on")
    schema_editor.execute("ALTER TABLE cases_offence DROP COLUMN first_substantive_on")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_drop_duplicate_allocated_worker_index"),
    ]

    operations = [migrations.RunPython(forward, backward)]
