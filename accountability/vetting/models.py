"""The restrictions register (第十七条) and integrity vetting (党风廉政意见回复, 凡提必听).

``Restriction``: one row per restriction a decision version imposes, copied from the rulebook's
result stored with that version (``DecisionVersion.assessment["restrictions"]``), never
recomputed. Rows are written by ``register.py`` in the transaction that writes the version (a
``post_save`` receiver, ``signals.py``); the rows of an earlier version are closed, not deleted
(``superseded_by``, ``ended_on``, ``ended_reason``), so the register keeps its history. A row is
*live* while ``superseded_by`` is empty; it *runs* on day D when it is live and
``start <= D <= until`` (both days included, as in the rulebook).

``VettingRequest`` / ``VettingEntry``: a list of people sent by the organisation department with
the date of the intended promotion or award, and the answer for each (services.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

LIVE = Q(superseded_by__isnull=True)


class Bar(models.TextChoices):
    """What a restriction bars (the rulebook's ``bars``; docs/restrictions.md)."""

    PROMOTION = "promotion", _("提拔使用")
    AWARD = "award", _("评优评先")


class Restriction(models.Model):
    class EndedReason(models.TextChoices):
        SUPERSEDED = "superseded", _("由复查后的决定版本取代")
        REVOKED = "revoked", _("原决定被撤销或不予追究")

    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("被追究责任者"),
        on_delete=models.PROTECT,
        related_name="restrictions",
    )
    decision = models.ForeignKey(
        "cases.Decision",
        verbose_name=_("决定"),
        on_delete=models.PROTECT,
        related_name="restrictions",
    )
    version = models.ForeignKey(
        "cases.DecisionVersion",
        verbose_name=_("决定版本"),
        on_delete=models.PROTECT,
        related_name="restrictions",
    )
    #: The rulebook's machine name (restrictions.toml [[kind]]), or the Chinese word of an
    #: assessment stored before December 2026 (提拔使用, 评优评先, 担任领导职务).
    kind = models.CharField(_("影响期种类"), max_length=64)
    label = models.CharField(_("限制内容"), max_length=200)
    bars_promotion = models.BooleanField(_("影响提拔使用"), default=False)
    bars_award = models.BooleanField(_("影响评优评先"), default=False)
    measure = models.CharField(_("追究措施"), max_length=32, blank=True, default="")
    start = models.DateField(_("起始日期"))
    until = models.DateField(_("截止日期"))
    basis = models.TextField(_("依据"), blank=True, default="")
    certainty = models.CharField(_("确信程度"), max_length=1, blank=True, default="")
    rulebook_version = models.CharField(_("规则版本"), max_length=32, blank=True, default="")
    superseded_by = models.ForeignKey(
        "cases.DecisionVersion",
        verbose_name=_("终止于决定版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ended_on = models.DateField(_("终止日期"), null=True, blank=True)
    ended_reason = models.CharField(
        _("终止原因"), max_length=16, choices=EndedReason.choices, blank=True, default=""
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("影响期登记")
        verbose_name_plural = _("影响期登记")
        ordering = ["start", "id"]
        indexes = [
            # selectors.running_restrictions(person_ids, on=D) and the person page: the live
            # rows of a set of people whose period has not ended by D
            # (person_id IN (...) AND until >= D AND superseded_by IS NULL).
            models.Index(
                fields=["person", "until"], name="vetting_live_person_until", condition=LIVE
            ),
            # selectors.barred_on(D, bar): everyone barred on D, by the kinds that bar a
            # promotion or an award (kind IN (...) AND until >= D AND start <= D, live rows).
            # ``until`` leads ``start``: on a day D most rows have ended long before it.
            models.Index(
                fields=["kind", "until", "start"], name="vetting_live_kind_period", condition=LIVE
            ),
            # register.register_version: the live rows of a decision, closed by its next version.
            models.Index(fields=["decision"], name="vetting_live_decision", condition=LIVE),
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.start}—{self.until}"

    @property
    def is_live(self) -> bool:
        return self.superseded_by_id is None


class VettingRequest(models.Model):
    """A list of people to vet before a promotion or an award, and the reply."""

    class Purpose(models.TextChoices):
        PROMOTION = "promotion", _("提拔使用")
        AWARD = "award", _("评优评先")

    class State(models.TextChoices):
        PENDING = "pending", _("正在比对")
        REFUSED = "refused", _("名单无法读取")
        ANSWERED = "answered", _("待监督室确认")
        CONFIRMED = "confirmed", _("待领导签发")
        SIGNED = "signed", _("已签发")

    reference = models.CharField(_("来函文号"), max_length=64, blank=True, default="")
    purpose = models.CharField(
        pgettext_lazy("vetting", "事项"), max_length=16, choices=Purpose.choices
    )
    intended_on = models.DateField(_("拟任用或评优日期"))
    organ = models.ForeignKey(
        "people.Organisation",
        verbose_name=_("答复机关"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(
        _("状态"), max_length=16, choices=State.choices, default=State.PENDING, db_index=True
    )
    filename = models.CharField(_("文件名"), max_length=255, blank=True, default="")
    #: The uploaded workbook (or the lines typed on the page), cleared once answered.
    content = models.BinaryField(_("名单内容"), default=b"")
    is_workbook = models.BooleanField(_("Excel 名单"), default=False)
    errors = models.JSONField(_("错误"), default=list, blank=True)
    job = models.OneToOneField(
        "jobs.Job",
        verbose_name=_("后台任务"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    answered_at = models.DateTimeField(_("比对时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签发人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("签发时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("党风廉政意见回复")
        verbose_name_plural = _("党风廉政意见回复")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return self.reference or f"#{self.pk}"


class VettingEntry(models.Model):
    """One person of the list: how they were matched, and the answer."""

    class Match(models.TextChoices):
        ID_NUMBER = "id_number", _("按工号")
        NAME_UNIT = "name_unit", _("按姓名和单位")
        RESOLVED = "resolved", _("人工确认")
        AMBIGUOUS = "ambiguous", _("待人工确认")
        NOT_FOUND = "not_found", _("名册中无此人")

    class Answer(models.TextChoices):
        CLEAR = "clear", _("无不良反映")
        POSTPONE = "postpone", _("建议暂缓")
        DISAGREE = "disagree", pgettext_lazy("vetting answer", "不同意")
        UNRESOLVED = "unresolved", _("待确认人员")

    request = models.ForeignKey(
        VettingRequest, verbose_name=_("意见回复"), on_delete=models.CASCADE, related_name="entries"
    )
    row = models.PositiveIntegerField(_("序号"))
    name = models.CharField(_("姓名"), max_length=64)
    id_number = models.CharField(_("工号"), max_length=32, blank=True, default="")
    unit_text = models.CharField(_("单位"), max_length=128, blank=True, default="")
    match = models.CharField(_("匹配方式"), max_length=16, choices=Match.choices)
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    #: Ambiguous: the people it could be ([{"id", "name", "id_number", "unit"}]).
    candidates = models.JSONField(_("候选人员"), default=list, blank=True)
    answer = models.CharField(_("意见"), max_length=16, choices=Answer.choices)
    #: What the answer rests on ([{"type": "restriction"|"open_case"|"decision", ...}]).
    findings = models.JSONField(_("依据"), default=list, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("回复人员")
        verbose_name_plural = _("回复人员")
        ordering = ["request", "row"]
        constraints = [
            models.UniqueConstraint(fields=["request", "row"], name="vetting_entry_row_once"),
        ]

    def __str__(self) -> str:
        return self.name
