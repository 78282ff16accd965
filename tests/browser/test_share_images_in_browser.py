"""The share image a page names in its OpenGraph and Twitter tags loads in a browser, as a
1200 × 630 image, from the page's own origin under its Content Security Policy."""

import pytest
from playwright.sync_api import Page

LOAD_IMAGE = """url => new Promise(done => {
  const image = new Image();
  image.onload = () => done([image.naturalWidth, image.naturalHeight]);
  image.onerror = () => done(null);
  image.src = url;
})"""


@pytest.mark.parametrize(
    "path", ["/issues/kells-strait/", "/meetings/aldren-vostrov-lanterna-2025/"]
)
def test_the_pages_share_image_loads(page: Page, live_reader, path):
    page.goto(f"{live_reader.url}{path}")
    og_image = page.locator('meta[property="og:image"]').get_attribute("content")
    twitter_image = page.locator('meta[name="twitter:image"]').get_attribute("content")
    card = page.locator('meta[name="twitter:card"]').get_attribute("content")
    assert og_image == twitter_image
    assert og_image is not None and og_image.startswith(live_reader.url)
    assert card == "summary_large_image"
    assert page.evaluate(LOAD_IMAGE, og_image) == [1200, 630]
    # Opened directly, it is a PNG.
    response = page.goto(og_image)
    assert response is not None and response.ok
    assert response.headers["content-type"] == "image/png"
