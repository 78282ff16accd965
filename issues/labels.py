"""Labels of the closed scales, with editors' rewording (`ScaleLabel`) applied.

All labels are read in one query and cached; saving or deleting a `ScaleLabel` clears the
cache, so a reworded label shows on the next page.
"""

from django.core.cache import cache

from .models.scales import SCALE_CHOICES

CACHE_KEY = "scale-labels"


def _load_labels() -> dict[str, dict[int, str]]:
    from .models import ScaleLabel

    labels = {scale: dict(choices.choices) for scale, choices in SCALE_CHOICES.items()}
    for scale, code, label in ScaleLabel.objects.values_list("scale", "code", "label"):
        labels[scale][code] = label
    return labels


def all_labels() -> dict[str, dict[int, str]]:
    return cache.get_or_set(CACHE_KEY, _load_labels, timeout=300)


def scale_label(scale: str, code: int | None) -> str:
    if code is None:
        return ""
    return all_labels()[scale].get(code, str(code))


def forget_labels() -> None:
    cache.delete(CACHE_KEY)
