"""The one check of the patient's own items (symptoms added under a site): the same
rules for the app's "add your own" form and for an import file's ``custom_items``.

An own item that passes can always be shown, charted and printed: a name of one short
line (a 5,000-character label broke the report's layout), a known site, a rating or an
event, and no second item of the same name in that site.
"""

from __future__ import annotations

from typing import Any

from mbc_journal.catalogue import Catalogue
from mbc_journal.errors import ValidationError
from mbc_journal.model import ItemKind, check_name

ID_PREFIX = "custom_"
MAX_ID_LENGTH = 100


def check_custom_item(
    catalogue: Catalogue, label: Any, site_id: Any, kind: Any, *, item_id: str | None = None
) -> tuple[str, ItemKind]:
    """The label as stored and the kind, or one sentence. ``item_id``: the item itself,
    when it is already known (an import of an item this journal has)."""
    if not isinstance(label, str):
        raise ValidationError("An own symptom's name must be text.")
    label = check_name(label)
    if not label:
        raise ValidationError("Give the new symptom a name.")
    if not isinstance(site_id, str):
        raise ValidationError("An own symptom's site must be the name of an organ site.")
    catalogue.site(site_id)
    try:
        checked = ItemKind(kind)
    except ValueError:
        raise ValidationError(f"'{str(kind)[:40]}' is not a kind of item.") from None
    if checked is ItemKind.MEASUREMENT:
        raise ValidationError("Your own items can be ratings or events.")
    for existing in catalogue.items:
        if (
            existing.id != item_id
            and existing.label.lower() == label.lower()
            and site_id in existing.sites
        ):
            raise ValidationError(f"'{label}' is already in this site's list.")
    return label, checked


def check_custom_id(item_id: Any) -> str:
    """An own item's id as the app makes them: ``custom_…``, one short word."""
    if (
        not isinstance(item_id, str)
        or not item_id.startswith(ID_PREFIX)
        or len(item_id) > MAX_ID_LENGTH
        or len(item_id) == len(ID_PREFIX)
        or not item_id.isprintable()
        or any(ch.isspace() for ch in item_id)
    ):
        shown = str(item_id)[:40]
        raise ValidationError(
            f"'{shown}' is not an id of an own item (they are 'custom_' and a short word)."
        )
    return item_id
