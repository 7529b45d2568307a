"""Account reads for the administrators' pages, the permission inside the fetch."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accountability.accounts.models import AccountRequest, LoginThrottle, User
from accountability.accounts.permissions import ACCOUNT_VIEWERS, has_role
from accountability.common.errors import NotFound, PermissionDenied


def _require_viewer(user) -> None:
    if not has_role(user, ACCOUNT_VIEWERS):
        raise PermissionDenied()


def account_list_for_user(
    *, user, query: str = "", role: str = "", locked: bool = False
) -> QuerySet[User]:
    """Accounts with their unit, whether a second factor is enrolled and whether a login
    block holds (both as annotations: the page's queries do not grow with its rows)."""
    _require_viewer(user)
    now = timezone.now()
    blocked = LoginThrottle.objects.filter(
        scope__in=[LoginThrottle.Scope.ACCOUNT, LoginThrottle.Scope.ACCOUNT_ADDRESS],
        username=Lower(OuterRef("username")),
        blocked_until__gt=now,
    )
    users = (
        User.objects.select_related("organisation")
        .annotate(
            has_otp=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
            is_blocked=Exists(blocked),
        )
        .order_by("username")
    )
    if query:
        users = users.filter(Q(username__icontains=query) | Q(full_name__icontains=query))
    if role in User.Role.values:
        users = users.filter(role=role)
    if locked:
        users = users.filter(is_blocked=True)
    return users


def account_get_for_user(*, account_id: int, user) -> User:
    _require_viewer(user)
    account = User.objects.select_related("organisation").filter(pk=account_id).first()
    if account is None:
        raise NotFound()
    return account


def account_request_list(*, user, status: str = "") -> QuerySet[AccountRequest]:
    """The requests, newest first (index accounts_request_queue for the pending filter)."""
    _require_viewer(user)
    requests = AccountRequest.objects.select_related(
        "account", "organisation", "requested_by", "decided_by"
    ).order_by("-requested_at", "-id")
    if status in AccountRequest.Status.values:
        requests = requests.filter(status=status)
    return requests


def account_request_get_for_user(*, request_id: int, user) -> AccountRequest:
    _require_viewer(user)
    found = (
        AccountRequest.objects.select_related(
            "account", "organisation", "requested_by", "decided_by"
        )
        .filter(pk=request_id)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def pending_request_count(*, user) -> int:
    if not has_role(user, ACCOUNT_VIEWERS):
        return 0
    return AccountRequest.objects.filter(status=AccountRequest.Status.PENDING).count()
