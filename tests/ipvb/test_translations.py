"""Dutch is the source language of the UI; every string must have its English translation."""

import pathlib

import polib

PO = pathlib.Path(__file__).resolve().parents[2] / "locale/en/LC_MESSAGES/django.po"


def test_every_ui_string_has_an_english_translation() -> None:
    po = polib.pofile(str(PO))
    untranslated = [e.msgid for e in po if not e.obsolete and not e.translated()]
    assert untranslated == [], f"Run `make messages` and translate: {untranslated[:20]}"


def test_compiled_catalogue_is_current() -> None:
    mo = polib.mofile(str(PO.with_suffix(".mo")))
    po = polib.pofile(str(PO))
    assert {e.msgid: e.msgstr for e in mo} == {
        e.msgid: e.msgstr for e in po if e.translated() and not e.msgid_plural
    }
