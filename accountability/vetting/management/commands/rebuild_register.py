"""`accountability rebuild_register`: fill the restrictions register from the stored decisions.

For decisions recorded before the register existed (the data migration did it once on
``migrate``); with ``--all`` every decision's rows are written again from its versions. Each
decision is replayed in its own transaction, version by version, from the assessments stored
with them (nothing is recomputed).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from accountability.cases.models import Decision
from accountability.vetting.models import Restriction
from accountability.vetting.register import rebuild

BATCH = 500


class Command(BaseCommand):
    help = "按已记录的决定(含复查后的版本)重建第十七条影响期登记。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            help="重建全部决定的登记(默认只补登尚无登记记录的决定)。",
        )

    def handle(self, *args, **options):
        decisions = Decision.objects.order_by("pk")
        if not options["all"]:
            decisions = decisions.exclude(pk__in=Restriction.objects.values("decision_id")).exclude(
                versions__isnull=True
            )
        ids = list(decisions.values_list("pk", flat=True))
        done = rows = 0
        for start in range(0, len(ids), BATCH):
            with transaction.atomic():
                count, written = rebuild(Decision.objects.filter(pk__in=ids[start : start + BATCH]))
            done += count
            rows += written
        self.stdout.write(f"影响期登记：处理决定 {done} 项，写入 {rows} 条。")
