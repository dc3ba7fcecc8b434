"""The rules tools/build_bundle.py trims the desktop bundle by (issue 20). The build
itself is run by hand (docs/install.md); these check, without building, that what the
app needs is never on the list of things to remove."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def build_bundle() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_bundle", ROOT / "tools" / "build_bundle.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    "item",
    [
        "coll/root.res",  # QCollator and the file dialog's sorting
        "coll/ucadata.icu",
        "coll/sv.res",
        "coll/zh.res",
        "coll/res_index.res",
        "zone/root.res",  # time-zone names
        "zone/en.res",
        "zone/pool.res",
        "zone/tzdbNames.res",
        "zoneinfo64.res",  # time-zone rules
        "metaZones.res",
        "timezoneTypes.res",
        "root.res",
        "en.res",
        "pool.res",
        "res_index.res",
        "likelySubtags.res",
        "supplementalData.res",
        "cnvalias.icu",  # codec names
        "nfkc.nrm",
        "uts46.nrm",
    ],
)
def test_icu_data_qt_reads_is_kept(build_bundle: ModuleType, item: str) -> None:
    assert build_bundle.keep_icu_item(item)


@pytest.mark.parametrize(
    "item",
    [
        "de.res",
        "de_AT.res",
        "zh_Hant_TW.res",
        "lang/de.res",
        "lang/root.res",
        "region/fr.res",
        "curr/en.res",
        "unit/ja.res",
        "zone/de.res",
        "brkitr/cjdict.dict",
        "translit/root.res",
        "rbnf/en.res",
        "ibm-1390_P110-2003.cnv",
        "unames.icu",
    ],
)
def test_icu_data_qt_never_reads_is_dropped(build_bundle: ModuleType, item: str) -> None:
    assert not build_bundle.keep_icu_item(item)


def test_what_the_app_imports_is_never_excluded(build_bundle: ModuleType) -> None:
    """The report (reportlab, matplotlib's Agg, PIL's PNG), Trends (the Qt canvas), the
    journal (SQLAlchemy, Alembic) and the single-instance check (QtNetwork) stay in."""
    needed = {
        "PySide6.QtNetwork",
        "PySide6.QtSvg",
        "PIL.Image",
        "PIL.PngImagePlugin",
        "numpy.linalg",
        "numpy.ma",
        "matplotlib.backends.backend_agg",
        "matplotlib.backends.backend_qtagg",
        "matplotlib.backends.backend_svg",
        "sqlalchemy",
        "alembic",
        "reportlab",
        "fontTools",
    }
    excluded = set(build_bundle.EXCLUDES)
    assert not {m for m in needed if m in excluded or m.rsplit(".", 1)[0] in excluded}
    # trim() removes the fonts whose names start with one of DROP_FONTS; the report
    # embeds the first two, and the charts draw with DejaVu Sans (italic in places).
    for font in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf"):
        assert not font.startswith(build_bundle.DROP_FONTS)
    assert "fonts/ttf" not in build_bundle.DROP_MPL_DATA


def test_the_bundle_keeps_what_an_encrypted_journal_needs(build_bundle: ModuleType) -> None:
    """Issue 19: the key is derived with hashlib.pbkdf2_hmac, which needs OpenSSL's
    _hashlib and libcrypto (TLS itself stays out)."""
    excluded = set(build_bundle.EXCLUDES)
    assert "_hashlib" not in excluded and not any("sqlcipher" in m for m in excluded)
    assert not any(name.startswith("libcrypto") for name in build_bundle.DROP_FILES)
    assert "libssl.so.3" in build_bundle.DROP_FILES
