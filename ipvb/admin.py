"""The Django admin is for platform staff (superusers) only: organisations and user accounts.
Tenant data is managed in the application itself."""

from typing import Any

from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Organisation, User

# API keys are issued by their owner after MFA (ipvb.views.tokens), never minted by staff for
# someone else: knox's token admin is removed.
try:
    from knox.models import AuthToken

    admin.site.unregister(AuthToken)
except (ImportError, NotRegistered):  # pragma: no cover - depends on app order
    pass


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "agb_code", "zorgkantoor_code", "city", "is_active", "takes_part_in_reporting"]
    search_fields = ["name", "agb_code"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Persoon", {"fields": ("first_name", "last_name")}),
        ("Rechten", {"fields": ("is_active", "is_staff", "is_superuser")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        """People are deactivated (``is_active``), never deleted: the access log keeps naming
        them, and their memberships in organisations sit behind the database wall."""
        return False
