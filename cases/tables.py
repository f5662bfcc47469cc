"""The caseload table (django-tables2), rendered with GOV.UK markup by
templates/cases/caseload_table.html. The rows of the page shown get their
columns from cases.selectors.caseload_rows (one query for the page), an export's
from caseload_annotate, so no column makes a query per child."""

from __future__ import annotations

from datetime import date

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape, format_html, format_html_join

from cases import vocab
from cases.models import Child
from cases.selectors import CASELOAD_FLAGS, caseload_annotate, caseload_rows
from yjs.dates import age_on

OUTCOME_LABELS = dict(vocab.OUTCOME_TYPE)


class CaseloadTable(tables.Table):
    name = tables.Column(
        accessor="family_name", verbose_name="Name", order_by=("family_name", "given_name")
    )
    age = tables.Column(accessor="date_of_birth", verbose_name="Age", order_by=("-date_of_birth",))
    allocated_worker = tables.Column(
        verbose_name="Allocated worker",
        order_by=("allocated_worker__last_name", "allocated_worker__first_name"),
        default="Unallocated",
    )
    team = tables.Column(verbose_name="Team", order_by=("team__name",), default="")
    current_order = tables.Column(
        accessor="current_order_type", verbose_name="Current order", default="None"
    )
    next_review_due = tables.Column(verbose_name="Next review due", default="No assessment")
    late_starts = tables.Column(verbose_name="Late intervention starts")
    flags = tables.Column(accessor="pk", verbose_name="Flags", orderable=False)

    class Meta:
        model = Child
        fields: tuple = ()
        sequence = (
            "name",
            "age",
            "allocated_worker",
            "team",
            "current_order",
            "next_review_due",
            "late_starts",
            "flags",
        )
        template_name = "cases/caseload_table.html"
        order_by = ("name",)
        empty_text = "No children match."

    def __init__(self, *args, day: date | None = None, **kwargs):
        self.day = day or timezone.localdate()
        super().__init__(*args, **kwargs)

    def paginate(self, *args, **kwargs):
        super().paginate(*args, **kwargs)
        # The page's records (a slice of the plain children), with their columns.
        rows = self.page.object_list
        rows.data = caseload_rows(list(rows.data), day=self.day)
        return self

    def page_cells(self) -> list[list[str]]:
        """The page's cells as HTML, calling the render methods directly: the
        same output as django-tables2's bound rows, without its per-cell
        introspection of each render method's signature (a third of the
        table's rendering time at 25 rows)."""
        cells = []
        rows = self.page.object_list if getattr(self, "page", None) else self.rows
        default = {name: column.default for name, column in self.columns.items()}

        def shown(value, render=None, name=""):
            if value in (None, ""):
                return conditional_escape(default[name])
            return conditional_escape(render(value) if render else value)

        for record in (row.record for row in rows):
            cells.append(
                [
                    self.render_name(record),
                    shown(self.render_age(record.date_of_birth)),
                    shown(record.allocated_worker, name="allocated_worker"),
                    shown(record.team if record.team_id else None, name="team"),
                    shown(
                        getattr(record, "current_order_type", None),
                        self.render_current_order,
                        "current_order",
                    ),
                    shown(
                        getattr(record, "next_review_due", None),
                        self.render_next_review_due,
                        "next_review_due",
                    ),
                    shown(
                        getattr(record, "late_starts", None), self.render_late_starts, "late_starts"
                    ),
                    self.render_flags(record),
                ]
            )
        return cells

    def _order_by_annotation(self, queryset, name: str, is_descending: bool):
        if name not in queryset.query.annotations:
            queryset = caseload_annotate(queryset, day=self.day, only=(name,))
        return queryset.order_by(f"-{name}" if is_descending else name), True

    def order_current_order(self, queryset, is_descending):
        return self._order_by_annotation(queryset, "current_order_type", is_descending)

    def order_next_review_due(self, queryset, is_descending):
        return self._order_by_annotation(queryset, "next_review_due", is_descending)

    def order_late_starts(self, queryset, is_descending):
        return self._order_by_annotation(queryset, "late_starts", is_descending)

    def render_name(self, record):
        preferred = (
            format_html(' <span class="govuk-hint">(known as {})</span>', record.preferred_name)
            if record.preferred_name
            else ""
        )
        return format_html(
            '<a class="govuk-link" href="{}">{}</a>{}',
            reverse("cases:child", args=[record.pk]),
            record.full_name,
            preferred,
        )

    def value_name(self, record):
        return record.full_name

    def render_age(self, value):
        return age_on(value, self.day)

    def value_age(self, value):
        return age_on(value, self.day)

    def render_current_order(self, value):
        return OUTCOME_LABELS.get(value, value)

    def value_current_order(self, value):
        return OUTCOME_LABELS.get(value, value)

    def render_next_review_due(self, value):
        if value < self.day:
            return format_html(
                '<strong class="govuk-tag govuk-tag--red">Overdue</strong> '
                '<span class="yjs-overdue yjs-nowrap">{}</span>',
                f"{value:%-d %b %Y}",
            )
        return f"{value:%-d %b %Y}"

    def value_next_review_due(self, value):
        return value.isoformat() if value else ""

    def render_late_starts(self, value):
        if value:
            return format_html('<strong class="yjs-late">{} late</strong>', value)
        return "None"

    def value_late_starts(self, value):
        return value

    def _flags(self, record) -> list[str]:
        return [label for code, label, _, _ in CASELOAD_FLAGS if getattr(record, f"flag_{code}")]

    def render_flags(self, record):
        flags = self._flags(record)
        if not flags:
            return ""
        return format_html_join(
            " ", '<strong class="govuk-tag govuk-tag--grey">{}</strong>', ((f,) for f in flags)
        )

    def value_flags(self, record):
        return "; ".join(self._flags(record))
