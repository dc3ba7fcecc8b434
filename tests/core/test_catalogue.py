from __future__ import annotations

import pytest

from mbc_journal import catalogue
from mbc_journal.errors import CatalogueError, NotFoundError
from mbc_journal.model import ItemKind

PRODUCT_ITEMS = {
    "brain": [
        "headache",
        "behaviour_change",
        "vision_change",
        "nausea",
        "vomiting",
        "seizure",
        "confusion",
        "one_side_weakness",
    ],
    "bone": [
        "bone_pain",
        "bone_swelling",
        "reduced_mobility",
        "fracture",
        "back_pain",
        "leg_numbness_weakness",
        "bladder_bowel_control",
    ],
    "lungs": ["shortness_of_breath", "chest_pain", "cough", "coughing_blood"],
    "liver": [
        "jaundice",
        "appetite_loss",
        "itchy_skin",
        "nausea",
        "vomiting",
        "abdominal_pain",
        "bleeding_bruising",
        "swollen_abdomen",
    ],
    "general": [
        "fatigue",
        "wellbeing",
        "anxiety",
        "low_mood",
        "sleep_problems",
        "treatment_nausea",
        "bowel_changes",
        "mouth_sores",
        "hand_foot",
        "hot_flushes",
        "neuropathy",
        "swelling_face_neck_arms",
        "leg_swollen_red_painful",
        "sudden_breathless_chest_pain",
        "extreme_thirst",
        "new_drowsiness",
    ],
    "measurements": ["temperature", "weight", "pain_relief_doses"],
}


def test_every_product_item_is_under_its_site() -> None:
    cat = catalogue.load()
    for site_id, item_ids in PRODUCT_ITEMS.items():
        listed = {i.id for i in cat.items_for_site(site_id)}
        assert set(item_ids) <= listed, site_id


def test_a_symptom_is_stored_once_and_shown_under_each_site() -> None:
    cat = catalogue.load()
    assert [i.id for i in cat.items].count("nausea") == 1
    assert set(cat.item("nausea").sites) == {"brain", "liver", "general"}


def test_lungs_are_always_offered() -> None:
    assert catalogue.load().site("lungs").always_offer


def test_red_flags_are_marked() -> None:
    cat = catalogue.load()
    for item_id in [
        "seizure",
        "coughing_blood",
        "back_pain",
        "leg_numbness_weakness",
        "bladder_bowel_control",
        "jaundice",
        "bleeding_bruising",
        "swelling_face_neck_arms",
        "leg_swollen_red_painful",
        "extreme_thirst",
    ]:
        assert cat.item(item_id).red_flag, item_id
    assert not cat.item("fatigue").red_flag


def test_measurements_have_units_and_ranges() -> None:
    temp = catalogue.load().item("temperature")
    assert temp.kind is ItemKind.MEASUREMENT
    assert temp.unit == "°C" and "°F" in temp.units
    assert temp.min is not None and temp.max is not None and temp.min < 38.0 < temp.max


def test_find_by_label_or_id() -> None:
    cat = catalogue.load()
    assert cat.find("Bone pain").id == "bone_pain"
    assert cat.find("bone-pain").id == "bone_pain"
    with pytest.raises(NotFoundError, match="not a symptom"):
        cat.find("hedache")


@pytest.mark.parametrize(
    "text, message",
    [
        ("this is [not toml", "not valid TOML"),
        ("[[sites]]\nid='a'\nlabel='A'\n", "malformed"),
        (
            "[[sites]]\nid='a'\nlabel='A'\n[[items]]\nid='x'\nlabel='X'\nkind='rating'\nsites=['b']\n",
            "unknown site",
        ),
        (
            "[[sites]]\nid='a'\nlabel='A'\n[[items]]\nid='x'\nlabel='X'\nkind='measurement'\nsites=['a']\n",
            "needs a unit",
        ),
        (
            "[[sites]]\nid='a'\nlabel='A'\n[[items]]\nid='x'\nlabel='X'\nkind='rating'\nsites=['a']\n"
            "[[items]]\nid='x'\nlabel='Y'\nkind='rating'\nsites=['a']\n",
            "repeated item",
        ),
        (
            "[[sites]]\nid='a'\nlabel='A'\n[[items]]\nid='x'\nlabel='X'\nkind='mood'\nsites=['a']\n",
            "malformed",
        ),
    ],
)
def test_a_broken_catalogue_is_a_clear_error(text: str, message: str) -> None:
    with pytest.raises(CatalogueError, match=message):
        catalogue.parse(text)
