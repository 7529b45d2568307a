from django.urls import path

from accountability.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/second-factor/", views.second_factor, name="second_factor"),
    path("login/second-factor/setup/", views.second_factor_setup, name="second_factor_setup"),
    path("activate/", views.activate, name="activate"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("", views.account_list, name="list"),
    path("new/", views.account_create, name="create"),
    path("<int:pk>/", views.account_edit, name="edit"),
    path("<int:pk>/password/", views.account_reset_password, name="reset_password"),
    path("<int:pk>/deactivate/", views.account_deactivate, name="deactivate"),
    path("<int:pk>/activate/", views.account_reactivate, name="activate_account"),
    path("<int:pk>/unlock/", views.account_unlock, name="unlock"),
    path("<int:pk>/second-factor/reset/", views.account_otp_reset, name="otp_reset"),
    path("requests/", views.request_list, name="requests"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("security/", views.security_settings, name="security"),
]
