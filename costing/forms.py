"""Forms of costing. They parse the input (text to Decimal, date, level) and check fields; the
writes (and the checks across records) are in ``services`` and ``cost_models``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from ipvb import spreadsheets
from ipvb.forms import TenantForm, TenantModelForm

from .cost_models import MODEL_INPUT_FIELDS, validate_level_inputs, validate_model_inputs
from .models import CostPriceModel, OrganisationYearSettings, StaffLevel


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class StaffLevelForm(TenantModelForm):
    class Meta:
        model = StaffLevel
        fields = ["code", "name", "order"]
        help_texts = {"code": _("Korte code zonder spaties, bijvoorbeeld verzorgende-ig.")}


class YearSettingsForm(TenantModelForm):
    class Meta:
        model = OrganisationYearSettings
        fields = [
            "year",
            "contract_percentage",
            "hotel_costs_per_day",
            "overrun_tolerance_pct",
            "reindication_threshold_pct",
            "reindication_weeks",
            "review_interval_months",
            "reference_level",
        ]
        help_texts = {
            "contract_percentage": _("Percentage van het NZa-maximumtarief dat het zorgkantoor betaalt."),
            "overrun_tolerance_pct": _(
                "Hoeveel procent boven het budget een zorgprofessional mag afspreken (met reden)."
            ),
            "reference_level": _("Het budget wordt ook getoond in uren op dit niveau."),
        }


class CostModelForm(TenantModelForm):
    class Meta:
        model = CostPriceModel
        fields = ["year", "effective_from", "change_note", *MODEL_INPUT_FIELDS]
        widgets = {"effective_from": DateInput(), "change_note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["year"].disabled = True

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        values = {f: cleaned.get(f) for f in MODEL_INPUT_FIELDS}
        if all(v is not None for v in values.values()):
            try:
                validate_model_inputs(values)
            except ValidationError as exc:
                for key, messages in exc.message_dict.items():
                    for message in messages:
                        if key in self.fields and key not in self.errors:
                            self.add_error(key, message)
        year, effective = cleaned.get("year"), cleaned.get("effective_from")
        if year and effective and effective.year != year:
            self.add_error(
                "effective_from", _("De ingangsdatum moet in het modeljaar %(year)s liggen.") % {"year": year}
            )
        return cleaned

    def validate_unique(self) -> None:
        """Version numbers are assigned by the service; nothing to check here."""


class NewVersionForm(forms.Form):
    effective_from = forms.DateField(label=_("Ingangsdatum van de nieuwe versie"), widget=DateInput())
    change_note = forms.CharField(
        label=_("Wat verandert er en waarom?"), widget=forms.Textarea(attrs={"rows": 3}), required=True
    )


LEVEL_FIELDS = (
    ("salary", _("Salaris S")),
    ("holiday_pct", _("Vakantietoeslag h %")),
    ("year_end_pct", _("Eindejaarsuitkering y %")),
    ("irregular_pct", _("ORT r %")),
    ("employer_charges_pct", _("Werkgeverslasten e %")),
)


class ModelLevelsForm(TenantForm):
    """One row per staff level of the organisation; an empty salary leaves the level out."""

    def __init__(self, *args: Any, model: CostPriceModel, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.model = model
        current = {row.staff_level_id: row for row in model.levels.all()}
        self.rows: list[tuple[StaffLevel, list[str]]] = []
        for level in StaffLevel.objects.for_organisation(self.organisation).order_by("order", "name"):
            names = []
            existing = current.get(level.pk)
            for name, label in LEVEL_FIELDS:
                key = f"level_{level.pk}_{name}"
                validators: list[Any] = [
                    MinValueValidator(Decimal(0), _("Een waarde kan niet negatief zijn."))
                ]
                if name != "salary":
                    validators.append(
                        MaxValueValidator(Decimal(100), _("Een percentage ligt tussen 0 en 100."))
                    )
                self.fields[key] = forms.DecimalField(
                    label=f"{label} – {level.name}",
                    required=False,
                    max_digits=12,
                    decimal_places=3,
                    validators=validators,
                    initial=getattr(existing, name) if existing else None,
                    widget=forms.NumberInput(attrs={"step": "0.001", "inputmode": "decimal"}),
                )
                names.append(key)
            self.rows.append((level, names))

    def level_rows(self) -> list[dict[str, Any]]:
        return [{"level": level, "fields": [self[name] for name in names]} for level, names in self.rows]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.included: list[tuple[StaffLevel, dict[str, Decimal]]] = []
        self.excluded: list[StaffLevel] = []
        for level, names in self.rows:
            if any(name in self.errors for name in names):
                continue
            values = {field: cleaned.get(f"level_{level.pk}_{field}") for field, _label in LEVEL_FIELDS}
            if all(v is None for v in values.values()):
                self.excluded.append(level)
                continue
            if any(v is None for v in values.values()):
                raise ValidationError(
                    _("Vul voor %(level)s alle vijf de waarden in, of laat ze allemaal leeg.")
                    % {"level": level.name}
                )
            try:
                validate_level_inputs(values)
            except ValidationError as exc:
                for key, messages in exc.message_dict.items():
                    for message in messages:
                        self.add_error(f"level_{level.pk}_{key}", message)
                continue
            self.included.append((level, {key: value for key, value in values.items() if value is not None}))
        if not self.errors and not self.included:
            raise ValidationError(_("Neem minstens één functieniveau op in het model."))
        return cleaned


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Bestand (CSV of XLSX)"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        spreadsheets.check_upload(upload)
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise ValidationError(_("Kies een CSV- of XLSX-bestand."))
        return upload


class XlsxUploadForm(UploadForm):
    file = forms.FileField(label=_("Excel-bestand (XLSX)"))

    def clean_file(self) -> Any:
        upload = super().clean_file()
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError(_("Kies een XLSX-bestand."))
        return upload


class GroupCareForm(TenantForm):
    """Hours per week of group-bound care per staff level, for one department and year."""

    def __init__(self, *args: Any, existing: dict[int, Decimal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.levels = list(StaffLevel.objects.for_organisation(self.organisation).order_by("order", "name"))
        for level in self.levels:
            self.fields[f"hours_{level.pk}"] = forms.DecimalField(
                label=_("Uren per week – %(level)s") % {"level": level.name},
                required=False,
                max_digits=7,
                decimal_places=2,
                validators=[MinValueValidator(Decimal(0), _("Het aantal uren kan niet negatief zijn."))],
                initial=existing.get(level.pk),
                widget=forms.NumberInput(attrs={"step": "0.25", "inputmode": "decimal"}),
            )

    def hours(self) -> dict[StaffLevel, Decimal | None]:
        return {level: self.cleaned_data.get(f"hours_{level.pk}") for level in self.levels}
