"""Cases: a clue, the people it concerns, and every step of Art 13 as a record.

Rows are written only through ``services.py``; reads go through ``selectors.py`` (permission
inside the fetch). The state machine itself is ``workflow.py``. Records that are history
(TransitionLog, DecisionVersion) refuse to be changed or deleted once written.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accountability.cases.workflow import Action, State
from accountability.common import vocabulary
from accountability.common.models import TimestampedModel


class AppendOnlyError(RuntimeError):
    """Raised on an attempt to change or delete a history record."""


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk update and delete are refused as well."""

    def update(self, **kwargs):  # type: ignore[no-untyped-def]
        raise AppendOnlyError(f"{self.model._meta.verbose_name}只能追加，不能修改。")

    def delete(self):  # type: ignore[no-untyped-def]
        raise AppendOnlyError(f"{self.model._meta.verbose_name}只能追加，不能删除。")

    update.queryset_only = True  # type: ignore[attr-defined]
    delete.queryset_only = True  # type: ignore[attr-defined]


class AppendOnlyModel(models.Model):
    """A row that is written once: no update, no delete (the history it records is evidence)."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.verbose_name}只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise AppendOnlyError(f"{self._meta.verbose_name}只能追加，不能删除。")


class RecordedModel(models.Model):
    """A record entered by a user: who entered it and when (set once, on creation)."""

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        abstract = True


class WithdrawableModel(models.Model):
    """A record that may be withdrawn (撤回) with a reason: it stays, struck through, and no
    longer counts (a withdrawn hearing is no hearing for 13(2), a withdrawn delivery starts no
    appeal period). Corrections are kept in RecordCorrection, with the values before."""

    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撤回人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawal_reason = models.TextField(_("撤回理由"), blank=True, default="")

    class Meta:
        abstract = True

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class ExecutionRecord(RecordedModel):
    """A step of carrying out a decision (delivery, archive, 备案), with a free-text note."""

    note = models.TextField(_("备注"), blank=True, default="")

    class Meta(RecordedModel.Meta):
        abstract = True


class CaseNumberSequence(models.Model):
    """The last case number issued in a year (locked while the next one is taken)."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("案件编号序列")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Case(TimestampedModel):
    class Source(models.TextChoices):
        """第十三条第(一)项: the four sources of a clue."""

        PETITION = "petition", _("群众信访举报")
        MEDIA = "media", _("媒体曝光")
        WORK = "work", _("工作发现")
        INSTRUCTION = "instruction", _("领导批示")

    number = models.CharField(_("案件编号"), max_length=64, unique=True)
    source = models.CharField(_("线索来源"), max_length=16, choices=Source.choices)
    summary = models.TextField(_("问题线索摘要"))
    received_on = models.DateField(_("收到线索日期"))
    # The informant's identity, encrypted with SM4 (crypto.py); read only through
    # selectors.case_informant_for_user, which audits every view.
    informant_name_enc = models.TextField(_("举报人姓名(密文)"), blank=True, default="")
    informant_contact_enc = models.TextField(_("举报人联系方式(密文)"), blank=True, default="")
    handling_organ = models.ForeignKey(
        "people.Organisation",
        verbose_name=_("办理机关(第十一条)"),
        on_delete=models.PROTECT,
        related_name="handled_cases",
    )
    taken_over_on = models.DateField(_("上级机关直接追究日期"), null=True, blank=True)
    take_over_reason = models.TextField(_("直接追究理由"), blank=True, default="")
    state = models.CharField(
        _("办理状态"),
        max_length=24,
        choices=State.choices,
        default=State.CLUE_REGISTERED,
        db_index=True,
    )
    handling_opinion = models.TextField(_("办理意见"), blank=True, default="")
    approval_opinion = models.TextField(_("审批意见"), blank=True, default="")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_on = models.DateField(_("审批日期"), null=True, blank=True)
    team_formed_on = models.DateField(_("成立调查组日期"), null=True, blank=True)
    rejection_reason = models.TextField(_("不予受理理由"), blank=True, default="")
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("one case", "案件")
        verbose_name_plural = _("案件")
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return self.number

    @property
    def has_informant(self) -> bool:
        return bool(self.informant_name_enc or self.informant_contact_enc)

    @property
    def is_taken_over(self) -> bool:
        return self.taken_over_on is not None


