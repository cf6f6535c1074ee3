from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IpvbConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ipvb"
    verbose_name = _("iPVB kern")
