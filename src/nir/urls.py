from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

admin.site.site_header = "NIR – Nasjonalt introduksjonsregister"
admin.site.site_title = "NIR"
admin.site.index_title = "Registeret"

urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("admin/", admin.site.urls),
]
