"""One line of the composer as HTML, built in Python (issue 16).

A package's rows are the composer's largest part: through the template engine each row took
about a millisecond (two URL reversals, two CSRF inputs, a dozen translations, the level and
funding options), so a page of nine lines spent more time on its rows than on everything else
of the request. Here the row is put together with ``format_html`` from strings that are
translated and reversed once per request (``RowStrings``); every value from the database is
escaped. The markup is the same as the template's was: forms that post one line with htmx, the
version inputs with ids (version-line-…, version-remove-…) that other answers update out of
band, labels for every input."""

from __future__ import annotations

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

    csrf_input: SafeString
    version: int
    editable: bool
    can_change_level: bool
    levels: tuple[tuple[int, str], ...]
    fundings: tuple[tuple[str, str], ...]
    update_url: str  # with _PK in place of the line's id
    remove_url: str
    text: dict[str, str]

    @classmethod
    def build(
        cls, *, csrf_token: Any, version: int, editable: bool, can_change_level: bool, staff_levels: Any
    ) -> RowStrings:
        csrf_input = (
            format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', csrf_token)
            if csrf_token and csrf_token != "NOTPROVIDED"
            else mark_safe("")
        )
        return cls(
            csrf_input=csrf_input,
            version=version,
            editable=editable,
            can_change_level=can_change_level,
            levels=tuple((level.pk, str(level.name)) for level in staff_levels or ()),
            fundings=tuple((str(value), str(label)) for value, label in PackageLine.Funding.choices),
            update_url=reverse("package_line_update", kwargs={"pk": _PK}),
            remove_url=reverse("package_line_remove", kwargs={"pk": _PK}),
            text={
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
            },
        )

    @staticmethod
    def url(pattern: str, pk: int) -> str:
        return pattern.replace(f"/{_PK}/", f"/{pk}/", 1)


def _options(choices: tuple[tuple[Any, str], ...], selected: Any) -> SafeString:
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, mark_safe(" selected") if value == selected else "", label) for value, label in choices),
    )


def _checked(flag: bool) -> SafeString:
    return mark_safe(" checked") if flag else mark_safe("")


def _remove_form(strings: RowStrings, line: PackageLine, remove_url: str) -> SafeString:
    if not strings.editable:
        return mark_safe("")
    return format_html(
        '<form method="post" action="{url}" hx-post="{url}" hx-target="#composer" hx-swap="outerHTML">{csrf}'
        '<input type="hidden" name="version" value="{version}" id="version-remove-{pk}">'
        '<button type="submit" class="button small secondary remove">{remove}'
        '<span class="visually-hidden"> {label}</span></button></form>',
        url=remove_url,
        csrf=strings.csrf_input,
        version=strings.version,
        pk=line.pk,
        remove=strings.text["remove"],
        label=str(line),
    )


def _addon_row(
    p: Any, line: PackageLine, strings: RowStrings, update_url: str, remove_url: str
) -> SafeString:
    text = strings.text
    if strings.editable:
        quantity = format_html(
            '<form method="post" action="{url}" hx-post="{url}" hx-trigger="change" hx-target="#composer" '
            'hx-swap="outerHTML" class="inline-form">{csrf}'
            '<input type="hidden" name="version" value="{version}" id="version-line-{pk}">'
            '<label for="q-{pk}" class="visually-hidden">{label}</label>'
            '<input id="q-{pk}" type="number" step="0.5" min="0.5" name="quantity_per_month" value="{value}" '
            'class="small-input"> / {month}</form>',
            url=update_url,
            csrf=strings.csrf_input,
            version=strings.version,
            pk=line.pk,
            label=text["quantity"],
            value=str(line.quantity_per_month),
            month=text["month"],
        )
    else:
        quantity = format_html("{} / {}", localize(line.quantity_per_month), text["month"])
    if p.monthly_cost is not None:
        cost = format_html("{} / {}", money(p.monthly_cost), text["per_month"])
    else:
        cost = format_html('<span class="badge bad">{}</span>', p.problem)
    return format_html(
        '<td><strong>{name}</strong><br><span class="badge">{addon}</span></td><td colspan="2">{quantity}</td>'
        "<td>–</td><td>{own}</td><td>–</td>"
        '<td class="num">{cost} {remove}</td>',
        name=line.addon_item.name if line.addon_item else "",
        addon=text["addon"],
        quantity=quantity,
        own=text["own_payment"],
        cost=cost,
        remove=_remove_form(strings, line, remove_url),
    )


