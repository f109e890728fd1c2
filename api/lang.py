"""The language of a response: ``?lang=`` first, then the browser's first choice; Japanese by default."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Query

from oncall.i18n import Lang

__all__ = ["Lang", "Language", "preferred_language"]


def preferred_language(lang: Lang | None, accept_language: str | None) -> Lang:
    """``lang`` if given, else English when the ``Accept-Language`` header's first choice is English.

    >>> preferred_language(None, "en-GB,en;q=0.9,ja;q=0.8"), preferred_language(None, "ja,en;q=0.5")
    ('en', 'ja')
    >>> preferred_language("en", "ja")
    'en'
    """
    if lang is not None:
        return lang
    first = (accept_language or "").split(",")[0].strip().lower()
    return "en" if first.startswith("en") else "ja"


def _language(
    lang: Annotated[Lang | None, Query(description="ja or en; default from Accept-Language, else ja.")] = None,
    accept_language: Annotated[str | None, Header(description="`en…` first asks for English.")] = None,
) -> Lang:
    return preferred_language(lang, accept_language)


Language = Annotated[Lang, Depends(_language)]
