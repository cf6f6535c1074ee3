"""Dutch is the source language of the UI; every string must have its English translation."""

import pathlib

import polib

PO = pathlib.Path(__file__).resolve().parents[2] / "locale/en/LC_MESSAGES/django.po"


def test_every_ui_string_has_an_english_translation() -> None:
    po = polib.pofile(str(PO))
    untranslated = [e.msgid for e in po if not e.obsolete and not e.translated()]
    assert untranslated == [], f"Run `make messages` and translate: {untranslated[:20]}"


def test_compiled_catalogue_is_current() -> None:
    """The compiled .mo answers every translation of the .po (what Django will show)."""
    import gettext

    with PO.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    po = polib.pofile(str(PO))
    stale = []
    for entry in po:
        if entry.obsolete or not entry.translated():
            continue
        if entry.msgid_plural:
            if entry.msgctxt:
                shown = compiled.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 2)
            else:
                shown = compiled.ngettext(entry.msgid, entry.msgid_plural, 2)
            if shown != entry.msgstr_plural[1]:
                stale.append(entry.msgid)
        else:
            if entry.msgctxt:
                shown = compiled.pgettext(entry.msgctxt, entry.msgid)
            else:
                shown = compiled.gettext(entry.msgid)
            if shown != entry.msgstr:
                stale.append(entry.msgid)
    assert stale == [], f"Run `make messages`: {stale[:10]}"


def test_one_dutch_word_with_two_english_meanings_uses_a_context() -> None:
    """ "Ingangsdatum" is the start of an indication or package, but the effective date of a
    cost-model version or formatie entry; "Voornaam" is a client's given name, but a user
    account's first name. Each meaning has its own catalogue entry (pgettext)."""
    from django.utils import translation

    from clients.forms import IndicationForm
    from costing.models import CostPriceModel
    from ipvb.views.forms import MemberCreateForm
    from reporting.models import ActualStaffing

    with translation.override("en"):
        assert str(IndicationForm.base_fields["start_date"].label) == "Start date"
        assert str(CostPriceModel._meta.get_field("effective_from").verbose_name) == "effective date"
        assert str(ActualStaffing._meta.get_field("effective_from").verbose_name) == "effective date"
        assert str(MemberCreateForm.base_fields["first_name"].label) == "First name"
        assert str(MemberCreateForm.base_fields["last_name"].label) == "Last name"
        assert translation.gettext("Voornaam") == "Given name"
