"""Password complexity for level 3: at least 8 characters of at least 3 of 4 classes."""

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
