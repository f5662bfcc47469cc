"""population.csv of the service extract (interchange.md), registered with the
extract framework in cases.extract when the app is ready."""

from __future__ import annotations

from collections.abc import Iterator

from cases import validation as v
from cases import vocab
from cases.extract.framework import Context, FileSpec, Row, register
from performance.models import Population


class PopulationSpec(FileSpec):
    """No identifier column: (year, sex, ethnicity) is the key, unique in the
    file, and a re-import replaces the figure for that key."""

    name = "population.csv"
    columns = ("year", "sex", "ethnicity", "population")
    required_columns = frozenset(columns)
    order = 60
    model = Population

    def parse(self, row: Row, ctx: Context) -> dict:
        record = {
            "year": row.get("year", v.parse_int, low=1900, high=2200),
            "sex": row.get("sex", v.parse_code, vocab.SEX),
            "ethnicity": row.get("ethnicity", v.parse_code, vocab.ETHNICITY),
            "population": row.get("population", v.parse_int, low=0),
        }
        if record["year"] and record["sex"] and record["ethnicity"]:
            key = f"{record['year']}|{record['sex']}|{record['ethnicity']}"
            first = ctx.index(self.name).add(key, row.line, {})
            if first is not None and first != row.line:
                row.problem(
                    "ethnicity",
                    f"{record['year']}, {record['sex']}, {record['ethnicity']} "
                    f"is already on row {first}",
                )
        return record

    def write(self, records: list[dict], ctx: Context) -> None:
        Population.objects.bulk_create(
            [Population(**record) for record in records],
            batch_size=ctx.batch_size,
            update_conflicts=True,
            unique_fields=["year", "sex", "ethnicity"],
            update_fields=["population"],
        )

    def export_rows(self) -> Iterator[list[str]]:
        rows = Population.objects.order_by("pk").values_list(*self.columns)
        for year, sex, ethnicity, population in rows.iterator(chunk_size=10000):
            yield [str(year), sex, ethnicity, str(population)]


register(PopulationSpec())
