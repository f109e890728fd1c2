"""The words of the web pages, in Japanese (the default) and English, from the one catalogue, by key.

>>> text("sign_in", "en")
'Sign in'
>>> text("locked", "ja", minutes=15)
'パスワードの誤りが続いたため、15分間ロックされています。'
"""

from __future__ import annotations

from oncall.i18n import Lang, pairs

__all__ = ["TEXTS", "text"]

# In the catalogue as web.<key> (oncall/texts/web.py). The language switch names the other language
# in its own words: each language's name, crossed.
_NAMES = pairs("web").pop("language_name")
TEXTS: dict[str, tuple[str, str]] = {
    **{k: v for k, v in pairs("web").items() if k != "language_name"},
    "language": (_NAMES[1], _NAMES[0]),
}


def text(key: str, lang: Lang, **params: object) -> str:
    """The text of ``key`` in ``lang``, with ``{params}`` filled in."""
    ja, en = TEXTS[key]
    return (en if lang == "en" else ja).format(**params)
