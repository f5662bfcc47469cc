"""The board pack pages: list and download (Cap.VIEW_BOARD_PACKS: board
members too), commentary and generation (Cap.GENERATE_BOARD_PACK). No page
here shows anything about a single child."""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from performance import board_pack
from performance.models import BoardPack
from performance.periods import last_complete_quarter_end, quarter_ends
from yjs.audit.services import Action, audit_record
from yjs.dates import financial_quarter, financial_quarter_of, quarter_label
from yjs.forms import GovukForm
from yjs.permissions import Cap, capability_required, has_capability

RUNNING = (BoardPack.Status.PENDING, BoardPack.Status.RUNNING)


def pack_quarters(count: int = 8) -> list[str]:
    """The last ``count`` complete financial quarters, newest first."""
    ends = quarter_ends(last_complete_quarter_end(timezone.localdate()), count)
    return [financial_quarter_of(end) for end in reversed(ends)]


class CommentaryForm(GovukForm):
    """One optional text per section of the pack."""

    def __init__(self, *args, initial_texts: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for key, title in board_pack.SECTIONS:
            self.fields[key] = forms.CharField(
                label=title,
                required=False,
                initial=initial_texts.get(key, ""),
                widget=forms.Textarea(attrs={"rows": 3}),
                max_length=5000,
            )
        from yjs.forms import style_fields

        style_fields(self)


@capability_required(Cap.VIEW_BOARD_PACKS)
def packs(request):
    may_generate = has_capability(request.user, Cap.GENERATE_BOARD_PACK)
    listed = BoardPack.objects.select_related("created_by").defer("pdf")
    if not may_generate:
        listed = listed.filter(status=BoardPack.Status.DONE)
    return render(
        request,
        "performance/board_pack_list.html",
        {
            "packs": listed[:50],
            "may_generate": may_generate,
            "quarters": [(q, quarter_label(q)) for q in pack_quarters()],
        },
    )


@require_http_methods(["GET", "POST"])
@capability_required(Cap.GENERATE_BOARD_PACK)
def pack_prepare(request, quarter: str):
    try:
        financial_quarter(quarter)
    except ValueError:
        raise Http404 from None
    form = CommentaryForm(request.POST or None, initial_texts=board_pack.commentary_for(quarter))
    if request.method == "POST" and form.is_valid():
        board_pack.commentary_save(
            quarter=quarter, texts=form.cleaned_data, by=request.user, request=request
        )
        if "generate" in request.POST:
            pack = board_pack.board_pack_request(quarter=quarter, by=request.user, request=request)
            return redirect("performance:pack", pk=pack.pk)
        return redirect("performance:pack_prepare", quarter=quarter)
    return render(
        request,
        "performance/board_pack_prepare.html",
        {"form": form, "quarter": quarter, "quarter_label": quarter_label(quarter)},
    )


def _pack_for(request, pk: int) -> BoardPack:
    pack = get_object_or_404(BoardPack.objects.defer("pdf").select_related("created_by"), pk=pk)
    # Board members see finished packs only; generating ones are managers' work.
    if pack.status != BoardPack.Status.DONE and not has_capability(
        request.user, Cap.GENERATE_BOARD_PACK
    ):
        raise Http404
    return pack


@capability_required(Cap.VIEW_BOARD_PACKS)
def pack_detail(request, pk: int):
    pack = _pack_for(request, pk)
    return render(
        request,
        "performance/board_pack_detail.html",
        {
            "pack": pack,
            "running": pack.status in RUNNING,
            "quarter_label": quarter_label(pack.quarter),
        },
    )


@capability_required(Cap.VIEW_BOARD_PACKS)
def pack_status(request, pk: int):
    """The progress fragment, polled by htmx every second while generating."""
    pack = _pack_for(request, pk)
    return render(
        request,
        "performance/board_pack_status.html",
        {"pack": pack, "running": pack.status in RUNNING},
    )


@capability_required(Cap.VIEW_BOARD_PACKS)
def pack_download(request, pk: int):
    pack = get_object_or_404(BoardPack, pk=pk, status=BoardPack.Status.DONE)
    if not pack.pdf:
        raise Http404
    audit_record(
        user=request.user,
        action=Action.EXPORT,
        obj=pack,
        summary=f"Downloaded the board pack for {pack.quarter}",
        request=request,
    )
    response = HttpResponse(bytes(pack.pdf), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="board-pack-{pack.quarter}-{pack.pk}.pdf"'
    )
    return response
