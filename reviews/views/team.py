"""The Team page: desk members (factcheck.accounts) with their open assignments (reviews). Admins add
members, change their role, deactivate them and reset passwords; the work is done by accounts' services."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from factcheck.accounts import policy
from factcheck.accounts import selectors as members
from factcheck.accounts import services as member_services
from factcheck.accounts.decorators import role_required
from factcheck.accounts.forms import MemberCreateForm, MemberPasswordForm, MemberRoleForm

from ..forms import CapacityForm
from ..selectors.deadlines import loads_and_capacities
from ..services.deadlines import reviewer_capacity_set

MEMBERS_PAGE_SIZE = 50
LOCKOUTS_SHOWN = 20


@role_required(policy.can_manage_members)
def member_list(request):
    """GET: the team and the add form. POST: add a member."""
    form = MemberCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = member_services.member_create(
                username=data["username"],
                full_name=data["full_name"],
                email=data["email"],
                role=data["role"],
                password=data["password"],
                created_by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, f"{user.username} can log in now as {data['role']}. Give them their password in person."
            )
            return redirect("reviews:members")
    page = Paginator(members.members(), MEMBERS_PAGE_SIZE).get_page(request.GET.get("page"))
    loads = loads_and_capacities(user_ids=[member.pk for member in page])
    for member in page:
        member.open_assignments, member.capacity = loads.get(member.pk, (0, 0))
    lockouts = members.login_lockouts()[:LOCKOUTS_SHOWN]
    return render(request, "reviews/members.html", {"page": page, "form": form, "lockouts": lockouts})


@require_POST
@role_required(policy.can_manage_members)
def lockout_lift(request, pk: int):
    """Let a locked-out account or address sign in again."""
    try:
        member_services.login_lockout_lift(attempt_id=pk, lifted_by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "The lock is lifted; they can sign in again.")
    return redirect("reviews:members")


@role_required(policy.can_manage_members)
def member_detail(request, pk: int):
    """GET: the member and the forms. POST action=role|deactivate|activate|password."""
    member = get_object_or_404(members.members(), pk=pk)
    member.open_assignments, member.capacity = loads_and_capacities(user_ids=[member.pk])[member.pk]
    capacity_form = CapacityForm(initial={"max_open": member.capacity})
    role_form = MemberRoleForm(initial={"role": next((g.name for g in member.groups.all()), None)})
    password_form = MemberPasswordForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "role":
                role_form = MemberRoleForm(request.POST)
                if role_form.is_valid():
                    member_services.member_set_role(
                        user=member, role=role_form.cleaned_data["role"], changed_by=request.user
                    )
                    messages.success(request, f"{member.username} is now {role_form.cleaned_data['role']}.")
                    return redirect("reviews:member_detail", pk=pk)
            elif action == "capacity":
                capacity_form = CapacityForm(request.POST)
                if capacity_form.is_valid():
                    limit = capacity_form.cleaned_data["max_open"]
                    reviewer_capacity_set(reviewer=member, max_open=limit, set_by=request.user)
                    messages.success(
                        request,
                        f"Auto-assign gives {member.username} at most {limit} open assignments."
                        if limit is not None
                        else f"{member.username} has the desk's default capacity.",
                    )
                    return redirect("reviews:member_detail", pk=pk)
            elif action in ("activate", "deactivate"):
                member_services.member_set_active(user=member, active=action == "activate", changed_by=request.user)
                messages.success(
                    request,
                    f"{member.username} can log in again."
                    if action == "activate"
                    else f"{member.username} can no longer log in; their ratings and history stay.",
                )
                return redirect("reviews:member_detail", pk=pk)
            elif action == "password":
                password_form = MemberPasswordForm(request.POST)
                if password_form.is_valid():
                    member_services.member_reset_password(
                        user=member, password=password_form.cleaned_data["password"], changed_by=request.user
                    )
                    if member.pk == request.user.pk:
                        update_session_auth_hash(request, member)  # keep the admin's own session
                    messages.success(request, f"New password set; {member.username} is logged out everywhere.")
                    return redirect("reviews:member_detail", pk=pk)
            else:
                messages.error(request, "Choose Change role, Set capacity, Deactivate, Reactivate or Set password.")
                return redirect("reviews:member_detail", pk=pk)
        except ValidationError as exc:
            if action == "password" and hasattr(exc, "error_dict"):
                password_form.add_error(None, exc)
            else:
                messages.error(request, " ".join(exc.messages))
                return redirect("reviews:member_detail", pk=pk)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect("reviews:member_detail", pk=pk)
    context = {
        "member": member,
        "role_form": role_form,
        "password_form": password_form,
        "capacity_form": capacity_form,
        "is_self": member.pk == request.user.pk,
        "manageable": members.member_is_manageable(user=member, actor=request.user),
        "history": members.member_history(user=member),
    }
    return render(request, "reviews/member_detail.html", context)
