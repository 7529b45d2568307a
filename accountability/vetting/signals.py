"""The register follows the decisions: each new DecisionVersion (a committee decision, or the
outcome of an appeal review) rewrites its decision's rows in the same transaction.

Both ``cases.services.decision_record`` and ``appeal_review_record`` create the version inside
their ``transaction.atomic``, so a failure here rolls the decision back with it: the register
never disagrees with the decisions.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from accountability.cases.models import DecisionVersion
from accountability.vetting.register import register_version


@receiver(post_save, sender=DecisionVersion, dispatch_uid="vetting_register_version")
def version_created(
    sender: Any, instance: DecisionVersion, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if created and not raw:
        register_version(instance)
