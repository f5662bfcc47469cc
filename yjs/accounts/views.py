from axes.utils import reset as axes_reset
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from yjs.accounts import services
from yjs.accounts.forms import StaffCreateForm, StaffEditForm
from yjs.accounts.models import User
from yjs.audit.services import Action, audit_record
from yjs.permissions import Cap, capability_required


@capability_required(Cap.MANAGE_STAFF)
def staff_list(request):
    staff = (
        User.objects.select_related("team")
        .prefetch_related("groups")
        .order_by("last_name", "first_name")
    )
    return render(request, "accounts/staff_list.html", {"staff": staff})


@capability_required(Cap.MANAGE_STAFF)
def staff_create(request):
    form = StaffCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = services.staff_create(
            username=data["username"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            password=data["password"],
            roles=data["roles"],
            team=data["team"],
            job_title=data["job_title"],
            by=request.user,
            request=request,
        )
        messages.success(request, f"Account {user.username} created")
        return redirect("accounts:staff")
    return render(
        request, "accounts/staff_form.html", {"form": form, "title": "Add a member of staff"}
    )


@capability_required(Cap.MANAGE_STAFF)
def staff_edit(request, pk: int):
    member = get_object_or_404(User, pk=pk)
    initial = {
        "roles": [g.name for g in member.groups.all()],
        "team": member.team,
        "job_title": member.job_title,
        "is_active": member.is_active,
    }
    form = StaffEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.staff_update(
            user=member,
            roles=data["roles"],
            team=data["team"],
            job_title=data["job_title"],
            is_active=data["is_active"],
            by=request.user,
            request=request,
        )
        messages.success(request, f"Account {member.username} updated")
        return redirect("accounts:staff")
    return render(
        request,
        "accounts/staff_form.html",
        {"form": form, "title": f"Change {member}", "member": member},
    )


@require_POST
@capability_required(Cap.MANAGE_STAFF)
def staff_unlock(request, pk: int):
    member = get_object_or_404(User, pk=pk)
    axes_reset(username=member.username)
    audit_record(
        user=request.user,
        action=Action.UPDATE,
        obj=member,
        request=request,
        summary=f"Unlocked sign-in for {member.username}",
    )
    messages.success(request, f"Sign-in unlocked for {member.username}")
    return redirect("accounts:staff")
