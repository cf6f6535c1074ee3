"""One line of the composer as HTML, built in Python (issue 16).

A package's rows are the composer's largest part: through the template engine each row took
about a millisecond (two URL reversals, two CSRF inputs, a dozen translations, the level and
funding options), so a page of nine lines spent more time on its rows than on everything else
of the request. Here the row is put together from strings that are translated, reversed and
escaped once per answer (``RowStrings``); every value from the database is escaped with the
standard library's ``html.escape`` (``_e``). The markup is the same as the template's was: forms that post one line with htmx, the
version inputs with ids (version-line-…, version-remove-…) that other answers update out of
band, labels for every input."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from ipvb.formatting import money

from .models import PackageLine

# The URLs are reversed once per answer with this id and completed per line.
_PK = 987654321


@dataclass(frozen=True)
class RowStrings:
    """What every row of one answer shares: the translated texts, the URL patterns, the CSRF
    input, the level and funding options and the package version."""

    csrf_input: str  # markup
    version: int
    editable: bool
    can_change_level: bool
    levels: tuple[tuple[str, str], ...]  # (value, label), escaped
    fundings: tuple[tuple[str, str], ...]
    update_url: str  # with _PK in place of the line's id
    remove_url: str
    text: dict[str, str]  # escaped

    @classmethod
    def build(
        cls, *, csrf_token: Any, version: int, editable: bool, can_change_level: bool, staff_levels: Any
    ) -> RowStrings:
        csrf_input = (
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{_e(csrf_token)}">'
            if csrf_token and csrf_token != "NOTPROVIDED"
            else ""
        )
        return cls(
            csrf_input=csrf_input,
            version=version,
            editable=editable,
            can_change_level=can_change_level,
            levels=tuple((_e(level.pk), _e(level.name)) for level in staff_levels or ()),
            fundings=tuple((_e(value), _e(label)) for value, label in PackageLine.Funding.choices),
            update_url=reverse("package_line_update", kwargs={"pk": _PK}),
            remove_url=reverse("package_line_remove", kwargs={"pk": _PK}),
            text={
                key: _e(value)
                for key, value in {
                    "addon": gettext("bijkoop"),
                    "quantity": gettext("Aantal per maand"),
                    "month": gettext("maand"),
                    "own_payment": gettext("Eigen betaling"),
                    "per_month": gettext("mnd"),
                    "remove": gettext("Verwijderen"),
                    "minutes": gettext("Minuten per keer"),
                    "occurrences": gettext("Keer per week"),
                    "level": gettext("Niveau"),
                    "funding": gettext("Financiering"),
                    "wanted": gettext("gewenst"),
                    "necessary": gettext("noodzakelijk"),
                    "wlz": gettext("Wlz"),
                    "save": gettext("Opslaan"),
                    "own_payment_lower": gettext("eigen betaling"),
                    "wanted_title": gettext("gewenst door cliënt"),
                    "necessary_title": gettext("noodzakelijk volgens professional"),
                    "needed": gettext("nodig"),
                }.items()
            },
        )

    @staticmethod
    def url(pattern: str, pk: int) -> str:
        return pattern.replace(f"/{_PK}/", f"/{pk}/", 1)


def _e(value: Any) -> str:
    """HTML-escaped text (the standard library's escape, as Django's ``escape`` uses, without
    its lazy-string wrapper: a page escapes a few hundred values)."""
    return html.escape(str(value))


def _options(choices: tuple[tuple[str, str], ...], selected: Any) -> str:
    """``choices``: (escaped value, escaped label) pairs; ``selected``: the raw value."""
    chosen = _e(selected) if selected is not None else None
    return "".join(
        f'<option value="{value}"{" selected" if value == chosen else ""}>{label}</option>'
        for value, label in choices
    )


def _checked(flag: bool) -> str:
    return " checked" if flag else ""


def _remove_form(strings: RowStrings, line: PackageLine, remove_url: str) -> str:
    if not strings.editable:
        return ""
    return (
        f'<form method="post" action="{remove_url}" hx-post="{remove_url}" hx-target="#composer" '
        f'hx-swap="outerHTML">{strings.csrf_input}'
        f'<input type="hidden" name="version" value="{strings.version}" id="version-remove-{line.pk}">'
        f'<button type="submit" class="button small secondary remove">{strings.text["remove"]}'
        f'<span class="visually-hidden"> {_e(line)}</span></button></form>'
    )


def _addon_row(p: Any, line: PackageLine, strings: RowStrings, update_url: str, remove_url: str) -> str:
    text = strings.text
    if strings.editable:
        quantity = (
            f'<form method="post" action="{update_url}" hx-post="{update_url}" hx-trigger="change" '
            f'hx-target="#composer" hx-swap="outerHTML" class="inline-form">{strings.csrf_input}'
            f'<input type="hidden" name="version" value="{strings.version}" id="version-line-{line.pk}">'
            f'<label for="q-{line.pk}" class="visually-hidden">{text["quantity"]}</label>'
            f'<input id="q-{line.pk}" type="number" step="0.5" min="0.5" name="quantity_per_month" '
            f'value="{_e(line.quantity_per_month)}" class="small-input"> / {text["month"]}</form>'
        )
    else:
        quantity = f"{_e(localize(line.quantity_per_month))} / {text['month']}"
    if p.monthly_cost is not None:
        cost = f"{_e(money(p.monthly_cost))} / {text['per_month']}"
    else:
        cost = f'<span class="badge bad">{_e(p.problem)}</span>'
    name = _e(line.addon_item.name) if line.addon_item else ""
    return (
        f'<td><strong>{name}</strong><br><span class="badge">{text["addon"]}</span></td>'
        f'<td colspan="2">{quantity}</td><td>–</td><td>{text["own_payment"]}</td><td>–</td>'
        f'<td class="num">{cost} {_remove_form(strings, line, remove_url)}</td>'
    )


def _activity_cells(line: PackageLine, strings: RowStrings, update_url: str) -> str:
    text = strings.text
    level_name = _e(line.staff_level.name) if line.staff_level else ""
    if not strings.editable:
        badges = ""
        if line.wanted:
            badges += f'<span class="badge ok" title="{text["wanted_title"]}">{text["wanted"]}</span> '
        if line.necessary:
            badges += f'<span class="badge ok" title="{text["necessary_title"]}">{text["needed"]}</span> '
        if line.wlz_eligible:
            badges += '<span class="badge ok">Wlz</span>'
        amount = gettext("%(m)s min × %(n)s/wk") % {
            "m": localize(line.minutes),
            "n": localize(line.occurrences_per_week),
        }
        return (
            f'<td colspan="2">{_e(amount)}</td><td>{level_name}</td><td>{_e(line.get_funding_display())}</td>'
            f'<td class="test-badges">{badges}</td>'
        )
    pk = line.pk
    if strings.can_change_level:
        level = (
            f'<label><span class="visually-hidden">{text["level"]}</span><select name="staff_level" '
            f'aria-label="{text["level"]}" id="level-{pk}">{_options(strings.levels, line.staff_level_id)}'
            "</select></label>"
        )
    else:
        level = f'<span class="level">{level_name}</span>'
    return (
        f'<td colspan="5"><form method="post" action="{update_url}" hx-post="{update_url}" hx-trigger="change" '
        f'hx-target="#composer" hx-swap="outerHTML" class="line-form">{strings.csrf_input}'
        f'<input type="hidden" name="version" value="{strings.version}" id="version-line-{pk}">'
        f'<label class="inline-field"><span class="inline-label">{text["minutes"]}</span><input type="number" '
        f'name="minutes" min="1" value="{_e(line.minutes)}" class="small-input" id="minutes-{pk}"></label>'
        f'<label class="inline-field"><span class="inline-label">{text["occurrences"]}</span><input type="number" '
        f'name="occurrences_per_week" min="1" value="{_e(line.occurrences_per_week)}" class="small-input" '
        f'id="occurrences-{pk}"></label>'
        f"{level}"
        f'<label><span class="visually-hidden">{text["funding"]}</span><select name="funding" '
        f'aria-label="{text["funding"]}" id="funding-{pk}">{_options(strings.fundings, line.funding)}</select></label>'
        '<span class="tests">'
        f'<label class="checkbox"><input type="checkbox" name="wanted"{_checked(line.wanted)} id="wanted-{pk}"> '
        f"{text['wanted']}</label>"
        f'<label class="checkbox"><input type="checkbox" name="necessary"{_checked(line.necessary)} '
        f'id="necessary-{pk}"> {text["necessary"]}</label>'
        f'<label class="checkbox"><input type="checkbox" name="wlz_eligible"{_checked(line.wlz_eligible)} '
        f'id="wlz-{pk}"> {text["wlz"]}</label>'
        "</span>"
        f'<noscript><button type="submit" class="button small">{text["save"]}</button></noscript></form></td>'
    )


def line_row(p: Any, strings: RowStrings) -> SafeString:
    """The table row of one priced line (``p``: a PricedLine)."""
    line = p.line
    update_url = strings.url(strings.update_url, line.pk)
    remove_url = strings.url(strings.remove_url, line.pk)
    if line.is_addon:
        cells = _addon_row(p, line, strings, update_url, remove_url)
    else:
        activity = line.activity
        group = ""
        if activity is not None and activity.is_group:
            group = f'<br><span class="badge">{_e(gettext("groep van %(n)s") % {"n": localize(activity.group_size)})}</span>'
        if p.cost_per_week is not None:
            cost = _e(money(p.cost_per_week))
            if p.monthly_cost is not None:
                cost += (
                    f'<br><span class="help">{strings.text["own_payment_lower"]}: {_e(money(p.monthly_cost))} / '
                    f"{strings.text['per_month']}</span>"
                )
        else:
            cost = f'<span class="badge bad">{_e(p.problem)}</span>'
        name = _e(activity.name) if activity is not None else ""
        cells = (
            f"<td><strong>{name}</strong>{group}</td>{_activity_cells(line, strings, update_url)}"
            f'<td class="num" data-testid="line-cost">{cost} {_remove_form(strings, line, remove_url)}</td>'
        )
    # Every value from the database and every translated text is escaped above (_e, RowStrings).
    return mark_safe(f'<tr data-testid="line" id="line-{line.pk}">{cells}</tr>\n')  # noqa: S308


def version_inputs(lines: Any, *, changed_pk: int, version: int) -> SafeString:
    """The out-of-band version inputs of every other line's two forms and of the two add forms
    (the answer to a successful line change)."""
    pks = [p.line.pk for p in lines if p.line.pk != changed_pk]
    rows = [(kind, pk) for pk in pks for kind in ("line", "remove")]
    return format_html_join(
        "",
        '<input type="hidden" name="version" value="{}" id="version-{}-{}" hx-swap-oob="true">\n',
        ((version, kind, pk) for kind, pk in rows),
    ) + format_html(
        '<input type="hidden" name="version" value="{version}" id="add-line-version" hx-swap-oob="true">\n'
        '<input type="hidden" name="version" value="{version}" id="add-addon-version" hx-swap-oob="true">\n',
        version=version,
    )
