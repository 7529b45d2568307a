"""The case views: ``pages`` (queue, list, clue registration, informant, files), ``case_page``,
``actions/`` (one page per workflow action) and ``common`` (what they share). The pages are
re-exported here (``from accountability.cases import views; views.case_list``)."""

from __future__ import annotations

from accountability.cases.views.case_page import (
    ActionLink,
    case_detail,
)
from accountability.cases.views.pages import (
    ADMIN_HOME,
    MSG_ADMIN_NO_CASES,
    MSG_CLUE_ROLE,
    MSG_CLUE_SAVED,
    MSG_SUBJECT_NO_CASES,
    PAGE_SIZE,
    QueueRow,
    attachment_download,
    case_list,
    case_list_export,
    clue_create,
    home,
    informant,
    queue,
)

__all__ = [
    "ADMIN_HOME",
    "MSG_ADMIN_NO_CASES",
    "MSG_CLUE_ROLE",
    "MSG_CLUE_SAVED",
    "MSG_SUBJECT_NO_CASES",
    "PAGE_SIZE",
    "ActionLink",
    "QueueRow",
    "attachment_download",
    "case_detail",
    "case_list",
    "case_list_export",
    "clue_create",
    "home",
    "informant",
    "queue",
]