def attachment_path(instance: Attachment, filename: str) -> str:
    # The stored name is the hash, never the user's file name (which may identify someone).
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    suffix = "".join(c for c in suffix if c.isalnum())[:10] or "bin"
    return f"cases/{instance.case_id}/{instance.sha256}.{suffix}"


class Attachment(models.Model):
    case = models.ForeignKey(
        Case,
        verbose_name=pgettext_lazy("one case", "案件"),
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    title = models.CharField(_("标题"), max_length=200)
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("原文件名"), max_length=255)
    size = models.PositiveBigIntegerField(_("大小(字节)"))
    content_type = models.CharField(_("类型"), max_length=100, blank=True, default="")
    sha256 = models.CharField("SHA-256", max_length=64)
    sm3 = models.CharField("SM3", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title


class CaseParty(TimestampedModel):
    """A person concerned by the case (被调查人), with the facts the rulebook assesses (Art 9)."""

    # The Art 9 responsibility types and the severities (the rulebook's tiers) are the
    # regulation's own terms: their labels stay Chinese in every interface language.
    class ResponsibilityKind(models.TextChoices):
        MAIN_LEADERSHIP = "主要领导责任", "主要领导责任"
        IMPORTANT_LEADERSHIP = "重要领导责任", "重要领导责任"
        DIRECT = "直接责任", "直接责任"

    class ResponsibilityScope(models.TextChoices):
        INDIVIDUAL = "个人责任", "个人责任"
        COLLECTIVE = "集体责任", "集体责任"

    #: Art 10's severities, one per tier, from the rulebook's tables (common.vocabulary).
    Severity = vocabulary.choices_class("Severity", vocabulary.severity_choices())

    case = models.ForeignKey(
        Case,
        verbose_name=pgettext_lazy("one case", "案件"),
        on_delete=models.PROTECT,
        related_name="parties",
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("被调查人"),
        on_delete=models.PROTECT,
        related_name="case_parties",
    )
    responsibility_kind = models.CharField(
        _("责任类型(第九条)"),
        max_length=16,
        choices=ResponsibilityKind.choices,
        blank=True,
        default="",
    )
    responsibility_scope = models.CharField(
        _("集体或个人责任(第九条)"),
        max_length=16,
        choices=ResponsibilityScope.choices,
        default=ResponsibilityScope.INDIVIDUAL,
    )
    # The facts the rulebook assesses (its input fields, see rulebook.assess_dict).
    role = models.CharField(_("责任主体类别(第五条)"), max_length=16, blank=True, default="")
    circumstance = models.PositiveSmallIntegerField(_("情形(第八条)"), null=True, blank=True)
    conditions = models.JSONField(_("第八条第(一)项具体情形"), default=list, blank=True)
    severity = models.CharField(
        _("情节"), max_length=8, choices=vocabulary.severity_choices, blank=True, default=""
    )
    violates_discipline = models.BooleanField(_("构成违纪"), default=False)
    lighter = models.JSONField(_("从轻减轻情节(第十四条)"), default=list, blank=True)
    heavier = models.JSONField(_("从重情节(第十五条第(二)(三)项)"), default=list, blank=True)
    occurred_on = models.DateField(_("行为发生日期"), null=True, blank=True)
    facts = models.TextField(_("事实认定"), blank=True, default="")

    class Meta:
        verbose_name = _("被调查人")
        verbose_name_plural = _("被调查人")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "person"], name="cases_party_once_per_case"),
        ]

    def __str__(self) -> str:
        return f"{self.case.number} {self.person.name}"

    @property
    def facts_complete(self) -> bool:
        return bool(self.role and self.circumstance and self.severity)


