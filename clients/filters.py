"""The filters of the client lists and the access log, one FilterSet per list. The API uses
them as they are; the web list narrows the same FilterSet to its form (departments the user
may see, a status choice with "in care" as default), so both filter the same way."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ipvb.http import MemberRequest
from ipvb.models import AccessLogEntry, Department
from ipvb.models_accesslog import CHANNEL_CHOICES

from .forms import DateField, departments_for
from .formulas import normalise_bsn
from .models import Client, ContactPerson, Indication
from .profiles import CareProfile
from .selectors import profile_in_force


class ClientFilter(django_filters.FilterSet):
    department = django_filters.NumberFilter(field_name="department_id")
    status = django_filters.ChoiceFilter(choices=Client.Status.choices)
    profile = django_filters.ChoiceFilter(
        choices=CareProfile.choices, method="filter_profile", label=_("Zorgprofiel van kracht vandaag")
    )
    q = django_filters.CharFilter(method="filter_q", label=_("Naam bevat"))

    bsn_in_query = False  # set when ``q`` was a BSN (not searched: see filter_q)

    class Meta:
        model = Client
        fields = ["department", "status"]

    def filter_profile(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """The profile of the indication in force today: the one the list shows."""
        return queryset.alias(profile_today=profile_in_force(on_date=timezone.localdate())).filter(
            profile_today=value
        )

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Every word (at most five) in the given name or surname, or the surname prefix."""
        query = value.strip()
        bsn = normalise_bsn(query)
        if len(bsn) == 9 and bsn.isdigit():
            # A BSN never travels in a URL (web server logs): it is not searched on; the web
            # list points to the BSN search (a POST form, for the roles that may see a BSN).
            self.bsn_in_query = True
            return queryset.none()
        for word in query.split()[:5]:
            queryset = queryset.filter(
                Q(given_name__icontains=word) | Q(name_prefix__iexact=word) | Q(family_name__icontains=word)
            )
        return queryset


def _visible_departments(request: MemberRequest | None) -> QuerySet[Department]:
    return departments_for(request.membership) if request is not None else Department.objects.none()


class ClientListForm(forms.Form):
    field_order = ["q", "department", "profile", "status"]


ALL = "all"


class ClientListFilter(ClientFilter):
    """The web client list: ``ClientFilter`` with the choices of its form. The departments are
    those the user may see; the status is "in care" unless another is chosen ("all": both)."""

    q = django_filters.CharFilter(
        method="filter_q",
        label=_("Zoeken"),
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Naam")}),
    )
    department = django_filters.ModelChoiceFilter(
        label=_("Afdeling"),
        queryset=_visible_departments,
        empty_label=_("Alle afdelingen"),
    )
    profile = django_filters.ChoiceFilter(
        label=_("Zorgprofiel"),
        choices=CareProfile.choices,
        method="filter_profile",
        empty_label=_("Alle profielen"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[*Client.Status.choices, (ALL, _("Alle"))],
        method="filter_status",
        empty_label=None,
    )

    class Meta:
        model = Client
        fields = ["q", "department", "profile", "status"]
        form = ClientListForm

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset if value == ALL else queryset.filter(status=value)

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(status=Client.Status.ACTIVE)  # in care by default
        return super().filter_queryset(queryset)


class IndicationFilter(django_filters.FilterSet):
    client = django_filters.NumberFilter(field_name="client_id")
    care_profile = django_filters.ChoiceFilter(choices=CareProfile.choices)
    in_force_on = django_filters.DateFilter(method="filter_in_force_on", label=_("Van kracht op datum"))

    class Meta:
        model = Indication
        fields = ["client", "care_profile"]

    def filter_in_force_on(self, queryset: QuerySet, name: str, value: datetime.date) -> QuerySet:
        return queryset.filter(start_date__lte=value).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=value)
        )


class ContactPersonFilter(django_filters.FilterSet):
    client = django_filters.NumberFilter(field_name="client_id")

    class Meta:
        model = ContactPerson
        fields = ["client", "role", "takes_part_in_conversations"]


class AccessLogFilter(django_filters.FilterSet):
    client = django_filters.NumberFilter(field_name="client_id")
    user = django_filters.NumberFilter(field_name="user_id")
    since = django_filters.DateTimeFilter(field_name="created_at", lookup_expr="gte")
    until = django_filters.DateTimeFilter(field_name="created_at", lookup_expr="lte")

    class Meta:
        model = AccessLogEntry
        fields = ["client", "user", "action", "channel"]


class LocalDateFilter(django_filters.DateFilter):
    field_class = DateField  # the app's date field: dd-mm-jjjj accepted, a date picker


class AccessLogListFilter(django_filters.FilterSet):
    """The web access log (org admins): by user (name or e-mail), client (name or number),
    action, channel and date."""

    user = django_filters.CharFilter(
        label=_("Gebruiker (naam of e-mail)"), method="filter_user", max_length=100
    )
    client_name = django_filters.CharFilter(
        label=_("Cliënt (naam)"), method="filter_client_name", max_length=100
    )
    action = django_filters.ChoiceFilter(
        label=_("Handeling"), choices=AccessLogEntry.Action.choices, empty_label=_("Alle handelingen")
    )
    channel = django_filters.ChoiceFilter(
        label=_("Kanaal"), choices=CHANNEL_CHOICES, empty_label=_("Alle kanalen")
    )
    date_from = LocalDateFilter(label=_("Vanaf"), field_name="created_at", lookup_expr="date__gte")
    date_to = LocalDateFilter(label=_("Tot en met"), field_name="created_at", lookup_expr="date__lte")
    client = django_filters.NumberFilter(label=_("Cliëntnummer"), field_name="client_id", min_value=1)

    class Meta:
        model = AccessLogEntry
        fields: list[str] = []

    def filter_user(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        term = value.strip()
        return queryset.filter(
            Q(user_email__icontains=term)
            | Q(user__first_name__icontains=term)
            | Q(user__last_name__icontains=term)
        )

    def filter_client_name(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        for word in value.split():
            queryset = queryset.filter(
                Q(client__given_name__icontains=word) | Q(client__family_name__icontains=word)
            )
        return queryset
