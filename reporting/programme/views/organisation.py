"""The organisation's side of the programme (``/programma/``): its programme status (screening
outcome, package, pilot status, involvement of every level), the screening (org admin, save
and continue later), the self-pay package choice, internal meetings and its position in the
benchmark."""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ipvb.http import MemberRequest
from ipvb.roles import Role
from ipvb.views.base import ServiceFormMixin, TenantFormView, TenantTemplateView

from .. import benchmark as bench
from .. import meetings, questionnaires, services
from ..forms import (
    InternalMeetingForm,
    PackageChoiceForm,
)
from ..formulas import question_codes
from ..models import (
    LEVELS,
    InternalMeeting,
    PackageChoice,
    PackagePart,
    Screening,
)
from ..selectors import (
    involvement,
    programme_status,
)
from .display import PART_LABELS, benchmark_charts, screening_rows, weakest_titles

STATUS_ROLES = frozenset({Role.ORG_ADMIN, Role.MANAGER, Role.BOARD})
ADMIN_ROLES = frozenset({Role.ORG_ADMIN})
BENCHMARK_ROLES = frozenset({Role.ORG_ADMIN, Role.MANAGER, Role.BOARD, Role.FINANCIAL})


def amount_lines(amount: Any) -> list[dict[str, Any]]:
    if amount is None:
        return []
    return [
        {
            "part": line.part,
            "label": PART_LABELS.get(line.part, line.part),
            "amount": line.amount,
            "deducted": line.deducted,
        }
        for line in amount.lines
    ]


class ProgrammeHomeView(TenantTemplateView):
    allowed_roles = STATUS_ROLES
    template_name = "reporting/programme/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        organisation = self.organisation
        status = programme_status(organisation=organisation)
        return super().get_context_data(
            status=status,
            weakest=weakest_titles(status.screening),
            package_lines=amount_lines(status.amount),
            meetings=InternalMeeting.objects.for_organisation(organisation)[:10],
            is_admin=self.membership.has_role(Role.ORG_ADMIN),
            **kwargs,
        )


