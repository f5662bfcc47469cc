# ruff: noqa: S608 (SQL built from this file's own constants; nothing from outside)
"""A copy of the child's date of birth on each outcome and offence
(``child_born_on``), kept by the database.

Every national indicator counts records "the child aged 10–17 on" the
record's own date. With the date of birth on the record, the indicators read
one covering index per rule (custody: outcomes by date; reoffending: outcomes
by date and by release date; serious violence: offences by first proof) and
never join the 250,000 children to find their ages. benchmarks/README.md.

Like 0006's facts, the column is one the models do not declare: nothing but
these triggers writes it.

- Before an outcome or offence is inserted or its child changed, the trigger copies its
  child's date of birth into it, locking the child's row FOR SHARE (so a
  correction of the date of birth being made at that moment is waited for, and
  read once committed).
- After a child's date of birth is corrected, the trigger rewrites the copy on
  the child's outcomes and offences.
"""

from django.db import migrations

TABLES = ("cases_outcome", "cases_offence")

COLUMNS = [f"ALTER TABLE {table} ADD COLUMN child_born_on date NULL" for table in TABLES]
BACKFILL = [
    f"UPDATE {table} SET child_born_on = c.date_of_birth FROM cases_child c"
    f" WHERE c.id = {table}.child_id"
    for table in TABLES
]

INDEXES = {
    "postgresql": [
        # Use of custody, reoffending index events, KPI orders: outcomes by date.
        "CREATE INDEX cases_outcome_date_born_idx ON cases_outcome (outcome_date)"
        " INCLUDE (tier, child_id, release_date, child_born_on)",
        # Reoffending: custodial sentences by release date.
        "CREATE INDEX cases_outcome_release_born_idx ON cases_outcome (release_date)"
        " INCLUDE (tier, child_id, outcome_date, child_born_on) WHERE release_date IS NOT NULL",
        # Serious violence: offences by first proof (replaces 0006's index).
        "DROP INDEX cases_offence_first_substantive_idx",
        "CREATE INDEX cases_offence_first_substantive_idx ON cases_offence"
        " (first_substantive_on) INCLUDE (category, seriousness_score, offence_date, child_id,"
        " child_born_on) WHERE first_substantive_on IS NOT NULL",
    ],
    "sqlite": [
        "CREATE INDEX cases_outcome_date_born_idx ON cases_outcome (outcome_date)",
        "CREATE INDEX cases_outcome_release_born_idx ON cases_outcome (release_date)",
    ],
}
DROP_INDEXES = {
    "postgresql": [
        "DROP INDEX cases_outcome_date_born_idx",
        "DROP INDEX cases_outcome_release_born_idx",
        "DROP INDEX cases_offence_first_substantive_idx",
        "CREATE INDEX cases_offence_first_substantive_idx ON cases_offence"
        " (first_substantive_on) INCLUDE (category, seriousness_score, offence_date, child_id)"
        " WHERE first_substantive_on IS NOT NULL",
    ],
    "sqlite": [
        "DROP INDEX cases_outcome_date_born_idx",
        "DROP INDEX cases_outcome_release_born_idx",
    ],
}

PG_FUNCTIONS = """
CREATE FUNCTION cases_copy_child_born_on() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT date_of_birth INTO NEW.child_born_on FROM cases_child
    WHERE id = NEW.child_id FOR SHARE;
    RETURN NEW;
END $$;

CREATE FUNCTION cases_child_born_on_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cases_outcome SET child_born_on = NEW.date_of_birth WHERE child_id = NEW.id;
    UPDATE cases_offence SET child_born_on = NEW.date_of_birth WHERE child_id = NEW.id;
    RETURN NULL;
END $$;

CREATE TRIGGER cases_outcome_born_on BEFORE INSERT OR UPDATE OF child_id, child_born_on
    ON cases_outcome
    FOR EACH ROW EXECUTE FUNCTION cases_copy_child_born_on();
CREATE TRIGGER cases_offence_born_on BEFORE INSERT OR UPDATE OF child_id, child_born_on
    ON cases_offence
    FOR EACH ROW EXECUTE FUNCTION cases_copy_child_born_on();
CREATE TRIGGER cases_child_born_on AFTER UPDATE OF date_of_birth ON cases_child
    FOR EACH ROW WHEN (OLD.date_of_birth IS DISTINCT FROM NEW.date_of_birth)
    EXECUTE FUNCTION cases_child_born_on_changed();
"""
PG_DROP = """
DROP TRIGGER cases_outcome_born_on ON cases_outcome;
DROP TRIGGER cases_offence_born_on ON cases_offence;
DROP TRIGGER cases_child_born_on ON cases_child;
DROP FUNCTION cases_copy_child_born_on();
DROP FUNCTION cases_child_born_on_changed();
"""


def _copy(table, row):
    return (
        f"UPDATE {table} SET child_born_on ="
        f" (SELECT date_of_birth FROM cases_child WHERE id = {row}.child_id)"
        f" WHERE id = {row}.id;"
    )


SQLITE_TRIGGERS = [
    *(
        f"CREATE TRIGGER {table}_born_on_insert AFTER INSERT ON {table} BEGIN "
        + _copy(table, "NEW")
        + " END"
        for table in TABLES
    ),
    *(
        f"CREATE TRIGGER {table}_born_on_update"
        f" AFTER UPDATE OF child_id, child_born_on ON {table} BEGIN " + _copy(table, "NEW") + " END"
        for table in TABLES
    ),
    "CREATE TRIGGER cases_child_born_on AFTER UPDATE OF date_of_birth ON cases_child BEGIN "
    + " ".join(
        f"UPDATE {table} SET child_born_on = NEW.date_of_birth WHERE child_id = NEW.id;"
        for table in TABLES
    )
    + " END",
]
TRIGGER_NAMES = {
    "postgresql": ("cases_outcome_born_on", "cases_offence_born_on", "cases_child_born_on"),
    "sqlite": (
        "cases_outcome_born_on_insert",
        "cases_offence_born_on_insert",
        "cases_outcome_born_on_update",
        "cases_offence_born_on_update",
        "cases_child_born_on",
    ),
}


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
        for name in TRIGGER_NAMES["sqlite"]:
            schema_editor.execute(f"DROP TRIGGER {name}")
    for statement in DROP_INDEXES.get(vendor, []):
        schema_editor.execute(statement)
    for table in TABLES:
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN child_born_on")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_facts_planned_per_call"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="outcome", name="cases_outcome_date_cov_idx"),
        migrations.RemoveIndex(model_name="outcome", name="cases_outcome_release_cov_idx"),
        migrations.RunPython(forward, backward),
    ]
