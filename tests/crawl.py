"""Crawl the site from `/` as the given client: every internal link must lead somewhere."""

import re
from urllib.parse import urldefrag


def crawl_from_home(client) -> set[str]:
    """Follow every internal link from `/`, asserting each answers (the admin may send a
    reader to sign in); returns the addresses visited."""
    seen, queue = set(), ["/"]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if url.startswith("/admin/"):
            assert response.status_code in (200, 302), url
            continue
        assert response.status_code == 200, url
        if "html" not in response["Content-Type"]:
            continue
        for href in re.findall(r'href="(/[^"]*)"', response.content.decode()):
            target = urldefrag(href.replace("&amp;", "&")).url
            if target and not target.startswith("/static/"):
                queue.append(target)
    return seen