class ScreeningView(ServiceFormMixin, TenantTemplateView):
    """The screening form (its questions come from the questionnaire version, so no Django
    form): refused, the page again with the given answers and the errors on top (400)."""

    allowed_roles = ADMIN_ROLES
    template_name = "reporting/programme/screening_form.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        organisation = self.organisation
        current = services.screening_current(organisation=organisation)
        version = current.questionnaire if current else questionnaires.questionnaire_in_force()
        values = kwargs.pop("values", None)
        if values is None:
            values = {
                "answers": {k: str(v) for k, v in (current.answers if current else {}).items()},
                "own_software": current.own_software if current else False,
                "own_software_name": current.own_software_name if current else "",
            }
        areas = [
            {
                "code": area["code"],
                "title": area["title"],
                "questions": [
                    {
                        "code": q["code"],
                        "text": q["text"],
                        "selected": str(values["answers"].get(q["code"], "")),
                    }
                    for q in area["questions"]
                ],
            }
            for area in (version.areas if version else [])
        ]
        return super().get_context_data(
            current=current,
            version=version,
            values=values,
            areas=areas,
            scale=("0", "1", "2", "3"),
            history=Screening.objects.for_organisation(organisation)
            .filter(status=Screening.Status.COMPLETED)
            .select_related("questionnaire"),
            **kwargs,
        )

    def post(self, request: MemberRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        organisation = self.organisation
        current = services.screening_current(organisation=organisation)
        version = current.questionnaire if current else questionnaires.questionnaire_in_force()
        codes = question_codes(version.areas) if version else []
        answers = {code: request.POST.get(f"q_{code}", "") for code in codes}
        own_software = request.POST.get("own_software") == "on"
        name = request.POST.get("own_software_name", "")
        self.values = {"answers": answers, "own_software": own_software, "own_software_name": name}
        self.complete = request.POST.get("action") == "complete"
        return self.service_action(
            lambda: services.screening_save(
                organisation=organisation,
                user=request.user,
                answers=answers,
                own_software=own_software,
                own_software_name=name,
                complete=self.complete,
            )
        )

    def service_failed(self, exc: ValidationError, form: Any = None) -> HttpResponse:
        return self.render_to_response(
            self.get_context_data(values=self.values, errors=exc.messages), status=400
        )

    def get_success_message(self, result: Screening) -> str:
        if self.complete:
            return _("De screening is afgerond: %(outcome)s.") % {"outcome": result.get_outcome_display()}
        return _("De screening is opgeslagen; u kunt later verdergaan.")

    def get_success_url(self) -> str:
        if self.complete:
            return reverse("programme_screening_detail", kwargs={"pk": self.object.pk})
        return reverse("programme_screening")


class ScreeningDetailView(TenantTemplateView):
    allowed_roles = STATUS_ROLES
    template_name = "reporting/programme/screening_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        screening = (
            Screening.objects.for_organisation(self.organisation)
            .select_related("questionnaire", "organisation")
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        if screening is None:
            raise Http404
        return super().get_context_data(
            screening=screening,
            rows=screening_rows(screening),
            weakest=weakest_titles(screening),
            back=reverse("programme_home"),
            **kwargs,
        )


class PackageChoiceView(ServiceFormMixin, TenantFormView):
    allowed_roles = ADMIN_ROLES
    template_name = "reporting/programme/package_form.html"
    form_class = PackageChoiceForm
    invalid_status = 400
    success_message = gettext_lazy("De keuze voor het zelf-betaal-pakket is vastgelegd.")

    def year(self) -> int:
        try:
            return (
                int(self.request.GET.get("jaar") or self.request.POST.get("year") or 0)
                or timezone.localdate().year
            )
        except ValueError:
            return timezone.localdate().year

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        organisation = self.organisation
        year = self.year()
        status = programme_status(organisation=organisation, year=year)
        prices = services.package_prices(year=year)
        form = kwargs.pop("form", None) or PackageChoiceForm(
            initial={"year": year, "additions": status.choice.additions if status.choice else []}
        )
        return super().get_context_data(
            form=form,
            year=year,
            status=status,
            prices=[(part, label, prices.get(part)) for part, label in PackagePart.choices],
            has_prices="base" in prices,
            package_lines=amount_lines(status.amount),
            **kwargs,
        )

    def save(self, form: PackageChoiceForm) -> PackageChoice:
        self.chosen_year = form.cleaned_data["year"]
        return services.package_choose(
            organisation=self.organisation,
            year=self.chosen_year,
            additions=form.cleaned_data["additions"],
            user=cast(MemberRequest, self.request).user,
        )

    def get_success_url(self) -> str:
        return f"{reverse('programme_package')}?jaar={self.chosen_year}"


class MeetingsView(TenantTemplateView):
    allowed_roles = STATUS_ROLES
    template_name = "reporting/programme/meetings.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        organisation = self.organisation
        return super().get_context_data(
            involvement=involvement(organisation=organisation),
            meetings=InternalMeeting.objects.for_organisation(organisation).select_related("recorded_by")[
                :100
            ],
            levels=LEVELS,
            form=kwargs.pop("form", None) or InternalMeetingForm(),
            is_admin=self.membership.has_role(Role.ORG_ADMIN),
            **kwargs,
        )


class MeetingRecordView(ServiceFormMixin, TenantFormView):
    """Records an internal meeting; refused, the meetings page again with the form (400)."""

    allowed_roles = ADMIN_ROLES
    http_method_names = ("post",)
    template_name = "reporting/programme/meetings.html"
    form_class = InternalMeetingForm
    invalid_status = 400
    success_url = reverse_lazy("programme_meetings")
    success_message = gettext_lazy("De bijeenkomst is vastgelegd.")

    def save(self, form: InternalMeetingForm) -> InternalMeeting:
        return meetings.internal_meeting_record(
            organisation=self.organisation,
            user=cast(MemberRequest, self.request).user,
            **form.cleaned_data,
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return MeetingsView(request=self.request, kwargs={}).get_context_data(form=kwargs["form"])


class BenchmarkView(TenantTemplateView):
    allowed_roles = BENCHMARK_ROLES
    template_name = "reporting/programme/benchmark.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        data = bench.benchmark_for_organisation(self.organisation)
        return super().get_context_data(
            data=data,
            groups=benchmark_charts(data["groups"], named=False),
            metrics=bench.METRICS,
            named=False,
            can_home=self.membership.has_role(*STATUS_ROLES),
            **kwargs,
        )
