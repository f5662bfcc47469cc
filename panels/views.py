"""Pages of the OOCD panel. Views read the request, check the capability,
call one selector or service and render (style.md, "Views are adapters")."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cases.models import Child, Offence
from cases.selectors import child_get
from cases.services import StaleEdit, today
from panels import forms, selectors, services, timeliness
from panels.models import ScrutinyReview
from yjs.audit.services import Action, audit_record
from yjs.dates import financial_quarter
from yjs.permissions import Cap, capability_required, has_capability

# --- Panel home and meetings ---------------------------------------------------


@capability_required(Cap.RUN_PANELS)
def home(request):
    day = today()
    awaiting = selectors.referrals_awaiting(user=request.user, today=day)
    audit_record(
        user=request.user, action=Action.VIEW, request=request, summary="Opened the OOCD panel page"
    )
    return render(
        request,
        "panels/panel_home.html",
        {
            "upcoming": selectors.meetings_upcoming(today=day),
            "recent": selectors.meetings_recent(today=day),
            "awaiting": awaiting,
            "late_count": sum(1 for r in awaiting if r.late),
            "threshold": timeliness.threshold(),
        },
    )


@capability_required(Cap.RUN_PANELS)
def meeting_create(request):
    form = forms.MeetingForm(request.POST or None, initial={"chair": request.user})
    attendees = forms.AttendeeFormSet(request.POST or None, prefix="attendee")
    if request.method == "POST" and form.is_valid() and attendees.is_valid():
        meeting = services.meeting_create(
            meeting_date=form.cleaned_data["meeting_date"],
            chair=form.cleaned_data["chair"],
            location=form.cleaned_data["location"],
            attendees=[
                {"name": a["name"], "agency": a["agency"], "role": a["role"]}
                for a in attendees.cleaned_data
                if a.get("name")
            ],
            by=request.user,
            request=request,
        )
        messages.success(request, f"{meeting} scheduled")
        return redirect("panels:meeting", pk=meeting.pk)
    return render(
        request,
        "panels/meeting_form.html",
        {"form": form, "attendees": attendees, "all_forms": [form, *attendees.forms]},
    )


def _meeting_page(request, meeting, *, bound: dict | None = None, agenda_form=None):
    bound = bound or {}
    items = selectors.agenda(meeting=meeting, user=request.user, today=today(), request=request)
    programmes = selectors.programmes_active()
    for referral in items:
        referral.form = bound.get(referral.pk) or forms.DecisionForm(
            prefix=f"r{referral.pk}", programmes=programmes
        )
    candidates = selectors.agenda_candidates(user=request.user)
    return render(
        request,
        "panels/meeting_detail.html",
        {
            "meeting": meeting,
            "items": items,
            "agenda_form": agenda_form or forms.AgendaForm(candidates=candidates),
            "has_candidates": candidates.exists(),
            "to_sign_off": sum(1 for r in items if r.decision and not r.is_signed_off),
            "threshold": timeliness.threshold(),
        },
    )


@capability_required(Cap.RUN_PANELS)
def meeting_detail(request, pk: int):
    """The agenda: the chair works through every referral on this one page."""
    return _meeting_page(request, selectors.meeting_get(pk=pk))


@require_POST
@capability_required(Cap.RUN_PANELS)
def agenda_add(request, pk: int):
    meeting = selectors.meeting_get(pk=pk)
    form = forms.AgendaForm(request.POST, candidates=selectors.agenda_candidates(user=request.user))
    if not form.is_valid():
        return _meeting_page(request, meeting, agenda_form=form)
    try:
        count = services.agenda_assign(
            meeting=meeting,
            referrals=form.cleaned_data["referrals"],
            by=request.user,
            request=request,
        )
    except ValidationError as error:  # decided by someone else meanwhile
        messages.error(request, " ".join(error.messages))
        return redirect("panels:meeting", pk=meeting.pk)
    messages.success(request, f"{count} referral{'s' if count != 1 else ''} added to the agenda")
    return redirect("panels:meeting", pk=meeting.pk)


@require_POST
@capability_required(Cap.SIGN_OFF_DECISIONS)
def meeting_sign_off(request, pk: int):
    meeting = selectors.meeting_get(pk=pk)
    count = services.meeting_sign_off(meeting=meeting, by=request.user, request=request)
    messages.success(request, f"{count} decision{'s' if count != 1 else ''} signed off")
    return redirect("panels:meeting", pk=meeting.pk)


# --- Decisions ---------------------------------------------------------------------


def _agenda_item(request, referral, form):
    referral = selectors.with_timeliness([referral], today=today())[0]
    referral.form = form
    return render(
        request,
        "panels/_agenda_item.html",
        {"referral": referral, "partial": True, "threshold": timeliness.threshold()},
    )


@require_POST
@capability_required(Cap.RUN_PANELS)
def referral_decide(request, pk: int):
    referral = selectors.referral_get(user=request.user, pk=pk, request=request, audit=False)
    form = forms.DecisionForm(request.POST, prefix=f"r{pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.decision_record(
                referral=referral,
                decision=data["decision"],
                rationale=data["rationale"],
                conditions=data["conditions"],
                programme=data["programme"],
                planned_start_date=data["planned_start_date"],
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            forms.show_problems(form, error)
        else:
            if request.htmx:
                referral = selectors.referral_get(user=request.user, pk=pk, audit=False)
                return _agenda_item(request, referral, None)
            messages.success(request, f"Decision recorded for {referral.child.full_name}")
            return redirect(
                reverse("panels:meeting", kwargs={"pk": referral.meeting_id}) + f"#referral-{pk}"
            )
    if request.htmx:
        return _agenda_item(request, referral, form)
    if referral.meeting is None:
        raise Http404("The referral is not on an agenda")
    return _meeting_page(request, referral.meeting, bound={pk: form})


@require_POST
@capability_required(Cap.SIGN_OFF_DECISIONS)
def referral_sign_off(request, pk: int):
    referral = selectors.referral_get(user=request.user, pk=pk, audit=False)
    try:
        services.decision_sign_off(referral=referral, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Decision for {referral.child.full_name} signed off")
    return redirect("panels:referral", pk=pk)


@capability_required(Cap.RUN_PANELS)
def referral_amend(request, pk: int):
    referral = selectors.referral_get(user=request.user, pk=pk, request=request)
    if not referral.is_decided:
        raise Http404("No decision to amend")
    # A signed-off decision is amended only by someone who may sign decisions off.
    if referral.is_signed_off and not has_capability(request.user, Cap.SIGN_OFF_DECISIONS):
        raise PermissionDenied
    initial = {
        "decision": referral.decision,
        "rationale": referral.rationale,
        "conditions": referral.conditions,
    }
    form = forms.AmendmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_amend(
                referral=referral, **form.cleaned_data, by=request.user, request=request
            )
        except ValidationError as error:
            forms.show_problems(form, error)
        else:
            messages.success(request, "Decision amended")
            return redirect("panels:referral", pk=pk)
    return render(request, "panels/referral_amend.html", {"referral": referral, "form": form})


# --- Referrals -----------------------------------------------------------------------


@capability_required(Cap.RECORD_REFERRALS)
def referral_list(request):
    status = "decided" if request.GET.get("status") == "decided" else "awaiting"
    page = Paginator(selectors.referrals_list(user=request.user, status=status), 50).get_page(
        request.GET.get("page")
    )
    rows = selectors.with_timeliness(page.object_list, today=today())
    audit_record(
        user=request.user,
        action=Action.VIEW,
        request=request,
        summary=f"Listed OOCD referrals ({status})",
    )
    return render(
        request,
        "panels/referral_list.html",
        {"page": page, "rows": rows, "status": status, "threshold": timeliness.threshold()},
    )


def _child_search(request):
    search = forms.ChildSearchForm(request.GET or None)
    matches = []
    if search.is_valid() and search.cleaned_data["q"].strip():
        query = Q()
        for word in search.cleaned_data["q"].split()[:4]:
            query &= Q(given_name__icontains=word) | Q(family_name__icontains=word)
        matches = list(Child.objects.visible_to(request.user).filter(query)[:25])
        audit_record(
            user=request.user,
            action=Action.VIEW,
            request=request,
            summary="Searched for a child to refer to the OOCD panel",
        )
    return render(request, "panels/referral_search.html", {"search": search, "matches": matches})


@capability_required(Cap.RECORD_REFERRALS)
def referral_create(request):
    """Step 1: find the child (or say they are new); step 2: the referral."""
    child = None
    if request.GET.get("child"):
        try:
            child_pk = int(request.GET["child"])
        except ValueError:
            raise Http404("No such child") from None
        child = child_get(
            user=request.user,
            pk=child_pk,
            request=request if request.method == "GET" else None,
            summary="Opened the child's record to record a police referral",
        )
    elif not request.GET.get("new"):
        return _child_search(request)

    data = request.POST or None
    child_form = None if child else forms.NewChildForm(data, prefix="child")
    existing = None
    if child:
        existing = Offence.objects.filter(child=child, outcomes__isnull=True).order_by(
            "-offence_date"
        )
    referral_form = forms.ReferralForm(data, existing_offences=existing)
    offence_forms = [
        forms.OffenceForm(data, prefix="offence1", optional=child is not None),
        forms.OffenceForm(data, prefix="offence2", optional=True),
    ]
    all_forms = [f for f in [child_form, referral_form, *offence_forms] if f is not None]
    if request.method == "POST" and all(f.is_valid() for f in all_forms):
        values = referral_form.cleaned_data
        new_offences = [f.cleaned_data for f in offence_forms if not f.is_blank()]
        try:
            referral = services.referral_create(
                child=child,
                new_child=child_form.cleaned_data if child_form else None,
                existing_offences=values.get("existing_offences") or [],
                new_offences=new_offences,
                referral_date=values["referral_date"],
                police_reference=values["police_reference"],
                arresting_force=values["arresting_force"],
                admission=values["admission"] == "Y",
                gravity_score=values["gravity_score"],
                gravity_adjustment=values["gravity_adjustment"],
                aggravating_factors=values["aggravating_factors"],
                mitigating_factors=values["mitigating_factors"],
                reason=values["reason"],
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            _spread_problems(error, child_form, referral_form, offence_forms)
        else:
            messages.success(request, f"Referral recorded for {referral.child.full_name}")
            return redirect("panels:referral", pk=referral.pk)
    history = selectors.child_history(child=child) if child else None
    return render(
        request,
        "panels/referral_form.html",
        {
            "child": child,
            "history": history,
            "child_form": child_form,
            "referral_form": referral_form,
            "offence_forms": offence_forms,
            "all_forms": all_forms,
        },
    )


def _spread_problems(error: ValidationError, child_form, referral_form, offence_forms) -> None:
    """A service's problems on the form that has the field (the referral form otherwise)."""
    for field, errors in error.message_dict.items():
        target, name = referral_form, None
        for form in [child_form, referral_form, offence_forms[0]]:
            if form is not None and field in form.fields:
                target, name = form, field
                break
        for message in errors:
            target.add_error(name, message)


