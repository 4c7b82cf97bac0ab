from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("tweede-factor/", views.second_factor, name="second_factor"),
    path("tweede-factor/instellen/", views.second_factor_setup, name="second_factor_setup"),
    path("beveiliging/", views.security, name="security"),
    path("beveiliging/herstelcodes/", views.recovery_codes_renew, name="recovery_codes_renew"),
    path("beveiliging/tweede-factor-uit/", views.second_factor_remove, name="second_factor_remove"),
    path("beveiliging/sessies/<int:pk>/beeindigen/", views.sign_in_end, name="sign_in_end"),
    path(
        "beveiliging/sessies/andere-beeindigen/",
        views.sign_ins_end_others,
        name="sign_ins_end_others",
    ),
    path("wacht-op-toegang/", views.waiting, name="waiting"),
]
