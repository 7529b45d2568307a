"""The registry: organisations as a tree and the people in scope (Art 2, 5, 11).

Art 2: the measures apply to every cadre and staff member of the county
discipline-inspection and supervision system. Art 5 names the responsible
subjects (Person.Role); Art 11 assigns accountability by cadre-management
authority (Person.managed_by).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accountability.common import vocabulary
from accountability.common.models import TimestampedModel


class Organisation(TimestampedModel):
    class Kind(models.TextChoices):
        CITY_COMMISSION = "city_commission", _("市纪委监委")
        COUNTY_COMMISSION = "county_commission", _("县纪委监委")
        LEADING_GROUP = "leading_group", _("领导班子")
        OFFICE = "office", _("机关室(部、中心)")
        DISPATCHED = "dispatched", _("派驻机构")
        INSPECTION = "inspection", _("巡察机构")
        TOWNSHIP = "township", _("乡镇(街道)纪委")

    name = models.CharField(_("名称"), max_length=128)
    kind = models.CharField(_("类型"), max_length=32, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.CharField(_("代码"), max_length=32, unique=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_commission(self) -> bool:
        return self.kind in (self.Kind.CITY_COMMISSION, self.Kind.COUNTY_COMMISSION)


class Person(TimestampedModel):
    """A cadre or staff member in scope of the measures (Art 2)."""

    #: Art 5 responsible subjects, in the regulation's words (untranslated: legal terms), from
    #: the rulebook's tables (accountability.common.vocabulary).
    Role = vocabulary.choices_class("Role", vocabulary.role_choices())

    class Gender(models.TextChoices):
        MALE = "男", _("男")
        FEMALE = "女", _("女")

    name = models.CharField(_("姓名"), max_length=64)
    id_number = models.CharField(_("工号"), max_length=32, unique=True)
    unit = models.ForeignKey(
        Organisation, verbose_name=_("所在单位"), on_delete=models.PROTECT, related_name="people"
    )
    post = models.CharField(_("职务"), max_length=64, blank=True)
    rank = models.CharField(_("职级"), max_length=32, blank=True)
    role = models.CharField(
        _("责任主体类别(第五条)"), max_length=16, choices=vocabulary.role_choices
    )
    managed_by = models.ForeignKey(
        Organisation,
        verbose_name=_("干部管理机关(第十一条)"),
        on_delete=models.PROTECT,
        related_name="managed_people",
    )
    gender = models.CharField(_("性别"), max_length=2, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("出生年份"), null=True, blank=True)
    is_party_member = models.BooleanField(_("中共党员"), default=True)
    is_active = models.BooleanField(_("在职"), default=True)
    account = models.OneToOneField(
        "accounts.User",
        verbose_name=_("系统账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )

    class Meta:
        verbose_name = _("干部职工")
        verbose_name_plural = _("干部职工")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RosterUpload(models.Model):
    """An uploaded roster file waiting for, or checked by, its background job.

    The bytes are kept in the database (not under MEDIA_ROOT), so the file and its row are
    written in one transaction: a failed upload leaves nothing behind. They are cleared once
    the roster has been imported; a refused file is kept so that its job can be retried.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("待检查")
        IMPORTED = "imported", _("已导入")
        REFUSED = "refused", _("未导入")

    filename = models.CharField(_("文件名"), max_length=255)
    content = models.BinaryField(_("文件内容"), default=b"")
    size = models.PositiveIntegerField(_("大小(字节)"))
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    job = models.OneToOneField(
        "jobs.Job",
        verbose_name=_("后台任务"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.PENDING)
    #: The first errors found ({"row", "column", "message"}); error_count has them all.
    errors = models.JSONField(_("错误"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("错误数"), default=0)
    #: {"created": n, "updated": n, "unchanged": n} once imported.
    counts = models.JSONField(_("导入结果"), default=dict, blank=True)

    class Meta:
        verbose_name = _("名册上传")
        verbose_name_plural = _("名册上传")

    def __str__(self) -> str:
        return self.filename
