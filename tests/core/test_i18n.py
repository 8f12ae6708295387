"""The whole interface is Chinese by default and complete in English.

Source strings are written in Chinese; the English catalogue of every package must
translate each of them, with the same placeholders, so an English reader never meets an
untranslated sentence.
"""

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from config import BASE_DIR, TRANSLATED_PACKAGES

METHOD_MAP = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _source_strings(package: str) -> set[str]:
    found = set()
    for _file, _line, message, _comments, _ctx in extract_from_dir(
        str(BASE_DIR / package), METHOD_MAP, options_map={"**/templates/**.html": {}}
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return {m for m in found if m}


@pytest.mark.parametrize("package", TRANSLATED_PACKAGES)
def test_every_string_has_an_english_translation_with_the_same_placeholders(package):
    source = _source_strings(package)
    if not source:
        pytest.skip(f"{package} has no user-visible strings yet")
    po_path = Path(BASE_DIR / package / "translations/en/LC_MESSAGES/messages.po")
    assert po_path.exists(), f"run `make messages` and translate {po_path}"
    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    translated = {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}
    missing = sorted(source - translated.keys())
    assert not missing, f"{len(missing)} untranslated in {po_path}: {missing[:10]}"
    for msgid in source:
        assert sorted(PLACEHOLDER.findall(msgid)) == sorted(
            PLACEHOLDER.findall(translated[msgid])
        ), msgid
