"""Forms of the programme: they parse input; ``reporting.programme.services`` validates the
rules and saves."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import ADDITIONS, LEVELS, PackagePart, ProgrammeMeeting

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PCT_ERRORS = {"invalid": _("Vul een percentage in, bijvoorbeeld 75.")}
COUNT_ERRORS = {
    "invalid": _("Vul het aantal aanwezigen in als heel getal."),
    "min_value": _("Het aantal aanwezigen ligt tussen 0 en 500."),
    "max_value": _("Het aantal aanwezigen ligt tussen 0 en 500."),
}


class QuestionnaireForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    text = forms.CharField(
        label=_("Gebieden en vragen"),
        widget=forms.Textarea(attrs={"rows": 22}),
        help_text=_(
            "Een gebied op een eigen regel; de vragen eronder, elk op een regel die begint met “- ”."
        ),
    )
    ready_pct = forms.DecimalField(label=_("Drempel ‘gereed’ (%)"), error_messages=PCT_ERRORS, localize=True)
    conditions_pct = forms.DecimalField(
        label=_("Drempel ‘gereed met voorwaarden’ (%)"), error_messages=PCT_ERRORS, localize=True
    )
    area_min_pct = forms.DecimalField(
        label=_("Minimum per gebied (%)"), error_messages=PCT_ERRORS, localize=True
    )
    note = forms.CharField(label=_("Toelichting"), max_length=500, required=False)


def year_field() -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Programmajaar"),
        min_value=2000,
        max_value=2100,
        initial=lambda: timezone.localdate().year,
        error_messages={
            "invalid": _("Kies een programmajaar tussen 2000 en 2100."),
            "min_value": _("Kies een programmajaar tussen 2000 en 2100."),
            "max_value": _("Kies een programmajaar tussen 2000 en 2100."),
        },
    )


class PackagePricesForm(forms.Form):
    year = year_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for part, label in PackagePart.choices:
            self.fields[part] = forms.DecimalField(
                label=label,
                min_value=0,
                max_digits=12,
                decimal_places=2,
                localize=True,
                error_messages={
                    "invalid": _("Vul het bedrag in als getal, bijvoorbeeld 1250,00."),
                    "min_value": _("Een bedrag is niet negatief en heeft hoogstens twee decimalen."),
                    "max_decimal_places": _("Een bedrag is niet negatief en heeft hoogstens twee decimalen."),
                    "max_digits": _("Dat bedrag is te groot."),
                },
            )


class PackageChoiceForm(forms.Form):
    year = year_field()
    additions = forms.MultipleChoiceField(
        label=_("Aanvullingen"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(p, label) for p, label in PackagePart.choices if p in ADDITIONS],
        error_messages={"invalid_choice": _("Kies alleen aanvullingen die bestaan.")},
    )


class InternalMeetingForm(forms.Form):
    held_on = forms.DateField(
        label=_("Datum"), widget=DATE_WIDGET, error_messages={"invalid": _("Vul een geldige datum in.")}
    )
    topic = forms.CharField(label=_("Onderwerp"), max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, label in LEVELS:
            self.fields[code] = forms.IntegerField(
                label=_("Aanwezig: %(level)s") % {"level": label},
                min_value=0,
                max_value=500,
                initial=0,
                required=False,
                error_messages=COUNT_ERRORS,
            )


class ProgrammeMeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort"), choices=ProgrammeMeeting.Kind.choices)
    held_on = forms.DateField(
        label=_("Datum"), widget=DATE_WIDGET, error_messages={"invalid": _("Vul een geldige datum in.")}
    )
    topic = forms.CharField(label=_("Onderwerp"), max_length=300)
    region = forms.CharField(label=_("Regio"), max_length=100, required=False)


class ProgrammeReportForm(forms.Form):
    first_month = forms.CharField(
        label=_("Eerste maand (JJJJ-MM)"), max_length=7, widget=forms.TextInput(attrs={"type": "month"})
    )
    last_month = forms.CharField(
        label=_("Laatste maand (JJJJ-MM)"), max_length=7, widget=forms.TextInput(attrs={"type": "month"})
    )
    reason = forms.CharField(label=_("Toelichting"), max_length=500, required=False)
