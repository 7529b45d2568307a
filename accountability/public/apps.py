from django.apps import AppConfig


class PublicConfig(AppConfig):
    """The informant's channel (第十三条第(一)项 群众信访举报): reports from the public."""

    name = "accountability.public"
    label = "public"

    def ready(self) -> None:
        from accountability.public import checks  # noqa: F401  (registers the deploy check)
