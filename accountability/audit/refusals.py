"""Every refusal of a write is audited, whoever called the service (GB/T 22239: success and
failure are recorded).

A service's own audit entry is part of its transaction, so a refused action leaves nothing
behind: the entry rolls back with the rest. ``audited_service`` wraps a service in its
transaction and, when it raises a DomainError, writes the refusal's entry *after* the rollback
(outcome 失败, or 拒绝 for a PermissionDenied), with the action, the error's code and field, and
its message as the detail. The error is then marked ``audited``, so that no later layer (the
page's form handling, the error middleware) writes a second entry.

Only the outermost audited service writes: a service that calls another inside its own
transaction (issuing a document marks the decision issued) audits the refusal once, after its
own rollback, when the entry can no longer be undone by it.
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from django.db import transaction

from accountability.audit.models import AuditEntry
from accountability.audit.services import audit_log
from accountability.common.errors import DomainError, PermissionDenied

P = ParamSpec("P")
R = TypeVar("R")

#: How many audited services are running in this context (only the outermost audits).
_depth: contextvars.ContextVar[int] = contextvars.ContextVar("audited_service_depth", default=0)


def audited_service(
    action: str, *, target: Callable[[dict[str, Any]], Any] | None = None
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """One transaction for the service; its refusals audited as ``action`` on ``target(kwargs)``
    (the object the action is about; by default the ``case`` argument)."""

    def decorate(service: Callable[P, R]) -> Callable[P, R]:
        atomic = transaction.atomic(service)

        @functools.wraps(service)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            token = _depth.set(_depth.get() + 1)
            try:
                return atomic(*args, **kwargs)
            except DomainError as error:
                if _depth.get() == 1 and not error.audited:
                    _audit(action, error, kwargs, target)
                raise
            finally:
                _depth.reset(token)

        return run

    return decorate


def _audit(
    action: str,
    error: DomainError,
    kwargs: dict[str, Any],
    target: Callable[[dict[str, Any]], Any] | None,
) -> None:
    subject = target(kwargs) if target is not None else kwargs.get("case")
    audit_log(
        actor=kwargs.get("actor"),
        action="transition",
        target=subject if subject is not None else ("case", "", ""),
        # The code and field are language-neutral; the message is as the user saw it.
        changes={"action": action, "code": error.code, "field": error.field},
        request=kwargs.get("request"),
        outcome=(
            AuditEntry.Outcome.DENIED
            if isinstance(error, PermissionDenied)
            else AuditEntry.Outcome.FAILURE
        ),
        detail=error.message,
    )
    error.audited = True