@capability_required(Cap.RECORD_REFERRALS)
def referral_detail(request, pk: int):
    referral = selectors.referral_get(user=request.user, pk=pk, request=request)
    referral = selectors.with_timeliness([referral], today=today())[0]
    return render(
        request,
        "panels/referral_detail.html",
        {"referral": referral, "threshold": timeliness.threshold()},
    )


@capability_required(Cap.RECORD_REFERRALS)
def referral_prepare(request, pk: int):
    referral = selectors.referral_get(user=request.user, pk=pk, request=request)
    initial = {
        "version": referral.version,
        "assessment_date": referral.assessment_date,
        "assessment_summary": referral.assessment_summary,
        "assessment_recommendation": referral.assessment_recommendation,
        "child_voice": referral.child_voice,
        "parent_voice": referral.parent_voice,
    }
    form = forms.PreparationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.referral_prepare(
                referral=referral,
                expected_version=data.pop("version"),
                **data,
                by=request.user,
                request=request,
            )
        except StaleEdit as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            forms.show_problems(form, error)
        else:
            messages.success(request, "Assessment and voices saved")
            return redirect("panels:referral", pk=pk)
    return render(request, "panels/referral_prepare.html", {"referral": referral, "form": form})


# --- Scrutiny ------------------------------------------------------------------------


