from django.urls import path

from accountability.assessment import views

app_name = "assessment"
urlpatterns = [
    path("assess/", views.assess_page, name="assess"),
    path("regulation/", views.regulation_page, name="regulation"),
    path("holidays/", views.holidays_page, name="holidays"),
    path("holidays/add/", views.holiday_add, name="holiday_add"),
    path("holidays/<int:year>/delete/", views.holiday_delete, name="holiday_delete"),
]
