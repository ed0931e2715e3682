"""Text in one comparable form: superscripts, full-width characters, dashes, case."""

from __future__ import annotations

import re
import unicodedata

_SUPERSCRIPT_RUN = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻]+")
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻", "0123456789+-")
_DASHES = re.compile("[\u2010-\u2015\u2212\ufe63\uff0d]")
_TILDES = re.compile("[\u301c\uff5e]")


def normalise(text: str) -> str:
    """Text in one comparable form: superscripts as ``^``, NFKC, casefolded, one space.

    Superscript exponents become ``^`` powers before NFKC (which would otherwise turn
    ``10⁹`` into ``109``); dashes and the minus sign become ``-``.

    >>> normalise("  1.2 × 10⁹  Particles/㎖ ")
    '1.2 × 10^9 particles/ml'
    >>> normalise("Store at 2–8 ℃")
    'store at 2-8 °c'
    """
    text = _SUPERSCRIPT_RUN.sub(lambda m: "^" + m.group().translate(_SUPERSCRIPTS), text)
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _DASHES.sub("-", text)
    text = _TILDES.sub("~", text)
    return re.sub(r"\s+", " ", text).strip()
