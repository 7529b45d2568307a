"""The level-3 password rule: ≥ 8 characters of at least 3 of 4 classes."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from accountability.accounts.validators import (
    PASSWORD_TOO_SHORT,
    PASSWORD_TOO_SIMPLE,
    PasswordComplexityValidator,
    character_classes,
)


@pytest.mark.parametrize(
    ("password", "classes"),
    [("abc", 1), ("abcD", 2), ("abcD1", 3), ("abcD1!", 4), ("密码abc1", 3)],
)
def test_character_classes(password, classes):
    """Upper, lower, digit and symbol are counted once each (CJK counts as a symbol)."""
    assert character_classes(password) == classes


@pytest.mark.parametrize("password", ["Demo@2026", "abcdEF12", "abcd12!@", "ABCD12!@"])
def test_accepted(password):
    """Eight characters or more of three classes pass."""
    PasswordComplexityValidator().validate(password)


def test_too_short():
    """Seven characters are refused with the length message."""
    with pytest.raises(ValidationError) as excinfo:
        PasswordComplexityValidator().validate("Ab1!xyz")
    assert excinfo.value.messages == [PASSWORD_TOO_SHORT.format(min_length=8)]


def test_too_simple():
    """Two classes are refused with the classes message."""
    with pytest.raises(ValidationError) as excinfo:
        PasswordComplexityValidator().validate("abcdefgh12")
    assert excinfo.value.messages == [PASSWORD_TOO_SIMPLE.format(min_classes=3)]


def test_configured_in_settings():
    """The validator is one of AUTH_PASSWORD_VALIDATORS."""
    with pytest.raises(ValidationError) as excinfo:
        validate_password("abcdefghij")
    assert PASSWORD_TOO_SIMPLE.format(min_classes=3) in excinfo.value.messages
