"""The methodology page: read from the code's own definitions, and linked from every chart."""

import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from issues.charts.outlook import overall_outlook
from issues.models import Effect, Likelihood, Posture, Salience, Scale, ScaleLabel
from issues.pages.method import CHART_ANCHORS
from issues.scoring import MAPPING_VERSION, MAPPINGS

pytestmark = pytest.mark.django_db

METHOD = "/about/method/"


class Anchors(HTMLParser):
    """Every id of a page, and every link's address."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])


def parsed(html: str) -> Anchors:
    parser = Anchors()
    parser.feed(html)
    return parser


def test_the_page_is_named_method_and_open_to_anyone(client):
    assert reverse("issues:method") == METHOD
    response = client.get(METHOD)
    assert response.status_code == 200
    assert b"How the dossiers are made and read" in response.content


def test_each_likelihood_word_carries_the_probability_scores_use(client):
    html = client.get(METHOD).content.decode()
    mapping = MAPPINGS[MAPPING_VERSION]
    for likelihood in Likelihood:
        probability = mapping[likelihood]
        percent = f"{probability * 100:.0f} %"
        row = re.search(rf'<tr data-code="{likelihood.value}">(.*?)</tr>', html, re.S)
        assert row, likelihood
        assert f'<th scope="row">{likelihood.label}</th>' in row.group(1)
        assert f'data-probability="{probability}">{percent}<' in row.group(1)
    assert MAPPING_VERSION in html


def test_a_changed_mapping_reaches_the_page(client, monkeypatch):
    changed = {**MAPPINGS[MAPPING_VERSION], Likelihood.LIKELY: Decimal("0.75")}
    monkeypatch.setitem(MAPPINGS, MAPPING_VERSION, changed)
    html = client.get(METHOD).content.decode()
    assert 'data-probability="0.75">75 %<' in html


def test_every_step_of_every_scale_is_explained_with_its_figure(client):
    html = client.get(METHOD).content.decode()
    for scale, choices, figures in (
        ("posture", Posture, ["−2", "−1", "0", "+1", "+2"]),
        ("effect", Effect, ["−2", "−1", "0", "+1", "+2"]),
        ("salience", Salience, ["1", "2", "3"]),
    ):
        block = re.search(rf'<dl class="method__scale" id="{scale}-steps">(.*?)</dl>', html, re.S)
        assert block, scale
        for choice, figure in zip(choices, figures, strict=True):
            assert f'<span class="method__code">{figure}</span> {choice.label}' in block.group(1)
    # Posture and effect steps say what they mean, not only their word.
    assert html.count("<dd>The side") == len(Posture)
    assert html.count("<dd>The issue") == len(Effect)


def test_an_editors_rewording_of_a_label_shows_on_the_page(client):
    ScaleLabel.objects.create(scale=Scale.POSTURE, code=Posture.HARDLINE, label="Unyielding")
    html = client.get(METHOD).content.decode()
    assert '<span class="method__code">−2</span> Unyielding' in html


def test_the_outlook_formula_and_its_worked_example_come_from_the_code(client):
    html = client.get(METHOD).content.decode()
    assert "Σ(effect × salience) ÷ Σ(salience)" in html
    example = overall_outlook(
        [
            type("A", (), {"effect": Effect.HINDERS, "salience": Salience.HIGH})(),
            type("A", (), {"effect": Effect.FAVOURS, "salience": Salience.LOW})(),
        ]
    )
    assert example is not None
    assert example.working in html
    # −2 ÷ 4 = −0.5: halves away from zero, so the word is "Hinders".
    assert example.working.endswith("= −0.5")
    assert "nearest step is −1, “Hinders”" in html


def test_dates_are_explained_at_each_precision(client):
    html = client.get(METHOD).content.decode()
    for precision in ("day", "month", "year", "period"):
        assert f'data-precision="{precision}"' in html


def test_each_chart_has_its_section(client):
    ids = parsed(client.get(METHOD).content.decode()).ids
    for anchor in CHART_ANCHORS.values():
        assert anchor in ids


def chart_help_links(html: str) -> dict[str, str]:
    found = re.findall(r'<a href="([^"]+)" data-chart-help="([a-z]+)">', html)
    return {chart: href for href, chart in found}


def test_each_chart_of_the_meeting_page_links_to_its_section(client, synthetic_dossier):
    html = client.get("/meetings/synthetic-meeting/").content.decode()
    links = chart_help_links(html)
    assert set(links) == set(CHART_ANCHORS)
    method_ids = parsed(client.get(METHOD).content.decode()).ids
    for chart, href in links.items():
        assert href == f"{METHOD}#{CHART_ANCHORS[chart]}"
        assert href.split("#")[1] in method_ids
    # Each link sits in its chart's section.
    for chart, section in (("board", "board"), ("trend", "trend"), ("stances", "stances")):
        start = html.index(f'<h2 id="{section}">')
        assert html.index(f'data-chart-help="{chart}"', start) < html.index("</section>", start)


def test_the_issue_pages_timeline_links_to_its_section(client, synthetic_dossier):
    html = client.get("/issues/synthetic-water-rights/").content.decode()
    assert chart_help_links(html) == {
        "timeline": f"{METHOD}#read-timeline",
        "changes": f"{METHOD}#read-changes",
    }


def test_the_footer_of_every_page_links_to_the_method(client, synthetic_dossier):
    for url in ("/", "/issues/synthetic-water-rights/", METHOD):
        html = client.get(url).content.decode()
        footer = html[html.index('<footer class="site-footer">') :]
        assert f'href="{METHOD}"' in footer, url


def test_the_page_makes_at_most_one_query(client, django_assert_max_num_queries, settings):
    settings.READER_CACHE_SECONDS = 0
    client.get(METHOD)  # the labels, cached after the first read
    with django_assert_max_num_queries(1):
        assert client.get(METHOD).status_code == 200


def test_the_method_reads_the_trend_and_timeline_as_they_are_drawn(client, db):
    """The outlook over time: rows on a time axis in proportion to the dates, each value at
    its own level, dots sized by salience, the meeting's day marked; the timeline's numbered
    citations and its sideways scroll on a wide screen."""
    html = client.get(METHOD).content.decode()
    trend = html[html.index(f'id="{CHART_ANCHORS["trend"]}"') :]
    trend = trend[: trend.index("</section>")]
    assert "in proportion to the dates" in trend
    assert "nothing is shifted to keep lines apart" in trend
    assert "sized by its salience" in trend
    assert "an upright dashed line marks it" in trend
    timeline = html[html.index(f'id="{CHART_ANCHORS["timeline"]}"') :]
    timeline = timeline[: timeline.index("</section>")]
    assert "numbers in brackets lead to the sources" in timeline
    assert "Scroll sideways for later dates →" in timeline
