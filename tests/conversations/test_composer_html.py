"""The composer's rows built in Python (conversations.composer_html): escaped values, the
translated texts, the forms a team leader and others get, and the read-only row."""

from __future__ import annotations

from decimal import Decimal

from django.utils import translation

from catalog.models import Activity, AddOnItem
from conversations.composer_html import RowStrings, line_row
from conversations.models import PackageLine
from conversations.pricing import PricedLine
from costing.models import StaffLevel

LEVELS = [StaffLevel(pk=1, name="Niveau 2"), StaffLevel(pk=2, name="Niveau 3 <b>")]


def _strings(*, editable: bool = True, can_change_level: bool = True) -> RowStrings:
    return RowStrings.build(
        csrf_token='tok"en',
        version=7,
        editable=editable,
        can_change_level=can_change_level,
        staff_levels=LEVELS,
    )


def _activity_line(**extra: object) -> PricedLine:
    activity = Activity(pk=3, name='Wandelen <script>alert("x")</script>', is_group=True, group_size=4)
    line = PackageLine(
        pk=41, activity=activity, minutes=30, occurrences_per_week=2, staff_level=LEVELS[1],
        funding=PackageLine.Funding.BUDGET, wanted=True, necessary=False, wlz_eligible=True, **extra,
    )  # fmt: skip
    return PricedLine(line=line, rate=Decimal("50"), cost_per_week=Decimal("50.005"), monthly_cost=None)


def test_an_editable_row_escapes_every_value_and_posts_to_its_line() -> None:
    with translation.override("nl"):
        html = line_row(_activity_line(), _strings())
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "Niveau 3 &lt;b&gt;" in html and "Niveau 3 <b>" not in html
    assert 'value="tok&quot;en"' in html  # the CSRF input, escaped
    assert 'action="/pakketregels/41/"' in html and 'action="/pakketregels/41/verwijderen/"' in html
    assert 'id="version-line-41"' in html and 'id="version-remove-41"' in html and 'value="7"' in html
    assert '<option value="2" selected>' in html and '<option value="1">' in html
    assert 'name="wanted" checked' in html and 'name="necessary" id=' in html
    assert "groep van 4" in html
    assert "€ 50,01" in html  # half-up, Dutch
    assert html.startswith('<tr data-testid="line" id="line-41">')


def test_without_the_level_choice_the_level_is_text_and_english_is_translated() -> None:
    with translation.override("en"):
        html = line_row(_activity_line(), _strings(can_change_level=False))
    assert 'name="staff_level"' not in html and '<span class="level">Niveau 3 &lt;b&gt;</span>' in html
    assert "group of 4" in html and ">Delete<" in html and "€50.01" in html


def test_a_read_only_row_has_no_forms() -> None:
    with translation.override("nl"):
        html = line_row(_activity_line(), _strings(editable=False))
    assert "<form" not in html and "csrfmiddlewaretoken" not in html
    assert "30 min × 2/wk" in html and 'title="gewenst door cliënt"' in html and "nodig" not in html


def test_an_addon_row_shows_its_monthly_amount() -> None:
    item = AddOnItem(pk=5, name="Kapper & <i>nagels</i>")
    line = PackageLine(
        pk=42, addon_item=item, quantity_per_month=Decimal("2.5"), funding=PackageLine.Funding.PRIVATE
    )
    priced = PricedLine(line=line, rate=None, cost_per_week=None, monthly_cost=Decimal("37.5"))
    with translation.override("nl"):
        editable = line_row(priced, _strings())
        read_only = line_row(priced, _strings(editable=False))
    assert "Kapper &amp; &lt;i&gt;nagels&lt;/i&gt;" in editable
    assert 'name="quantity_per_month" value="2.5"' in editable and "€ 37,50 / mnd" in editable
    assert "2,5 / maand" in read_only and "<form" not in read_only
