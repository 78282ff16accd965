"""Share images: a page's outlook as a 1200 × 630 PNG for OpenGraph and Twitter cards.

The card is an SVG (`templates/issues/share/*.svg`) that draws the chart with the page's
own template (`issues/_board_svg.html`), rasterised on the server by resvg (`resvg-py`).
resvg reads no external stylesheet and no CSS variables, so the card's stylesheet is the
site's own chart rules (`static/css/site.css`) and the card's (`static/css/share.css`),
with the variables of `:root` written out: the image keeps the page's colours.

Text needs fonts: resvg loads the system's, and the card names DejaVu (Debian's
`fonts-dejavu-core`, which `make fonts` installs when missing) for the generic families,
so that any script the dossiers hold is drawn the same on every machine.

An image is kept in the reader cache under the current generation (`issues.caching`):
like a page, it is stale the moment anything is published.
"""

import re
from functools import cache
from pathlib import Path

import resvg_py
from django.conf import settings
from django.template.loader import render_to_string

from issues.caching import cached_for_readers
from issues.pages.share import build_issue_share, build_meeting_share

SANS = "DejaVu Sans"
SERIF = "DejaVu Serif"
#: Which of the site's rules the card takes: the charts' own.
CHART_SELECTORS = (".chart__svg", ".board__", ".share__")
#: The properties of those rules that mean something in an SVG (not the page's box layout).
SVG_PROPERTIES = re.compile(
    r"^(fill|fill-opacity|stroke|stroke-[a-z]+|opacity|paint-order|font|font-[a-z]+|"
    r"letter-spacing|text-anchor|text-decoration)$"
)


def _rules(css: str) -> list[tuple[str, str]]:
    """The top-level rules of a stylesheet as (selector, declarations); rules inside an
    at-rule (`@media`, `@supports`) are left out."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    rules, depth, start, body = [], 0, 0, 0
    for index, char in enumerate(css):
        if char == "{":
            if depth == 0:
                selector, body = css[start:index].strip(), index + 1
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                rules.append((selector, css[body:index].strip()))
                start = index + 1
    return rules


def _declarations(body: str) -> list[tuple[str, str]]:
    pairs = (part.split(":", 1) for part in body.split(";") if ":" in part)
    return [(name.strip(), value.strip()) for name, value in pairs]


@cache
def stylesheet() -> str:
    """The card's CSS: the charts' rules of the site's stylesheet and the card's own, for
    SVG properties only, with every `var(--name)` replaced by its value in `:root`."""
    static = Path(settings.BASE_DIR) / "static" / "css"
    rules = _rules((static / "site.css").read_text()) + _rules((static / "share.css").read_text())
    variables = {
        name: value
        for selector, body in rules
        if selector == ":root"
        for name, value in _declarations(body)
        if name.startswith("--")
    }

    def resolve(value: str) -> str:
        return re.sub(r"var\((--[\w-]+)\)", lambda m: variables[m.group(1)], value)

    lines = []
    for selector, body in rules:
        parts = [part.strip() for part in selector.split(",")]
        if not all(part.startswith(CHART_SELECTORS) for part in parts):
            continue
        kept = [
            f"{name}: {resolve(value)};"
            for name, value in _declarations(body)
            if SVG_PROPERTIES.match(name)
        ]
        if kept:
            lines.append(f"{', '.join(parts)} {{ {' '.join(kept)} }}")
    return "\n".join(lines)


def render_png(svg: str) -> bytes:
    """The SVG drawn as a PNG, with the card's stylesheet and fonts."""
    return bytes(
        resvg_py.svg_to_bytes(
            svg_string=svg,
            style_sheet=stylesheet(),
            font_family=SANS,
            sans_serif_family=SANS,
            serif_family=SERIF,
            background="#ffffff",
        )
    )


def issue_svg(slug: str) -> str:
    share = build_issue_share(slug)
    return render_to_string("issues/share/issue.svg", {"share": share, "card": share.card})


def meeting_svg(slug: str) -> str:
    share = build_meeting_share(slug)
    return render_to_string("issues/share/meeting.svg", {"share": share, "card": share.card})


def issue_image(slug: str) -> bytes:
    """The issue's share image (Http404 when the issue is not published)."""
    return cached_for_readers(f"share:issue:{slug}", lambda: render_png(issue_svg(slug)))


def meeting_image(slug: str) -> bytes:
    return cached_for_readers(f"share:meeting:{slug}", lambda: render_png(meeting_svg(slug)))
