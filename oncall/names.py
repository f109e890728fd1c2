"""Names that people read: physicians, hospitals and districts by their label in a language, with the id
added only where two of them share that label (two 佐藤健 in one network are told apart; no one else's
name is cluttered with an id)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Protocol

__all__ = ["Labelled", "display_names"]


class Labelled(Protocol):
    """Anything with an id and a label in a language (physicians, hospitals, districts)."""

    @property
    def id(self) -> str: ...

    def label(self, lang: str = "ja") -> str: ...


def display_names(items: Iterable[Labelled], lang: str = "ja") -> dict[str, str]:
    """Id -> the name to show in ``lang``: the label, followed by the id when another item has that label.

    >>> from oncall.model import Hospital
    >>> hospitals = [Hospital(id=i, name=n, districts=["d"], capacity_per_day=1) for i, n in
    ...              [("h1", "中央病院"), ("h2", "市民病院"), ("h3", "市民病院")]]
    >>> display_names(hospitals)
    {'h1': '中央病院', 'h2': '市民病院 (h2)', 'h3': '市民病院 (h3)'}
    """
    labels = {item.id: item.label(lang) for item in items}
    seen = Counter(labels.values())
    return {i: f"{label} ({i})" if seen[label] > 1 else label for i, label in labels.items()}
