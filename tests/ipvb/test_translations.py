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
            if compiled.ngettext(entry.msgid, entry.msgid_plural, 2) != entry.msgstr_plural[1]:
                stale.append(entry.msgid)
        elif compiled.gettext(entry.msgid) != entry.msgstr:
            stale.append(entry.msgid)
    assert stale == [], f"Run `make messages`: {stale[:10]}"