@capability_required(Cap.RECORD_SCRUTINY)
def scrutiny_home(request):
    quarters = selectors.report_quarters()
    form = forms.ScrutinyDrawForm(request.POST or None, quarters=quarters)
    if request.method == "POST" and form.is_valid():
        sample = services.scrutiny_sample_draw(
            quarter=form.cleaned_data["quarter"],
            size=form.cleaned_data["size"],
            by=request.user,
            request=request,
        )
        return redirect("panels:scrutiny_sample", quarter=sample.quarter)
    return render(
        request,
        "panels/scrutiny_home.html",
        {"form": form, "samples": selectors.scrutiny_samples()},
    )


@capability_required(Cap.RECORD_SCRUTINY)
def scrutiny_sample(request, quarter: str):
    sample = selectors.scrutiny_sample_get(quarter=quarter)
    if sample is None:
        raise Http404("No sample drawn for that quarter")
    reviews = list(sample.reviews.all())
    for review in reviews:
        review.form = forms.VerdictForm(
            prefix=f"v{review.pk}",
            initial={"verdict": review.verdict, "comments": review.comments},
        )
    audit_record(
        user=request.user,
        action=Action.VIEW,
        obj=sample,
        request=request,
        summary=f"Opened the OOCD scrutiny sample for {quarter}",
    )
    return render(request, "panels/scrutiny_sample.html", {"sample": sample, "reviews": reviews})


