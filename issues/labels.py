"""Labels of the closed scales, with editors' rewording (`ScaleLabel`) applied.

All labels are read in one query and kept in Django's cache. Saving or deleting a
`ScaleLabel` clears that entry (signal receivers connected in `IssuesConfig.ready`). The
cache is the shared one (Redis when `REDIS_URL` is set), so a reworded label reaches every
worker on its next page; the per-process memory cache is only for a single local server.

The models know nothing of this module: it depends on them, never the other way round.
"""

from typing import cast

from django.core.cache import cache

from .models import ScaleLabel
from .models.scales import SCALE_CHOICES

CACHE_KEY = "scale-labels"


def _load_labels() -> dict[str, dict[int, str]]:
    labels = {scale: dict(choices.choices) for scale, choices in SCALE_CHOICES.items()}
    for scale, code, label in ScaleLabel.objects.values_list("scale", "code", "label"):
        labels[scale][code] = label
    return labels


def all_labels() -> dict[str, dict[int, str]]:
    # The cache holds what `_load_labels` returns; it gives it back untyped.
    return cast(dict[str, dict[int, str]], cache.get_or_set(CACHE_KEY, _load_labels, timeout=300))


def scale_label(scale: str, code: int | None) -> str:
    if code is None:
        return ""
    return all_labels()[scale].get(code, str(code))


def forget_labels(**_signal) -> None:
    cache.delete(CACHE_KEY)
