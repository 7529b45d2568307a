from django.urls import path

from accountability.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("", views.account_list, name="list"),
    path("new/", views.account_create, name="create"),
    path("<int:pk>/", views.account_edit, name="edit"),
    path("<int:pk>/password/", views.account_reset_password, name="reset_password"),
    path("<int:pk>/deactivate/", views.account_set_active, {"active": False}, name="deactivate"),
    path("<int:pk>/activate/", views.account_set_active, {"active": True}, name="activate"),
    path("<int:pk>/unlock/", views.account_unlock, name="unlock"),
    path("security/", views.security_settings, name="security"),
]
