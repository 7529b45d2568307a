"""The staff navigation's entry for the reports from the public (config/navigation.py)."""

from django.utils.translation import gettext_lazy as _

LABEL = _("网上举报")
#: Who handles them: the case officers and the office head (selectors.HANDLER_ROLES).
ROLES = frozenset({"case_officer", "office_head"})
