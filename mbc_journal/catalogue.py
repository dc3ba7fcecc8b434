"""The symptom catalogue: organ sites and items, loaded from resources/.

The shipped catalogue is data (``resources/catalogue.toml``), validated when
loaded. User-added items and hidden items are merged in by the journal.
"""

from __future__ import annotations

import functools
import importlib.resources
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from mbc_journal.errors import CatalogueError, NotFoundError
from mbc_journal.model import DayRule, Item, ItemKind, Site

CATALOGUE_FILE = "catalogue.toml"


@dataclass(frozen=True)
class Catalogue:
    sites: tuple[Site, ...]
    items: tuple[Item, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {item.id: item for item in self.items})
        object.__setattr__(self, "_sites_by_id", {site.id: site for site in self.sites})

    # lookups -------------------------------------------------------------

    def item(self, item_id: str) -> Item:
        try:
            return self._by_id[item_id]  # type: ignore[attr-defined, no-any-return]
        except KeyError:
            raise NotFoundError(
                f"'{item_id}' is not a symptom in this journal; run "
                f"'mbc-journal symptoms' to see the list."
            ) from None

    def site(self, site_id: str) -> Site:
        try:
            return self._sites_by_id[site_id]  # type: ignore[attr-defined, no-any-return]
        except KeyError:
            known = ", ".join(s.id for s in self.sites)
            raise NotFoundError(f"'{site_id}' is not an organ site; use one of: {known}.") from None

    def day_rule(self, item_id: str) -> DayRule:
        """How the item's readings of a day make its day's value (WORST if unknown)."""
        item: Item | None = self._by_id.get(item_id)  # type: ignore[attr-defined]
        return item.day_rule if item is not None else DayRule.WORST

    def has_item(self, item_id: str) -> bool:
        return item_id in self._by_id  # type: ignore[attr-defined]

    def find(self, name: str) -> Item:
        """An item by id, or by its label, ignoring case, spaces and dashes."""
        key = _key(name)
        for item in self.items:
            if _key(item.id) == key or _key(item.label) == key:
                return item
        return self.item(name)

    def items_for_site(self, site_id: str) -> tuple[Item, ...]:
        return tuple(item for item in self.items if site_id in item.sites)

    # user changes ----------------------------------------------------------

    def with_custom(self, custom: Iterable[Item]) -> Catalogue:
        extra = tuple(item for item in custom if item.id not in self._by_id)  # type: ignore[attr-defined]
        return Catalogue(self.sites, self.items + extra)


def _key(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


@functools.cache
def load() -> Catalogue:
    """The shipped catalogue (cached: it is immutable)."""
    resource = importlib.resources.files("mbc_journal.resources") / CATALOGUE_FILE
    try:
        text = resource.read_text(encoding="utf-8")
    except OSError as error:
        raise CatalogueError(f"The symptom catalogue could not be read ({error}).") from error
    return parse(text)


def parse(text: str) -> Catalogue:
    """Parse and validate catalogue TOML; any problem is a CatalogueError."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CatalogueError(f"The symptom catalogue is not valid TOML: {error}.") from error
    try:
        sites = tuple(_site(raw) for raw in data["sites"])
        items = tuple(_item(raw) for raw in data["items"])
    except (KeyError, TypeError, ValueError) as error:
        raise CatalogueError(f"The symptom catalogue is malformed: {error!r}.") from error
    site_ids = [site.id for site in sites]
    _unique(site_ids, "site")
    _unique([item.id for item in items], "item")
    for item in items:
        unknown = set(item.sites) - set(site_ids)
        if unknown or not item.sites:
            raise CatalogueError(
                f"The symptom catalogue lists item '{item.id}' under unknown site(s) "
                f"{sorted(unknown)}."
            )
        _check_item(item)
    return Catalogue(sites, items)


def _unique(ids: list[str], what: str) -> None:
    seen: set[str] = set()
    for item_id in ids:
        if not item_id or item_id in seen:
            raise CatalogueError(
                f"The symptom catalogue has a missing or repeated {what} id '{item_id}'."
            )
        seen.add(item_id)


def _site(raw: Mapping[str, Any]) -> Site:
    return Site(
        id=str(raw["id"]),
        label=str(raw["label"]),
        description=str(raw.get("description", "")),
        always_offer=bool(raw.get("always_offer", False)),
    )


def _item(raw: Mapping[str, Any]) -> Item:
    kind = ItemKind(raw["kind"])
    units = tuple(str(u) for u in raw.get("units", ()))
    unit = raw.get("unit")
    return Item(
        id=str(raw["id"]),
        label=str(raw["label"]),
        kind=kind,
        sites=tuple(str(s) for s in raw["sites"]),
        red_flag=bool(raw.get("red_flag", False)),
        group=str(raw.get("group", "")),
        hint=str(raw.get("hint", "")),
        unit=str(unit) if unit is not None else None,
        units=units or ((str(unit),) if unit is not None else ()),
        min=float(raw["min"]) if "min" in raw else None,
        max=float(raw["max"]) if "max" in raw else None,
        decimals=int(raw.get("decimals", 0)),
        day=DayRule(raw["day"]) if "day" in raw else None,
        retired=bool(raw.get("retired", False)),
    )


def _check_item(item: Item) -> None:
    if item.kind is ItemKind.MEASUREMENT:
        if not item.unit or item.min is None or item.max is None or item.min >= item.max:
            raise CatalogueError(
                f"The symptom catalogue's measurement '{item.id}' needs a unit and a valid range."
            )
        if item.unit not in item.units:
            raise CatalogueError(
                f"The symptom catalogue's measurement '{item.id}' does not accept its own unit."
            )


def custom_item(item_id: str, label: str, kind: ItemKind, site_id: str, **extra: Any) -> Item:
    """An item the user added under one site."""
    item = Item(id=item_id, label=label, kind=kind, sites=(site_id,), custom=True)
    return replace(item, **extra) if extra else item
