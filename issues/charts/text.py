"""Figures and words shared by every chart: signed numbers, shortened titles."""

from decimal import Decimal

MINUS = "\u2212"  # a true minus sign, as wide as the plus sign
TITLE_LENGTH = 44  # characters of an issue or scenario title that fit on a chart's line


def signed(value: int | Decimal) -> str:
    """+2, −1.3, 0: a signed figure for people, with a true minus sign."""
    text = f"{value:+}" if value else f"{value}".lstrip("-")
    return text.replace("-", MINUS)


def shorten(text: str, length: int = TITLE_LENGTH) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
