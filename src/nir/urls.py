from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "NIR – Nasjonalt introduksjonsregister"
admin.site.site_title = "NIR"
admin.site.index_title = "Registeret"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("nir.api.urls")),
    path("innlogging/", include("nir.accounts.urls")),
    path("", include("nir.imdi.urls")),
    path("", include("nir.web.urls")),
]
