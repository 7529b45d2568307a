"""Password rules for level 3: at least 8 characters of at least 3 of 4 classes, and none of
the last 5 passwords again."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_noop

from accountability.accounts.policy import PASSWORD_MIN_CLASSES, PASSWORD_MIN_LENGTH

PASSWORD_TOO_SHORT = gettext_noop("密码至少需要 {min_length} 个字符。")
PASSWORD_TOO_SIMPLE = gettext_noop(
    "密码须包含大写字母、小写字母、数字、符号四类中的至少 {min_classes} 类。"
)
PASSWORD_HELP = gettext_noop(
    "密码至少 {min_length} 个字符，须包含大写字母、小写字母、数字、符号四类中的至少 "
    "{min_classes} 类。"
)


def character_classes(password: str) -> int:
    classes = [
        any(c.isascii() and c.isupper() for c in password),
        any(c.isascii() and c.islower() for c in password),
        any(c.isascii() and c.isdigit() for c in password),
        # Anything else (punctuation, CJK, full-width characters) counts as a symbol.
        any(not (c.isascii() and c.isalnum()) for c in password),
    ]
    return sum(classes)


class PasswordComplexityValidator:
    def __init__(
        self, min_length: int = PASSWORD_MIN_LENGTH, min_classes: int = PASSWORD_MIN_CLASSES
    ) -> None:
        self.min_length = min_length
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        errors = []
        if len(password) < self.min_length:
            errors.append(
                ValidationError(
                    gettext(PASSWORD_TOO_SHORT).format(min_length=self.min_length),
                    code="password_too_short",
                )
            )
        if character_classes(password) < self.min_classes:
            errors.append(
                ValidationError(
                    gettext(PASSWORD_TOO_SIMPLE).format(min_classes=self.min_classes),
                    code="password_too_simple",
                )
            )
        if errors:
            raise ValidationError(errors)

    def get_help_text(self) -> str:
        return gettext(PASSWORD_HELP).format(
            min_length=self.min_length, min_classes=self.min_classes
        )


PASSWORD_REUSED = gettext_noop(
    "新密码不能与最近 {count} 次使用过的密码相同（含当前密码），请另设一个密码。"
)
PASSWORD_HISTORY_HELP = gettext_noop("不能重复使用最近 {count} 次使用过的密码。")
PASSWORD_HISTORY_COUNT = 5


class PasswordHistoryValidator:
    """No reuse of the last ``count`` passwords (level 3); their hashes are kept, nothing else.

    Each password set through ``User.set_password`` is recorded when the account is saved
    (Django calls ``password_changed``); older entries beyond ``count`` are dropped.
    """

    def __init__(self, count: int = PASSWORD_HISTORY_COUNT) -> None:
        self.count = count

    def _recent(self, user):
        from accountability.accounts.models import PasswordHistory

        return PasswordHistory.objects.filter(user=user).order_by("-created_at", "-id")

    def validate(self, password: str, user=None) -> None:
        from django.contrib.auth.hashers import check_password

        if user is None or not user.pk:
            return
        hashes = list(self._recent(user).values_list("password", flat=True)[: self.count])
        if user.has_usable_password() and user.password not in hashes:
            hashes.insert(0, user.password)
        if any(check_password(password, encoded) for encoded in hashes[: self.count]):
            raise ValidationError(
                gettext(PASSWORD_REUSED).format(count=self.count), code="password_reused"
            )

    def password_changed(self, password: str, user=None) -> None:
        from accountability.accounts.models import PasswordHistory

        if user is None or not user.pk or not user.has_usable_password():
            return
        previous = getattr(user, "_previous_password", None)
        if previous and not PasswordHistory.objects.filter(user=user).exists():
            PasswordHistory.objects.create(
                user=user, password=previous, created_at=user.password_changed_at
            )
        PasswordHistory.objects.create(user=user, password=user.password)
        keep = list(self._recent(user).values_list("pk", flat=True)[: self.count])
        PasswordHistory.objects.filter(user=user).exclude(pk__in=keep).delete()

    def get_help_text(self) -> str:
        return gettext(PASSWORD_HISTORY_HELP).format(count=self.count)
