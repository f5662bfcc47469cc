"""Forms of the performance pages (GOV.UK markup via yjs.forms)."""

from __future__ import annotations

import re

from django import forms

from cases import vocab
from yjs.forms import DateInput, GovukForm

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


class ComparatorUploadForm(GovukForm):
    file = forms.FileField(
        label="Comparators file (CSV)",
        help_text=(
            "Columns: indicator, period_start, period_end, group, group_name, value, source. "
            "Dates like 2024-06-30. If any row has a problem, nothing is saved."
        ),
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file must be smaller than 2 MB")
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("The file must be a CSV file")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError("The file must be saved as UTF-8 text") from exc


class AsOfForm(GovukForm):
    as_of = forms.DateField(
        label="Data as of",
        required=False,
        widget=DateInput,
        help_text="Only outcomes recorded up to this date count. Leave blank for today.",
    )


_QUARTER = re.compile(r"^\d{4}Q[1-4]$")


class QuarterForm(GovukForm):
    quarter = forms.CharField(
        label="Quarter",
        max_length=6,
        help_text="A financial-year quarter, for example 2024Q1 (April to June 2024).",
    )
    as_of = forms.DateField(
        label="Data as of", required=False, widget=DateInput, help_text="Leave blank for today."
    )

    def clean_quarter(self) -> str:
        value = self.cleaned_data["quarter"].strip().upper()
        if not _QUARTER.match(value):
            raise forms.ValidationError("Enter a quarter like 2024Q1")
        return value


class PopulationYearForm(GovukForm):
    """The 10–17 estimates of one year: one number per sex and ethnicity."""

    year = forms.IntegerField(label="Year", min_value=1990, max_value=2100)

    def __init__(self, *args, initial_values: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for sex, sex_label in vocab.SEX:
            for ethnicity, eth_label in vocab.ETHNICITY:
                name = self.field_name(sex, ethnicity)
                self.fields[name] = forms.IntegerField(
                    label=f"{sex_label}, {eth_label}",
                    required=False,
                    min_value=0,
                    max_value=10_000_000,
                    initial=(initial_values or {}).get((sex, ethnicity)),
                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                )
        from yjs.forms import style_fields

        style_fields(self)

    @staticmethod
    def field_name(sex: str, ethnicity: str) -> str:
        return f"pop_{sex}_{ethnicity}"

    def estimates(self) -> dict[tuple[str, str], int | None]:
        return {
            (sex, ethnicity): self.cleaned_data.get(self.field_name(sex, ethnicity))
            for sex, _ in vocab.SEX
            for ethnicity, _ in vocab.ETHNICITY
        }
