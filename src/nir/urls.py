from django.contrib import admin
from django.urls import include, path

from nir.register.admin import is_operator

admin.site.site_header = "NIR – Nasjonalt introduksjonsregister"
admin.site.site_title = "NIR"
admin.site.index_title = "Registeret"
# The admin is the operators' tool: no caseworker, adviser or statistician enters it, whatever
# their is_staff says.
admin.site.has_permission = is_operator  # type: ignore[method-assign]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("nir.api.urls")),
    path("innlogging/", include("nir.accounts.urls")),
    path("", include("nir.imdi.urls")),
    path("", include("nir.web.urls")),
]
