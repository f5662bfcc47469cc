"""The board's records: read with Cap.VIEW_GOVERNANCE, changed with
Cap.MANAGE_GOVERNANCE. Views check the capability, call one selector or
service and render."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from governance import forms, selectors, services
from governance.models import Action, Agency, BoardMember, PlanPriority, Risk
from yjs.dates import financial_quarter, financial_quarter_of, quarter_label
from yjs.permissions import Cap, capability_required, has_capability, require


def _today():
    return timezone.localdate()


def _recent_quarters(today, count: int = 8) -> list[str]:
    quarters = []
    label = financial_quarter_of(today)
    for _ in range(count):
        quarters.append(label)
        start, _ = financial_quarter(label)
        label = financial_quarter_of(start.replace(day=1) - timedelta(days=1))
    return quarters


@capability_required(Cap.VIEW_GOVERNANCE)
def home(request):
    today = _today()
    quarters = _recent_quarters(today)
    quarter = request.GET.get("quarter") or quarters[0]
    if quarter not in quarters:
        quarter = quarters[0]
    return render(
        request,
        "governance/board_home.html",
        {
            "attendance": selectors.board_attendance(quarter=quarter),
            "quarter_label": quarter_label(quarter),
            "quarters": [(q, quarter_label(q)) for q in quarters],
            "quarter": quarter,
            "members": selectors.members_list(on=today),
            "agencies": selectors.agencies_list(),
            "meetings": selectors.meetings_list()[:8],
            "actions": selectors.actions_summary(today=today),
        },
    )


@capability_required(Cap.VIEW_GOVERNANCE)
def meeting_detail(request, pk: int):
    meeting = selectors.meeting_get(pk=pk)
    rows = selectors.meeting_attendance(meeting=meeting)
    form = forms.AttendanceForm(request.POST or None, rows=rows)
    if request.method == "POST":
        require(request.user, Cap.MANAGE_GOVERNANCE)
        if form.is_valid():
            services.attendance_record(
                meeting=meeting, statuses=form.statuses(), by=request.user, request=request
            )
            return redirect("governance:meeting", pk=meeting.pk)
    return render(
        request,
        "governance/meeting_detail.html",
        {
            "meeting": meeting,
            "rows": rows,
            "form": form,
            "papers": meeting.papers.splitlines(),
            "may_manage": has_capability(request.user, Cap.MANAGE_GOVERNANCE),
        },
    )


@capability_required(Cap.VIEW_GOVERNANCE)
def actions(request):
    today = _today()
    return render(
        request,
        "governance/action_list.html",
        {
            "items": selectors.actions_list(today=today),
            "summary": selectors.actions_summary(today=today),
        },
    )


@capability_required(Cap.VIEW_GOVERNANCE)
def priorities(request):
    return render(
        request,
        "governance/priority_list.html",
        {"priorities": selectors.priorities_list(), "risks": selectors.risks_list()},
    )


@capability_required(Cap.VIEW_GOVERNANCE)
def budget(request):
    years = selectors.budget_years()
    try:
        year = int(request.GET.get("year") or (years[0] if years else _today().year))
    except ValueError:
        year = years[0] if years else _today().year
    return render(
        request,
        "governance/budget_detail.html",
        {
            "years": years,
            "year": year,
            "budget": selectors.budget_table(financial_year=year),
            "staffing": selectors.staffing_table(financial_year=year),
        },
    )


def _record_form(
    request,
    *,
    form_class,
    instance,
    save: Callable,
    title: str,
    back: str,
):
    """Create or change one record through its service function."""
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return redirect(back)
    return render(
        request,
        "governance/record_form.html",
        {"form": form, "title": title, "back": back},
    )


def _add_errors(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _data(cleaned: dict, form_class) -> dict:
    return {name: cleaned[name] for name in form_class.Meta.fields if name in cleaned}


@capability_required(Cap.MANAGE_GOVERNANCE)
def agency_form(request, pk: int | None = None):
    agency = get_object_or_404(Agency, pk=pk) if pk else None
    return _record_form(
        request,
        form_class=forms.AgencyForm,
        instance=agency,
        save=lambda data: services.agency_save(
            agency=agency, data=_data(data, forms.AgencyForm), by=request.user, request=request
        ),
        title="Change a partner agency" if agency else "Add a partner agency",
        back=reverse("governance:home"),
    )


@capability_required(Cap.MANAGE_GOVERNANCE)
def member_form(request, pk: int | None = None):
    member = get_object_or_404(BoardMember, pk=pk) if pk else None
    return _record_form(
        request,
        form_class=forms.MemberForm,
        instance=member,
        save=lambda data: services.member_save(
            member=member, data=_data(data, forms.MemberForm), by=request.user, request=request
        ),
        title="Change a board member" if member else "Add a board member",
        back=reverse("governance:home"),
    )


@capability_required(Cap.MANAGE_GOVERNANCE)
def meeting_form(request):
    return _record_form(
        request,
        form_class=forms.MeetingForm,
        instance=None,
        save=lambda data: services.meeting_save(
            data=_data(data, forms.MeetingForm), by=request.user, request=request
        ),
        title="Add a board meeting",
        back=reverse("governance:home"),
    )


@capability_required(Cap.MANAGE_GOVERNANCE)
def action_form(request, pk: int | None = None):
    action = get_object_or_404(Action, pk=pk) if pk else None
    return _record_form(
        request,
        form_class=forms.ActionForm,
        instance=action,
        save=lambda data: services.action_save(
            action=action, data=_data(data, forms.ActionForm), by=request.user, request=request
        ),
        title="Change an action" if action else "Add an action",
        back=reverse("governance:actions"),
    )


@capability_required(Cap.MANAGE_GOVERNANCE)
def priority_form(request, pk: int | None = None):
    priority = get_object_or_404(PlanPriority, pk=pk) if pk else None
    return _record_form(
        request,
        form_class=forms.PriorityForm,
        instance=priority,
        save=lambda data: services.priority_save(
            priority=priority,
            data=_data(data, forms.PriorityForm),
            by=request.user,
            request=request,
        ),
        title="Change a plan priority" if priority else "Add a plan priority",
        back=reverse("governance:priorities"),
    )


@capability_required(Cap.MANAGE_GOVERNANCE)
def risk_form(request, pk: int | None = None):
    risk = get_object_or_404(Risk, pk=pk) if pk else None
    return _record_form(
        request,
        form_class=forms.RiskForm,
        instance=risk,
        save=lambda data: services.risk_save(
            risk=risk, data=_data(data, forms.RiskForm), by=request.user, request=request
        ),
        title="Change a risk" if risk else "Add a risk to delivery",
        back=reverse("governance:priorities"),
    )


@capability_required(Cap.MANAGE_GOVERNANCE)
def budget_form(request):
    def save(data):
        services.budget_contribution_set(
            financial_year=data["financial_year"],
            agency=data["agency"],
            data={
                k: data[k] for k in ("staffing_costs", "payments_in_kind", "other_delegated_funds")
            },
            by=request.user,
            request=request,
        )

    return _record_form(
        request,
        form_class=forms.BudgetForm,
        instance=None,
        save=save,
        title="Record a partner contribution",
        back=reverse("governance:budget"),
    )
