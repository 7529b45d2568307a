from django.apps import AppConfig
from django.core import checks


class AccountsConfig(AppConfig):
    name = "accountability.accounts"
    label = "accounts"

    def ready(self) -> None:
        checks.register(second_factor_roles_check)


def second_factor_roles_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """ACCOUNTS_OTP_REQUIRED_ROLES names known roles and all three administrators."""
    from django.core.exceptions import ImproperlyConfigured

    from accountability.accounts.otp import required_roles

    try:
        required_roles()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="accounts.E001")]
    return []
