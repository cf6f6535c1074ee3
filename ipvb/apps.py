from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IpvbConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ipvb"
    verbose_name = _("iPVB kern")

    def ready(self) -> None:
        from allauth.mfa import signals as mfa_signals

        from .api_tokens import connect_signals
        from .mfa import forget_enrolment, remember_activation

        connect_signals()

        mfa_signals.authenticator_added.connect(remember_activation, dispatch_uid="ipvb_mfa_proven")
        mfa_signals.authenticator_removed.connect(forget_enrolment, dispatch_uid="ipvb_mfa_removed")
