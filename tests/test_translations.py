"""The French catalogue is complete: no empty or fuzzy entry (STYLE.md section 9)."""

from pathlib import Path

import polib
import pytest

from config.compile_messages import CATALOGUE_DIRS, compile_all

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(
    path
    for folder in CATALOGUE_DIRS
    for path in (ROOT / folder).glob("**/locale/fr/LC_MESSAGES/django.po")
)


def test_there_is_a_french_catalogue_for_the_templates():
    assert ROOT / "config/locale/fr/LC_MESSAGES/django.po" in CATALOGUES


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_french_catalogue_has_no_empty_or_fuzzy_entry(path):
    catalogue = polib.pofile(str(path))
    assert not catalogue.metadata_is_fuzzy, "the header is marked fuzzy"
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == [], f"untranslated in {path}"
    assert fuzzy == [], f"fuzzy in {path}"


def test_catalogues_compile(tmp_path):
    assert compile_all()
