from django.urls import path

from nir.accounts import views

app_name = "accounts"

urlpatterns = [
    path("idporten/", views.idporten_start, name="idporten-start"),
    path("idporten/callback/", views.idporten_callback, name="idporten-callback"),
]