def _activity_cells(line: PackageLine, strings: RowStrings, update_url: str) -> SafeString:
    text = strings.text
    if not strings.editable:
        badges = []
        if line.wanted:
            badges.append(
                format_html(
                    '<span class="badge ok" title="{}">{}</span> ', text["wanted_title"], text["wanted"]
                )
            )
        if line.necessary:
            badges.append(
                format_html(
                    '<span class="badge ok" title="{}">{}</span> ', text["necessary_title"], text["needed"]
                )
            )
        if line.wlz_eligible:
            badges.append(mark_safe('<span class="badge ok">Wlz</span>'))
        return format_html(
            '<td colspan="2">{amount}</td><td>{level}</td><td>{funding}</td><td class="test-badges">{badges}</td>',
            amount=gettext("%(m)s min × %(n)s/wk")
            % {"m": localize(line.minutes), "n": localize(line.occurrences_per_week)},
            level=line.staff_level.name if line.staff_level else "",
            funding=line.get_funding_display(),
            badges=format_html_join("", "{}", ((badge,) for badge in badges)),
        )
    if strings.can_change_level:
        level = format_html(
            '<label><span class="visually-hidden">{label}</span><select name="staff_level" aria-label="{label}" '
            'id="level-{pk}">{options}</select></label>',
            label=text["level"],
            pk=line.pk,
            options=_options(strings.levels, line.staff_level_id),
        )
    else:
        level = format_html(
            '<span class="level">{}</span>', line.staff_level.name if line.staff_level else ""
        )
    return format_html(
        '<td colspan="5"><form method="post" action="{url}" hx-post="{url}" hx-trigger="change" '
        'hx-target="#composer" hx-swap="outerHTML" class="line-form">{csrf}'
        '<input type="hidden" name="version" value="{version}" id="version-line-{pk}">'
        '<label class="inline-field"><span class="inline-label">{minutes_label}</span><input type="number" '
        'name="minutes" min="1" value="{minutes}" class="small-input" id="minutes-{pk}"></label>'
        '<label class="inline-field"><span class="inline-label">{occurrences_label}</span><input type="number" '
        'name="occurrences_per_week" min="1" value="{occurrences}" class="small-input" id="occurrences-{pk}"></label>'
        "{level}"
        '<label><span class="visually-hidden">{funding_label}</span><select name="funding" '
        'aria-label="{funding_label}" id="funding-{pk}">{fundings}</select></label>'
        '<span class="tests">'
        '<label class="checkbox"><input type="checkbox" name="wanted"{wanted} id="wanted-{pk}"> {wanted_label}</label>'
        '<label class="checkbox"><input type="checkbox" name="necessary"{necessary} id="necessary-{pk}"> '
        "{necessary_label}</label>"
        '<label class="checkbox"><input type="checkbox" name="wlz_eligible"{wlz} id="wlz-{pk}"> {wlz_label}</label>'
        "</span>"
        '<noscript><button type="submit" class="button small">{save}</button></noscript></form></td>',
        url=update_url,
        csrf=strings.csrf_input,
        version=strings.version,
        pk=line.pk,
        minutes_label=text["minutes"],
        minutes=line.minutes,
        occurrences_label=text["occurrences"],
        occurrences=line.occurrences_per_week,
        level=level,
        funding_label=text["funding"],
        fundings=_options(strings.fundings, line.funding),
        wanted=_checked(line.wanted),
        wanted_label=text["wanted"],
        necessary=_checked(line.necessary),
        necessary_label=text["necessary"],
        wlz=_checked(line.wlz_eligible),
        wlz_label=text["wlz"],
        save=text["save"],
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
            group = format_html(
                '<br><span class="badge">{}</span>',
                gettext("groep van %(n)s") % {"n": localize(activity.group_size)},
            )
        if p.cost_per_week is not None:
            cost = money(p.cost_per_week)
            if p.monthly_cost is not None:
                cost = format_html(
                    '{}<br><span class="help">{}: {} / {}</span>',
                    cost,
                    strings.text["own_payment_lower"],
                    money(p.monthly_cost),
                    strings.text["per_month"],
                )
        else:
            cost = format_html('<span class="badge bad">{}</span>', p.problem)
        cells = format_html(
            '<td><strong>{name}</strong>{group}</td>{middle}<td class="num" data-testid="line-cost">{cost} {remove}</td>',
            name=activity.name if activity is not None else "",
            group=group,
            middle=_activity_cells(line, strings, update_url),
            cost=cost,
            remove=_remove_form(strings, line, remove_url),
        )
    return format_html('<tr data-testid="line" id="line-{}">{}</tr>\n', line.pk, cells)


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
