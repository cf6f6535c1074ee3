"""Fills locale/en/LC_MESSAGES/django.po from locale/en/translations/*.json (one file per app,
{"Dutch source text": "English text"}) and reports what is still untranslated.

UI source strings are Dutch (the product's first language); English is the translation."""

import json
import pathlib
import sys

import polib

ROOT = pathlib.Path(__file__).resolve().parent.parent
PO = ROOT / "locale/en/LC_MESSAGES/django.po"


def load_translations() -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in sorted((ROOT / "locale/en/translations").glob("*.json")):
        merged.update(json.loads(path.read_text(encoding="utf-8")))
    return merged


def main() -> int:
    translations = load_translations()
    po = polib.pofile(str(PO))
    missing = []
    for entry in po:
        if entry.obsolete:
            continue
        if entry.msgid_plural:
            singular = translations.get(entry.msgid)
            plural = translations.get(entry.msgid_plural)
            if singular and plural:
                entry.msgstr_plural = {0: singular, 1: plural}
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
                entry.previous_msgid = None
                entry.previous_msgid_plural = None
            else:
                missing.append(entry.msgid)
            continue
        english = translations.get(entry.msgid)
        if english:
            entry.msgstr = english
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = None
            entry.previous_msgid_plural = None
        else:
            missing.append(entry.msgid)
    po.save(str(PO))
    po.save_as_mofile(str(PO.with_suffix(".mo")))
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    return 1 if missing and "--strict" in sys.argv else 0


if __name__ == "__main__":
    sys.exit(main())
