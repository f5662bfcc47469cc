"""Browser import of a service extract (service managers, Cap.IMPORT_EXTRACT):
upload a zip → the check runs (Celery) → preview of rows and problems →
commit → the import runs (Celery) with progress → result."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from cases.extract import jobs
from cases.extract.forms import ImportUploadForm
from cases.extract.framework import specs
from cases.models import ImportJob
from yjs.permissions import Cap, capability_required

RUNNING = (ImportJob.Status.VALIDATING, ImportJob.Status.IMPORTING)


@capability_required(Cap.IMPORT_EXTRACT)
def import_start(request):
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            job = jobs.import_job_create(upload=form.cleaned_data["file"], by=request.user)
            return redirect("cases:import_job", pk=job.pk)
    else:
        form = ImportUploadForm()
    return render(
        request,
        "cases/import_start.html",
        {
            "form": form,
            "files": specs(),
            "recent": ImportJob.objects.select_related("created_by")[:10],
        },
    )


def _job_context(job: ImportJob) -> dict:
    progress, stage = jobs.job_progress(job)
    counts = [(spec.name, job.counts.get(spec.name)) for spec in specs() if spec.name in job.counts]
    return {
        "job": job,
        "running": job.status in RUNNING,
        "progress": progress,
        "stage": stage,
        "counts": counts,
        "total": sum(job.counts.values()) if job.counts else 0,
    }


@capability_required(Cap.IMPORT_EXTRACT)
def import_job(request, pk: int):
    job = get_object_or_404(ImportJob.objects.select_related("created_by"), pk=pk)
    return render(request, "cases/import_job.html", _job_context(job))


@capability_required(Cap.IMPORT_EXTRACT)
def import_job_status(request, pk: int):
    job = get_object_or_404(ImportJob, pk=pk)
    return render(request, "cases/import_status.html", _job_context(job))


@require_POST
@capability_required(Cap.IMPORT_EXTRACT)
def import_job_commit(request, pk: int):
    job = get_object_or_404(ImportJob, pk=pk)
    if not jobs.import_job_commit(job=job, by=request.user):
        messages.error(request, "This extract cannot be imported: it is not ready.")
    return redirect("cases:import_job", pk=job.pk)
