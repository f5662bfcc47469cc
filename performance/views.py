"""Performance pages. Views are adapters: check the capability, call one
selector or service, render (style.md, 2)."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from performance import selectors, services
from performance.forms import ComparatorUploadForm, PopulationYearForm, QuarterForm
from performance.models import IndicatorRun
from performance.periods import Period
from yjs.audit.services import Action, audit_record
from yjs.permissions import Cap, capability_required, has_capability


def _date_param(request, name: str) -> date | None:
    value = request.GET.get(name) or ""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise Http404(f"{name} must be a date like 2024-06-30") from exc


@capability_required(Cap.VIEW_PERFORMANCE)
def dashboard(request):
    data = selectors.dashboard(can_drill=has_capability(request.user, Cap.DRILL_DOWN))
    audit_record(
        user=request.user,
        action=Action.VIEW,
        object_type="performance.dashboard",
        request=request,
        summary="Viewed the performance dashboard",
    )
    run = data.latest_run
    return render(
        request,
        "performance/dashboard_detail.html",
        {
            "dashboard": data,
            "run": run,
            "running": selectors.run_in_progress(run),
            "can_manage": has_capability(request.user, Cap.MANAGE_PERFORMANCE),
            "can_drill": has_capability(request.user, Cap.DRILL_DOWN),
        },
    )


@require_POST
@capability_required(Cap.MANAGE_PERFORMANCE)
def refresh(request):
    services.indicator_run_request(user=request.user, request=request)
    messages.success(request, "The figures are being recalculated.")
    return redirect("performance:dashboard")


@capability_required(Cap.VIEW_PERFORMANCE)
def run_status(request, pk: int):
    """Polled by the dashboard (htmx) while a run is going; when it has ended the
    whole page reloads to show the new figures and their as-of date."""
    run = IndicatorRun.objects.filter(pk=pk).first()
    if run is None:
        raise Http404
    response = render(
        request,
        "performance/run_status.html",
        {"run": run, "running": selectors.run_in_progress(run)},
    )
    if request.htmx and not selectors.run_in_progress(run):
        response["HX-Refresh"] = "true"
    return response


@require_http_methods(["GET", "POST"])
@capability_required(Cap.MANAGE_PERFORMANCE)
def comparators(request):
    form = ComparatorUploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        result = services.comparators_upload(
            text=form.cleaned_data["file"], user=request.user, request=request
        )
        if result.ok:
            messages.success(
                request,
                f"Comparators saved: {result.created} added, {result.updated} replaced.",
            )
            return redirect("performance:comparators")
        problems = result.problems
    return render(
        request,
        "performance/comparator_list.html",
        {
            "form": form,
            "problems": problems,
            "comparators": selectors.comparator_list(),
            "columns": services.COMPARATOR_COLUMNS,
            "indicators": selectors.comparator_indicators(),
        },
        status=400 if problems else 200,
    )


@require_http_methods(["GET", "POST"])
@capability_required(Cap.MANAGE_PERFORMANCE)
def population(request):
    year = request.GET.get("year")
    table = selectors.population_table()
    initial_year = int(year) if year and year.isdigit() else None
    form = PopulationYearForm(
        request.POST or None,
        initial={"year": initial_year},
        initial_values=selectors.population_values(initial_year) if initial_year else None,
    )
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["year"]
        services.population_set(
            year=year, estimates=form.estimates(), user=request.user, request=request
        )
        messages.success(request, f"Population estimates for {year} saved.")
        return redirect("performance:population")
    return render(request, "performance/population_edit.html", {"form": form, "table": table})


@capability_required(Cap.VIEW_PERFORMANCE)
def caseload_profile(request):
    on = _date_param(request, "on")
    profile = selectors.caseload_profile(on=on)
    return render(request, "performance/caseload_profile.html", {"profile": profile})


@capability_required(Cap.VIEW_PERFORMANCE)
def disproportionality(request):
    data = selectors.disproportionality_page(as_of=_date_param(request, "as_of"))
    return render(request, "performance/disproportionality_detail.html", {"data": data})


@capability_required(Cap.DRILL_DOWN)
def drill(request, figure: str):
    """The children, offences or victims behind a figure (Cap.DRILL_DOWN only:
    board members get 403)."""
    start, end = _date_param(request, "start"), _date_param(request, "end")
    if start is None or end is None or end < start:
        raise Http404("A period is needed")
    as_of = _date_param(request, "as_of") or timezone.localdate()
    try:
        data = selectors.figure_records(
            user=request.user,
            figure=figure,
            period=Period(start, end),
            as_of=as_of,
            request=request,
        )
    except (KeyError, ValueError) as exc:
        raise Http404("No such figure") from exc
    return render(request, "performance/figure_records.html", {"data": data})


@capability_required(Cap.DRILL_DOWN)
def tracker(request):
    data = selectors.reoffending_tracker(
        user=request.user, as_of=_date_param(request, "as_of"), request=request
    )
    return render(request, "performance/reoffending_tracker.html", {"data": data})


def _quarter_and_as_of(request) -> tuple[QuarterForm, str, date | None]:
    form = QuarterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["quarter"], form.cleaned_data["as_of"]
    quarter = selectors.default_quarter()
    if not form.is_bound:
        form = QuarterForm(initial={"quarter": quarter})
    return form, quarter, None


@capability_required(Cap.DOWNLOAD_KPI_RETURN)
def kpi_return(request):
    form, quarter, as_of = _quarter_and_as_of(request)
    data = selectors.kpi_return_summary(quarter=quarter, as_of=as_of)
    download = {"quarter": quarter, "as_of": data["as_of"].isoformat()}
    return render(
        request,
        "performance/kpi_return_detail.html",
        {"form": form, "data": data, "download_query": urlencode(download)},
    )


@capability_required(Cap.DOWNLOAD_KPI_RETURN)
def kpi_return_download(request, fmt: str):
    form = QuarterForm(request.GET)
    if fmt not in ("csv", "xlsx") or not form.is_valid():
        raise Http404("A quarter is needed")
    quarter = form.cleaned_data["quarter"]
    as_of = form.cleaned_data["as_of"] or timezone.localdate()
    content, filename, content_type = selectors.kpi_return_file(
        quarter=quarter, as_of=as_of, fmt=fmt
    )
    audit_record(
        user=request.user,
        action=Action.EXPORT,
        object_type="performance.kpi_return",
        object_id=quarter,
        request=request,
        summary=f"Downloaded the KPI return for {quarter} ({fmt.upper()}, data as of {as_of})",
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@capability_required(Cap.DRILL_DOWN)
def completeness(request):
    form, quarter, as_of = _quarter_and_as_of(request)
    data = selectors.data_completeness(
        user=request.user, quarter=quarter, as_of=as_of, request=request
    )
    return render(request, "performance/completeness_list.html", {"form": form, "data": data})
