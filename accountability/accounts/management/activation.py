"""How the administrator commands print a one-time activation code."""

from django.utils import timezone

ACTIVATION_LINES = (
    "激活码第一段：{first}",
    "激活码第二段：{second}",
    "有效期至 {expires}。激活码只显示这一次：请交给本人，由本人在登录页"
    "“使用激活码设置密码”设置自己的密码并绑定动态口令。",
)


def print_activation(stdout, user, first: str, second: str) -> None:
    activation = user.activations.filter(used_at=None).order_by("-created_at").first()
    expires = f"{timezone.localtime(activation.expires_at):%Y-%m-%d %H:%M}" if activation else ""
    for line in ACTIVATION_LINES:
        stdout.write(line.format(first=first, second=second, expires=expires))
