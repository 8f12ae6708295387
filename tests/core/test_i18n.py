"""The whole interface is Chinese by default and complete in English.

Source strings are written in Chinese; the English catalogue of every package must
translate each of them, with the same placeholders, so an English reader never meets an
untranslated sentence.

The strings are extracted here exactly as ``make messages`` extracts them: the mapping of
babel.cfg and the keywords of the Makefile's ``BABEL_KEYWORDS`` line (``_l`` and the other
lazy forms, besides Babel's defaults ``_``, ``gettext``, ``ngettext``, ``N_`` …). A failure
lists every untranslated string with where it is used, so after a merge
``pytest tests/core/test_i18n.py`` (or ``PYTHONPATH=. python tests/core/test_i18n.py``, which
only prints the list) tells what is left to translate.
"""

import re
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.pofile import read_po, unescape

from config import BASE_DIR, TRANSLATED_PACKAGES

# %(name)s / %(n)d (gettext), {choices} / {{min}} (str.format, lms/core/messages.py).
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|\{\{?\w*\}\}?")


def _keywords() -> dict:
    makefile = (BASE_DIR / "Makefile").read_text(encoding="utf-8")
    line = re.search(r"^BABEL_KEYWORDS\s*:?=(.*)$", makefile, re.MULTILINE)
    assert line, "the Makefile's messages target lost its BABEL_KEYWORDS line"
    return {**DEFAULT_KEYWORDS, **parse_keywords(line.group(1).split())}


def _method_map():
    with (BASE_DIR / "babel.cfg").open(encoding="utf-8") as handle:
        return parse_mapping_cfg(handle)


def _source(package: str) -> Catalog:
    method_map, options_map = _method_map()
    catalog = Catalog()
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(BASE_DIR / package), method_map, options_map, keywords=_keywords()
    ):
        catalog.add(message, None, [(f"{package}/{filename}", lineno)], context=context)
    return catalog


def _po_path(package: str) -> Path:
    return BASE_DIR / package / "translations/en/LC_MESSAGES/messages.po"


def _english(package: str) -> Catalog:
    path = _po_path(package)
    assert path.exists(), f"run `make messages` and translate {path}"
    with path.open("rb") as handle:
        return read_po(handle)


def _strings(message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple | list) else [message.string]


def _untranslated(package: str) -> list[str]:
    english = _english(package)
    missing = []
    for message in _source(package):
        if not message.id:
            continue
        found = english.get(message.id, context=message.context)
        if found is None or found.fuzzy or not all(_strings(found)):
            where = " ".join(f"{file}:{line}" for file, line in message.locations[:2])
            missing.append(f"  {where}  {message.id!r}")
    return missing


def test_extraction_sees_lazy_and_marked_strings():
    """_l(...) labels and N_(...) marshmallow messages are extracted, not only _(...)."""
    ids = {m.id for m in _source("lms")}
    assert "培训专员" in ids  # _l: lms/accounts/labels.py
    assert "请先登录。" in ids  # _l: lms/errors.py
    assert "此项必填。" in ids  # N_: lms/core/messages.py


@pytest.mark.parametrize("package", TRANSLATED_PACKAGES)
def test_every_string_has_an_english_translation(package):
    if not any(m.id for m in _source(package)):
        pytest.skip(f"{package} has no user-visible strings yet")
    missing = _untranslated(package)
    assert not missing, (
        f"{len(missing)} strings have no English (or only a fuzzy one) in {_po_path(package)};"
        " run `make messages`, then translate:\n" + "\n".join(missing)
    )


@pytest.mark.parametrize("package", TRANSLATED_PACKAGES)
def test_translations_keep_the_placeholders(package):
    english = _english(package)
    wrong = []
    for message in english:
        if not message.id or not all(_strings(message)):
            continue
        ids = list(message.id) if isinstance(message.id, tuple | list) else [message.id]
        expected = sorted(PLACEHOLDER.findall(ids[-1]))
        for text in _strings(message):
            if sorted(PLACEHOLDER.findall(text)) != expected:
                wrong.append(f"  {ids[0]!r} -> {text!r}")
    assert not wrong, "placeholders differ from the source:\n" + "\n".join(wrong)


def _msgids_in_file(path: Path) -> list[tuple[str | None, str]]:
    """(context, msgid) of every live entry, in file order, duplicates kept."""
    entries, context, current, field = [], None, None, None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("msgctxt "):
            context, field = unescape(line[8:]), "msgctxt"
        elif line.startswith("msgid "):
            current, field = unescape(line[6:]), "msgid"
        elif line.startswith('"') and field == "msgid":
            current += unescape(line)
        elif line.startswith('"') and field == "msgctxt":
            context += unescape(line)
        else:
            if current is not None and field == "msgid":
                entries.append((context, current))
                context, current = None, None
            field = None
    return [e for e in entries if e[1]]


@pytest.mark.parametrize("package", TRANSLATED_PACKAGES)
def test_no_message_is_defined_twice(package):
    """A union merge of two branches' catalogues can leave one msgid twice; Babel silently
    keeps the first, GNU msgfmt refuses the file."""
    counts = Counter(_msgids_in_file(_po_path(package)))
    twice = sorted(msgid for (_ctx, msgid), n in counts.items() if n > 1)
    assert not twice, f"defined more than once in {_po_path(package)}: {twice}"


def test_a_reader_who_chose_english_sees_labels_and_errors_in_english(client):
    """Form labels and error pages are lazy strings: they too follow the chosen language."""
    client.post("/locale/en", data={"next": "/login"})
    login = client.get("/login").get_data(as_text=True)
    assert "Employee no. or mobile number" in login
    assert "工号或手机号" not in login
    missing = client.get("/no-such-page").get_data(as_text=True)
    assert "Page not found." in missing
    assert "页面不存在" not in missing


if __name__ == "__main__":  # PYTHONPATH=. python tests/core/test_i18n.py: the list, nothing else
    for name in TRANSLATED_PACKAGES:
        left = _untranslated(name)
        print(f"{name}: {len(left)} untranslated", *left, sep="\n")
