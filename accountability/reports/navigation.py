"""The statistics entry of the navigation (config.navigation.NAV): label and roles."""

from django.utils.translation import gettext_lazy as _

from accountability.reports.permissions import STATISTICS_VIEWERS

LABEL = _("统计分析")
ROLES = frozenset(str(role) for role in STATISTICS_VIEWERS)