@require_POST
@capability_required(Cap.RECORD_SCRUTINY)
def scrutiny_verdict(request, pk: int):
    review = (
        ScrutinyReview.objects.select_related("sample", "referral__child").filter(pk=pk).first()
    )
    if review is None:
        raise Http404("No such review")
    form = forms.VerdictForm(request.POST, prefix=f"v{pk}")
    if form.is_valid():
        review = services.scrutiny_verdict_record(
            review=review, **form.cleaned_data, by=request.user, request=request
        )
        if not request.htmx:
            messages.success(request, "Verdict recorded")
            return redirect("panels:scrutiny_sample", quarter=review.sample.quarter)
    review.form = form
    return render(
        request, "panels/_scrutiny_review.html", {"review": review, "saved": form.is_valid()}
    )


# --- The panel report ------------------------------------------------------------


@capability_required(Cap.VIEW_PANEL_REPORT)
def report(request):
    """Aggregate figures only: no child is named (board members see this page)."""
    quarters = selectors.report_quarters()
    quarter = request.GET.get("quarter") or (quarters[0] if quarters else None)
    if quarter:
        try:
            financial_quarter(quarter)
        except ValueError:
            raise Http404("No such quarter") from None
    audit_record(
        user=request.user,
        action=Action.VIEW,
        request=request,
        summary=f"Opened the OOCD panel report for {quarter or 'no quarter'}",
    )
    return render(
        request,
        "panels/panel_report.html",
        {
            "quarters": quarters,
            "quarter": quarter,
            "report": selectors.panel_report(quarter=quarter) if quarter else None,
        },
    )
