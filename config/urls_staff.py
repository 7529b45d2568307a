"""A staff host when the public pages live on hosts of their own only
(PUBLIC_ON_STAFF_HOSTS=false): the staff pages and nothing of the public channel."""

from config.urls import staff_patterns

urlpatterns = [*staff_patterns]