class TeamMembership(models.Model):
    case = models.ForeignKey(
        Case,
        verbose_name=pgettext_lazy("one case", "案件"),
        on_delete=models.PROTECT,
        related_name="team",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("成员"),
        on_delete=models.PROTECT,
        related_name="case_teams",
    )
    office = models.ForeignKey(
        "people.Organisation",
        verbose_name=_("所在部室"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_leader = models.BooleanField(_("组长"), default=False)
    joined_on = models.DateField(_("加入日期"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("组建人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A member who must stand aside (回避) leaves the team; the row stays as history.
    left_on = models.DateField(_("退出日期"), null=True, blank=True)
    leave_reason = models.CharField(_("退出原因"), max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("调查组成员")
        verbose_name_plural = _("调查组成员")
        ordering = ["-is_leader", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], name="cases_team_member_once"),
        ]

    def __str__(self) -> str:
        return str(self.user)


class ConflictDeclaration(models.Model):
    """A recorded reason for someone to stand aside (回避) from the team or the vote."""

    class Kind(models.TextChoices):
        CLOSE_RELATIVE = "close_relative", _("与被调查人有近亲属关系")
        INTEREST = "interest", _("与案件有利害关系")
        WITNESS = "witness", _("曾作为本案证人")
        OTHER = "other", _("其他可能影响公正处理的关系")

    case = models.ForeignKey(
        Case,
        verbose_name=pgettext_lazy("one case", "案件"),
        on_delete=models.PROTECT,
        related_name="conflicts",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("回避事由"), max_length=16, choices=Kind.choices)
    note = models.TextField(_("说明"), blank=True, default="")
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    declared_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("回避事由")
        verbose_name_plural = _("回避事由")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(person__isnull=False),
                name="cases_conflict_names_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user or self.person}: {self.get_kind_display()}"


class Evidence(WithdrawableModel):
    case = models.ForeignKey(
        Case,
        verbose_name=pgettext_lazy("one case", "案件"),
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    party = models.ForeignKey(
        CaseParty,
        verbose_name=_("涉及人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    title = models.CharField(_("证据名称"), max_length=200)
    description = models.TextField(_("证明内容"), blank=True, default="")
    collected_on = models.DateField(_("取得日期"))
    attachment = models.ForeignKey(
        Attachment,
        verbose_name=_("附件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    added_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("证据材料")
        verbose_name_plural = _("证据材料")
        ordering = ["collected_on", "id"]

    def __str__(self) -> str:
        return self.title


class Hearing(RecordedModel, WithdrawableModel):
    """第十三条第(二)项: 听取被追究责任者陈述和申辩, or the record of their refusal."""

    party = models.ForeignKey(
        CaseParty, verbose_name=_("被调查人"), on_delete=models.PROTECT, related_name="hearings"
    )
    held_on = models.DateField(_("谈话日期"))
    statement = models.TextField(_("陈述"), blank=True, default="")
    defence = models.TextField(_("申辩"), blank=True, default="")
    refused = models.BooleanField(_("拒绝陈述和申辩"), default=False)
    refusal_record = models.TextField(_("拒绝陈述申辩的记录"), blank=True, default="")

    class Meta:
        verbose_name = _("陈述申辩记录")
        verbose_name_plural = _("陈述申辩记录")
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.party.person.name} {self.held_on}"


class RecordCorrection(AppendOnlyModel):
    """One correction (更正) or withdrawal (撤回) of a hearing, an evidence item or a delivery:
    who, when, why, and the fields before and after. Append-only: the original stays."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("更正")
        WITHDRAWAL = "withdrawal", _("撤回")

    class Record(models.TextChoices):
        HEARING = "hearing", _("陈述申辩记录")
        EVIDENCE = "evidence", _("证据材料")
        DELIVERY = "delivery", _("送达记录")

    case = models.ForeignKey(
        Case,
        verbose_name=pgettext_lazy("one case", "案件"),
        on_delete=models.PROTECT,
        related_name="record_corrections",
    )
    record_type = models.CharField(_("记录类别"), max_length=16, choices=Record.choices)
    record_id = models.PositiveIntegerField(_("记录编号"))
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    before = models.JSONField(_("更正前"), default=dict, blank=True)
    after = models.JSONField(_("更正后"), default=dict, blank=True)
    reason = models.TextField(_("理由"))
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    made_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("记录更正")
        verbose_name_plural = _("记录更正")
        ordering = ["made_at", "id"]
        indexes = [models.Index(fields=["record_type", "record_id"])]

    def __str__(self) -> str:
        return f"{self.get_record_type_display()} {self.record_id} {self.get_kind_display()}"


class Recommendation(models.TextChoices):
    PURSUE = "追究", _("追究责任")
    NOT_PURSUE = "不予追究", _("不予追究")


class InvestigationReport(models.Model):
    """The team's report to the standing committee (13(2)); returned reports stay on file."""

    case = models.ForeignKey(
        Case,
        verbose_name=pgettext_lazy("one case", "案件"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    number = models.PositiveSmallIntegerField(_("版本"))
    summary = models.TextField(_("调查情况"))
    submitted_on = models.DateField(_("报告日期"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    returned_at = models.DateTimeField(_("退回时间"), null=True, blank=True)
    returned_on = models.DateField(_("退回日期"), null=True, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True, default="")

    class Meta:
        verbose_name = _("调查报告")
        verbose_name_plural = _("调查报告")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="cases_report_number"),
        ]

    def __str__(self) -> str:
        return gettext("{case} 调查报告(第{number}版)").format(
            case=self.case.number, number=self.number
        )


class ReportFinding(models.Model):
    """One person's part of a report: facts, the rulebook's assessment, the recommendation."""

    report = models.ForeignKey(
        InvestigationReport,
        verbose_name=_("调查报告"),
        on_delete=models.PROTECT,
        related_name="findings",
    )
    party = models.ForeignKey(
        CaseParty, verbose_name=_("被调查人"), on_delete=models.PROTECT, related_name="findings"
    )
    inputs = models.JSONField(_("测算输入"))
    assessment = models.JSONField(_("测算结果"))
    rulebook_version = models.CharField(pgettext_lazy("one version", "规则版本"), max_length=32)
    recommendation = models.CharField(_("建议"), max_length=8, choices=Recommendation.choices)
    measures = models.JSONField(_("建议措施"), default=list, blank=True)
    departs = models.BooleanField(_("偏离测算措施"), default=False)
    departure_reason = models.TextField(_("偏离理由"), blank=True, default="")

    class Meta:
        verbose_name = _("调查认定")
        verbose_name_plural = _("调查认定")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.party.person.name}: {self.recommendation}"


class CommitteeMeeting(RecordedModel):
    """第十三条第(三)项: the standing committee hears the report and decides."""

    class QuorumRule(models.TextChoices):
        MORE_THAN_HALF = "more_than_half", _("超过应到会成员半数")
        AT_LEAST_HALF = "at_least_half", _("达到应到会成员半数")
        TWO_THIRDS = "two_thirds", _("达到应到会成员三分之二")

    case = models.ForeignKey(
        Case,
        verbose_name=pgettext_lazy("one case", "案件"),
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    held_on = models.DateField(_("会议日期"))
    committee_size = models.PositiveSmallIntegerField(_("常委会成员数"))
    quorum_rule = models.CharField(_("到会人数规则"), max_length=16, choices=QuorumRule.choices)
    members_present = models.ManyToManyField(
        "people.Person", verbose_name=_("到会成员"), related_name="+"
    )
    votes_for = models.PositiveSmallIntegerField(_("同意"))
    votes_against = models.PositiveSmallIntegerField(_("不同意"), default=0)
    votes_abstain = models.PositiveSmallIntegerField(_("弃权"), default=0)
    minutes = models.TextField(_("会议纪要"), blank=True, default="")

    class Meta:
        verbose_name = _("常委会会议")
        verbose_name_plural = _("常委会会议")
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return gettext("{case} 常委会 {date}").format(case=self.case.number, date=self.held_on)


class MeetingRecusal(models.Model):
    meeting = models.ForeignKey(
        CommitteeMeeting, verbose_name=_("会议"), on_delete=models.PROTECT, related_name="recusals"
    )
    person = models.ForeignKey(
        "people.Person", verbose_name=_("回避成员"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("回避理由"), max_length=200)

    class Meta:
        verbose_name = _("回避表决")
        verbose_name_plural = _("回避表决")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.person.name}: {self.reason}"


class Outcome(models.TextChoices):
    PURSUE = "追究", _("追究责任")
    NOT_PURSUE = "不予追究", _("不予追究")
    REVOKED = "撤销", _("撤销原决定")


class Decision(RecordedModel):
    """A person's decision; its content lives in DecisionVersion rows (one per version)."""

    party = models.OneToOneField(
        CaseParty, verbose_name=_("被调查人"), on_delete=models.PROTECT, related_name="decision"
    )
    meeting = models.ForeignKey(
        CommitteeMeeting,
        verbose_name=_("常委会会议"),
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    decided_on = models.DateField(_("决定日期"))
    current_version = models.OneToOneField(
        "DecisionVersion",
        verbose_name=_("现行版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    document_number = models.CharField(_("决定文书字号"), max_length=64, blank=True, default="")
    issued_on = models.DateField(_("印发日期"), null=True, blank=True)
    # Counted with the rulebook from the recorded delivery to the person (Art 16).
    appeal_deadline = models.DateField(_("申诉期限届满日"), null=True, blank=True)
    appeal_deadline_warnings = models.JSONField(_("期限提示"), default=list, blank=True)

    class Meta:
        verbose_name = _("责任追究决定")
        verbose_name_plural = _("责任追究决定")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.party.person.name} {self.decided_on}"

    @property
    def outcome(self) -> str:
        return self.current_version.outcome if self.current_version else ""

    @property
    def measures(self) -> list[str]:
        return list(self.current_version.measures) if self.current_version else []

    @property
    def is_issued(self) -> bool:
        return self.issued_on is not None


class DecisionVersion(AppendOnlyModel):
    """One version of a decision: the committee's, then one per appeal review. Never edited."""

    class Source(models.TextChoices):
        COMMITTEE = "committee", _("常委会决定")
        APPEAL_REVIEW = "appeal_review", _("申诉复查")

    decision = models.ForeignKey(
        Decision, verbose_name=_("决定"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("版本号"))
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    appeal = models.ForeignKey(
        "Appeal",
        verbose_name=_("申诉"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome = models.CharField(_("处理结果"), max_length=8, choices=Outcome.choices)
    measures = models.JSONField(_("追究措施"), default=list, blank=True)
    reason = models.TextField(_("理由"), blank=True, default="")
    effective_on = models.DateField(_("作出日期"))
    inputs = models.JSONField(_("测算输入"), default=dict, blank=True)
    assessment = models.JSONField(_("测算结果"), default=dict, blank=True)
    rulebook_version = models.CharField(
        pgettext_lazy("one version", "规则版本"), max_length=32, blank=True, default=""
    )
    departs = models.BooleanField(_("偏离测算措施"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("决定版本")
        verbose_name_plural = _("决定版本")
        ordering = ["decision", "number"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "number"], name="cases_version_number"),
        ]

    def __str__(self) -> str:
        return gettext("第{number}版 {outcome}").format(
            number=self.number, outcome=self.get_outcome_display()
        )


class Delivery(ExecutionRecord, WithdrawableModel):
    class Recipient(models.TextChoices):
        PERSON = "person", _("被追究责任者本人")
        UNIT = "unit", _("所在单位")

    class Manner(models.TextChoices):
        DIRECT = "direct", _("直接送达")
        POST = "post", _("邮寄送达")
        LEFT = "left", _("留置送达")
        ENTRUSTED = "entrusted", _("委托送达")
        ELECTRONIC = "electronic", _("电子送达")

    decision = models.ForeignKey(
        Decision, verbose_name=_("决定"), on_delete=models.PROTECT, related_name="deliveries"
    )
    recipient = models.CharField(_("受送达人"), max_length=8, choices=Recipient.choices)
    delivered_on = models.DateField(_("送达日期"))
    manner = models.CharField(_("送达方式"), max_length=16, choices=Manner.choices)
    received_by = models.CharField(_("签收人"), max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("送达记录")
        verbose_name_plural = _("送达记录")
        ordering = ["delivered_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "recipient"],
                condition=Q(withdrawn_at__isnull=True),
                name="cases_delivery_once_per_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_recipient_display()} {self.delivered_on}"


class ArchiveRecord(ExecutionRecord):
    """Materials sent to the organisation department for the personal dossiers (13(4))."""

    case = models.OneToOneField(
        Case,
        verbose_name=pgettext_lazy("one case", "案件"),
        on_delete=models.PROTECT,
        related_name="archive",
    )
    archived_on = models.DateField(_("归档日期"))
    archivist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("档案管理员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    received_by = models.CharField(_("接收人"), max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("归档记录")
        verbose_name_plural = _("归档记录")

    def __str__(self) -> str:
        return gettext("{case} 归档 {date}").format(case=self.case.number, date=self.archived_on)


class CityFiling(ExecutionRecord):
    """备案 with the city commission's cadre supervision office (13(4))."""

    case = models.OneToOneField(
        Case,
        verbose_name=pgettext_lazy("one case", "案件"),
        on_delete=models.PROTECT,
        related_name="city_filing",
    )
    filed_on = models.DateField(_("报备日期"))
    reference = models.CharField(_("报备文号"), max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("备案记录")
        verbose_name_plural = _("备案记录")

    def __str__(self) -> str:
        return gettext("{case} 备案 {date}").format(case=self.case.number, date=self.filed_on)


class Appeal(models.Model):
    """第十六条: a written appeal within 15 days of receipt, to the deciding organ or above."""

    class Manner(models.TextChoices):
        IN_PERSON = "in_person", _("当面递交")
        POST = "post", _("邮寄")

    class Status(models.TextChoices):
        PENDING = "pending", _("待复查")
        REJECTED_LATE = "rejected_late", _("逾期不予受理")
        REVIEWED = "reviewed", _("已复查")

    class ReviewOutcome(models.TextChoices):
        UPHELD = "upheld", _("维持原决定")
        CHANGED = "changed", _("变更原决定")
        REVOKED = "revoked", _("撤销原决定")

    decision = models.ForeignKey(
        Decision, verbose_name=_("决定"), on_delete=models.PROTECT, related_name="appeals"
    )
    received_on = models.DateField(_("收到申诉日期"))
    manner = models.CharField(_("提交方式"), max_length=16, choices=Manner.choices)
    postmark_on = models.DateField(_("邮戳日期"), null=True, blank=True)
    written = models.BooleanField(_("书面申诉"), default=True)
    content = models.TextField(_("申诉理由"))
    deadline = models.DateField(_("申诉期限届满日"))
    late = models.BooleanField(_("逾期"), default=False)
    late_acceptance_reason = models.TextField(_("逾期受理理由"), blank=True, default="")
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices)
    reviewing_organ = models.ForeignKey(
        "people.Organisation",
        verbose_name=_("复查机关"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome = models.CharField(
        _("复查结果"), max_length=16, choices=ReviewOutcome.choices, blank=True, default=""
    )
    reviewed_on = models.DateField(_("复查日期"), null=True, blank=True)
    review_reason = models.TextField(_("复查理由"), blank=True, default="")
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("复查记录人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("申诉")
        verbose_name_plural = _("申诉")
        ordering = ["received_on", "id"]

    def __str__(self) -> str:
        return gettext("{name} 申诉 {date}").format(
            name=self.decision.party.person.name, date=self.received_on
        )

    @property
    def filed_on(self) -> date:
        """The day the appeal counts as made: the postmark for a mailed appeal (DOMAIN.md 2)."""
        if self.manner == self.Manner.POST and self.postmark_on:
            return self.postmark_on
        return self.received_on


class Rectification(models.Model):
    """责令限期整改 (Art 10): a deadline to follow up, completed with evidence."""

    decision = models.ForeignKey(
        Decision, verbose_name=_("决定"), on_delete=models.PROTECT, related_name="rectifications"
    )
    deadline = models.DateField(_("整改期限"))
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    evidence = models.TextField(_("整改情况及佐证"), blank=True, default="")
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cancelled_on = models.DateField(_("撤销日期"), null=True, blank=True)
    cancel_reason = models.CharField(_("撤销原因"), max_length=200, blank=True, default="")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("责令限期整改")
        verbose_name_plural = _("责令限期整改")
        ordering = ["deadline", "id"]

    def __str__(self) -> str:
        return gettext("{name} 整改期限 {date}").format(
            name=self.decision.party.person.name, date=self.deadline
        )

    @property
    def is_open(self) -> bool:
        return self.completed_on is None and self.cancelled_on is None

    def is_overdue(self, today: date) -> bool:
        return self.is_open and self.deadline < today


class TransitionLog(AppendOnlyModel):
    """Every workflow action on a case: who, when, from which state to which, and why."""

    case = models.ForeignKey(
        Case,
        verbose_name=pgettext_lazy("one case", "案件"),
        on_delete=models.PROTECT,
        related_name="log",
    )
    party = models.ForeignKey(
        CaseParty,
        verbose_name=_("被调查人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("操作"), max_length=32, choices=Action.choices)
    from_state = models.CharField(_("原状态"), max_length=24, choices=State.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=24, choices=State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    # The day the step happened (entered after the fact it may be before ``at``, the moment
    # it was recorded); empty on rows recorded before the date was kept.
    occurred_on = models.DateField(_("办理日期"), null=True, blank=True)
    reason = models.TextField(_("理由"), blank=True, default="")

    class Meta:
        verbose_name = _("流转记录")
        verbose_name_plural = _("流转记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case.number} {self.get_action_display()}"

    @property
    def changed_state(self) -> bool:
        return self.from_state != self.to_state
