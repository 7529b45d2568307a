"""What other apps add to the case pages, without the cases app importing them.

The documents app imports cases (models, selectors, services), so cases never imports
documents: the dependency goes one way. Instead an app registers here, in its
``AppConfig.ready()``, by dotted path (resolved on first use, so nothing is imported early):

- ``register_urls(module)``: a URLconf module whose patterns join the ``cases`` namespace
  (the decision's issue pages keep their names ``cases:decision_issue`` …);
- ``register_case_panel(path)``: ``f(*, case, user, has_attachments) -> dict``, merged into the
  case page's context (the documents panel);
- ``register_decision_panel(path)``: ``f(*, decision, case, user) -> dict``, merged into a
  decision's block on the case page (its document and PDF status);
- ``register_subject_documents(path)``: ``f(*, decision) -> list[{"title", "url"}]``, the
  papers of a decision its subject may download (on their own page).

Without a registration the pages simply show no such panel.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.module_loading import import_string

_urls: list[str] = []
_case_panels: list[str] = []
_decision_panels: list[str] = []
_subject_documents: list[str] = []


def _add(registry: list[str], path: str) -> None:
    if path not in registry:
        registry.append(path)


def register_urls(module: str) -> None:
    _add(_urls, module)


def register_case_panel(path: str) -> None:
    _add(_case_panels, path)


def register_decision_panel(path: str) -> None:
    _add(_decision_panels, path)


def register_subject_documents(path: str) -> None:
    _add(_subject_documents, path)


def url_modules() -> list[str]:
    return list(_urls)


def _call_all(registry: list[str], **kwargs: Any) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for path in registry:
        provider: Callable[..., dict[str, Any]] = import_string(path)
        result.update(provider(**kwargs))
    return result


def case_panels(*, case: Any, user: Any, has_attachments: bool) -> dict[str, Any]:
    """The registered apps' data for the case page."""
    return _call_all(_case_panels, case=case, user=user, has_attachments=has_attachments)


def decision_panels(*, decision: Any, case: Any, user: Any) -> dict[str, Any]:
    """The registered apps' data for one decision's block on the case page."""
    return _call_all(_decision_panels, decision=decision, case=case, user=user)


def subject_documents(*, decision: Any) -> list[dict[str, str]]:
    """The papers of ``decision`` its subject may download, from every registered app."""
    found: list[dict[str, str]] = []
    for path in _subject_documents:
        found.extend(import_string(path)(decision=decision))
    return found
