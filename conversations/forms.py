from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import Activity, ActivityCategory, AddOnItem, active_on_q
from clients.models import Client, ContactPerson
from costing.models import StaffLevel
from ipvb.forms import TenantForm, TenantModelForm
from ipvb.models import Membership, Organisation, User
from ipvb.roles import Role

from .models import CONVERSATION_FIELDS, Conversation, Package, PackageLine
from .packages import LineChanges

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _choices(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """A model choice field of this form instance, to scope its queryset."""
    return cast(forms.ModelChoiceField, form.fields[name])


class ProfessionalsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.email


class ActivityField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_category_display()}: {obj.name}"


class ConversationForm(TenantModelForm):
    contact_persons = forms.ModelMultipleChoiceField(
        label=_("Aanwezige contactpersonen"),
        queryset=ContactPerson.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    professionals = ProfessionalsField(
        label=_("Aanwezige professionals"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Conversation
        fields = list(CONVERSATION_FIELDS)
        widgets = {
            "held_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "next_review_date": DATE,
            "wishes": forms.Textarea(attrs={"rows": 3}),
            "assessment": forms.Textarea(attrs={"rows": 3}),
            "agreements": forms.Textarea(attrs={"rows": 3}),
            "outcome_reason": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "outcome": _("Laat leeg zolang het gesprek alleen is voorbereid."),
            "next_review_date": _("Leeg laten: standaard uit de organisatie-instellingen."),
        }

    def __init__(self, *args: Any, client: Client, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        contacts = ContactPerson.objects.for_organisation(self.organisation).filter(client=client)
        _choices(self, "contact_persons").queryset = contacts
        # The professionals who can take part: care staff and team leaders (not financial staff,
        # managers or the functional administrator).
        care_users = [
            m.user_id
            for m in Membership.objects.for_organisation(self.organisation).filter(is_active=True)
            if m.has_role(Role.CARE_PROFESSIONAL, Role.TEAM_LEADER)
        ]
        _choices(self, "professionals").queryset = User.objects.filter(pk__in=care_users).order_by(
            "last_name", "first_name"
        )
        cast(forms.DateTimeField, self.fields["held_at"]).input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault("held_at", timezone.localtime().replace(second=0, microsecond=0))
            self.initial.setdefault(
                "contact_persons",
                [c for c in contacts if c.takes_part_in_conversations],
            )
            if user is not None and user.pk in care_users:
                self.initial.setdefault("professionals", [user.pk])


class VersionForm(TenantForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def _active_activities(organisation: Organisation, on_date: datetime.date) -> QuerySet[Activity]:
    return (
        Activity.objects.for_organisation(organisation)
        .filter(active_on_q(on_date))
        .select_related("default_level")
        .order_by("category", "name")
    )


def activity_choice_rows(organisation: Organisation | int, on_date: datetime.date) -> QuerySet:
    """The activities of the composer's add form as (pk, category, name) rows."""
    return (
        Activity.objects.for_organisation(organisation)
        .filter(active_on_q(on_date))
        .order_by("category", "name")
        .values_list("pk", "category", "name")
    )


def activity_labels(rows: Iterable[tuple[int, str, str]]) -> list[tuple[int, str]]:
    """(value, label) pairs labelled like ``ActivityField`` ("category: name")."""
    categories = dict(ActivityCategory.choices)
    return [(pk, f"{categories.get(category, category)}: {name}") for pk, category, name in rows]


def activity_choices(organisation: Organisation | int, on_date: datetime.date) -> list[tuple[int, str]]:
    """The activity select of the composer's add form as (value, label) pairs, labelled like
    ``ActivityField`` ("category: name") and in the same order, read as plain values: the
    composer renders the select with a template loop instead of the widget templates."""
    return activity_labels(activity_choice_rows(organisation, on_date))


def addon_choice_rows(organisation: Organisation | int, on_date: datetime.date) -> QuerySet:
    """The add-on select of the composer's add form as (value, label) pairs (see
    ``activity_choices``), in the order of ``AddonAddForm``."""
    return (
        AddOnItem.objects.for_organisation(organisation)
        .filter(active_on_q(on_date))
        .order_by("name")
        .values_list("pk", "name")
    )


def addon_choices(organisation: Organisation | int, on_date: datetime.date) -> list[tuple[int, str]]:
    return list(addon_choice_rows(organisation, on_date))


class LineAddForm(VersionForm):
    activity = ActivityField(
        label=_("Activiteit"), queryset=Activity.objects.none(), empty_label=_("Kies een activiteit")
    )
    minutes = forms.IntegerField(
        label=_("Minuten per keer"), required=False, help_text=_("Leeg: de standaard uit de catalogus.")
    )
    occurrences_per_week = forms.IntegerField(label=_("Keer per week"), initial=1)
    funding = forms.ChoiceField(
        label=_("Financiering"), choices=PackageLine.Funding.choices, initial=PackageLine.Funding.BUDGET
    )
    staff_level = forms.ModelChoiceField(
        label=_("Niveau"),
        queryset=StaffLevel.objects.none(),
        required=False,
        empty_label=_("Standaard uit de catalogus"),
    )

    def __init__(self, *args: Any, package: Package, can_change_level: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "activity").queryset = _active_activities(self.organisation, package.start_date)
        if can_change_level:
            _choices(self, "staff_level").queryset = StaffLevel.objects.for_organisation(
                self.organisation
            ).order_by("order", "name")
        else:
            del self.fields["staff_level"]


class AddonAddForm(VersionForm):
    addon_item = forms.ModelChoiceField(
        label=_("Bijkoopartikel"), queryset=AddOnItem.objects.none(), empty_label=_("Kies een artikel")
    )
    quantity_per_month = forms.DecimalField(
        label=_("Aantal per maand"), min_value=0, max_digits=8, decimal_places=2, initial=1
    )

    def __init__(self, *args: Any, package: Package, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "addon_item").queryset = (
            AddOnItem.objects.for_organisation(self.organisation)
            .filter(active_on_q(package.start_date))
            .order_by("name")
        )


class LineUpdateForm(VersionForm):
    minutes = forms.IntegerField(label=_("Minuten"), required=False)
    occurrences_per_week = forms.IntegerField(label=_("Keer per week"), required=False)
    quantity_per_month = forms.DecimalField(
        label=_("Aantal per maand"), required=False, max_digits=8, decimal_places=2
    )
    staff_level = forms.ModelChoiceField(
        label=_("Niveau"), queryset=StaffLevel.objects.none(), required=False
    )
    funding = forms.ChoiceField(label=_("Financiering"), choices=PackageLine.Funding.choices, required=False)
    wanted = forms.BooleanField(label=_("Gewenst"), required=False)
    necessary = forms.BooleanField(label=_("Noodzakelijk"), required=False)
    wlz_eligible = forms.BooleanField(label=_("Wlz"), required=False)

    def changes(self, line: PackageLine) -> LineChanges:
        data = self.cleaned_data
        if line.is_addon:
            return {"quantity_per_month": data["quantity_per_month"]}
        changes: LineChanges = {
            "minutes": data["minutes"],
            "occurrences_per_week": data["occurrences_per_week"],
            "funding": data["funding"] or line.funding,
            "wanted": data["wanted"],
            "necessary": data["necessary"],
            "wlz_eligible": data["wlz_eligible"],
        }
        if data.get("staff_level") is not None:
            changes["staff_level"] = data["staff_level"]
        return changes


class AgreeForm(VersionForm):
    conversation = forms.ModelChoiceField(
        label=_("Gesprek waarin het pakket is afgesproken"),
        queryset=Conversation.objects.none(),
        required=False,
        empty_label=_("Kies het gesprek"),
    )
    start_date = forms.DateField(label=_("Ingangsdatum"), widget=DATE)
    review_date = forms.DateField(
        label=_("Evaluatiedatum"),
        widget=DATE,
        required=False,
        help_text=_("Leeg: uit het gesprek of de organisatie-instellingen."),
    )
    overrun_reason = forms.CharField(
        label=_("Reden voor overschrijding van het budget"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, package: Package, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "conversation").queryset = (
            Conversation.objects.for_organisation(self.organisation)
            .filter(client_id=package.client_id, status=Conversation.Status.COMPLETED)
            .order_by("-held_at")
        )


class SendBackForm(TenantForm):
    reason = forms.CharField(label=_("Reden"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class SwapForm(TenantForm):
    week_of = forms.DateField(label=_("Week van"), widget=DATE)
    replaced = forms.ModelChoiceField(label=_("Vervalt"), queryset=Activity.objects.none())
    replacement = forms.ModelChoiceField(label=_("In plaats daarvan"), queryset=Activity.objects.none())
    note = forms.CharField(label=_("Toelichting"), required=False, max_length=300)

    def __init__(self, *args: Any, package: Package, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        activity_ids = package.lines.filter(activity__isnull=False).values("activity_id")
        _choices(self, "replaced").queryset = Activity.objects.for_organisation(self.organisation).filter(
            pk__in=activity_ids
        )
        _choices(self, "replacement").queryset = _active_activities(self.organisation, timezone.localdate())
        self.initial.setdefault("week_of", timezone.localdate())
