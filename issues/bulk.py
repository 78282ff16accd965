"""Several positions in one form: a row per position, one submission, one transaction.

Each row picks its source by typing: the picker narrows the choices as the editor types
(htmx), and without JavaScript a title or publisher typed in the row's search box is
resolved on the server when it names exactly one source. Every choice list is read once
for the whole form, so the page costs the same queries whatever the number of rows.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from . import selectors
from .forms import EditFormMixin, SourceField, strip_bidi_controls
from .models import Country, Issue, Leader, Position, Source
from .models.base import CHANGE_NOTE_MAX_LENGTH

#: The most rows one submission takes; the page starts with `DEFAULT_ROWS`.
MAX_ROWS = 20
DEFAULT_ROWS = 3
SOURCE_QUERY_MAX_LENGTH = 100


class PositionRowForm(forms.ModelForm):
    """One position of the batch."""

    source = SourceField(Source.objects.all(), required=False)
    source_query = forms.CharField(
        label="Find a source",
        required=False,
        max_length=SOURCE_QUERY_MAX_LENGTH,
        help_text="Type part of its title or publisher.",
    )

    class Meta:
        model = Position
        fields = [
            "country",
            "leader",
            "attribution",
            "kind",
            "posture",
            "summary",
            "stated_on",
            "stated_on_precision",
            "locator",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "stated_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, choices: dict[str, list] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # Lists read once for every row (validation still looks the chosen id up).
        for name, values in (choices or {}).items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = values
        self.source_matches: list[Source] = []

    def has_changed(self) -> bool:
        """A row counts once something is typed or chosen in it: the date's precision,
        "day" to begin with, is not content of its own."""
        return any(name not in self.NOT_CONTENT for name in self.changed_data)

    NOT_CONTENT = frozenset({"stated_on_precision"})

    def clean_source_query(self) -> str:
        return strip_bidi_controls(self.cleaned_data["source_query"]).strip()

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("source") is not None:
            return cleaned
        query = cleaned.get("source_query", "")
        if not query:
            self.add_error("source", "Choose the source of this position.")
            return cleaned
        matches = list(selectors.sources_matching(query, limit=selectors.SOURCE_CHOICES_LIMIT))
        if len(matches) == 1:
            cleaned["source"] = matches[0]
            return cleaned
        self.source_matches = matches
        if matches:
            self.add_error(
                "source",
                f"{len(matches)}{'+' if len(matches) == selectors.SOURCE_CHOICES_LIMIT else ''} "
                f"sources match “{query}”: choose one.",
            )
        else:
            self.add_error("source", f"No source matches “{query}”.")
        return cleaned


class PositionRows(forms.BaseModelFormSet):
    def clean(self) -> None:
        super().clean()
        if not any(form.has_changed() for form in self.forms):
            raise ValidationError("Fill in at least one position.")


PositionFormSet = forms.modelformset_factory(
    Position,
    form=PositionRowForm,
    formset=PositionRows,
    extra=0,
    max_num=MAX_ROWS,
    absolute_max=MAX_ROWS,
    validate_max=True,
)


class BatchForm(EditFormMixin):
    """What the batch shares: its note, and whether it is saved as drafts."""

    note = forms.CharField(
        label="Note on these additions",
        required=False,
        max_length=CHANGE_NOTE_MAX_LENGTH,
        help_text="Optional, kept with each position's revision.",
    )


def row_choices(issue: Issue) -> dict[str, list]:
    """The rows' choice lists, read once: the issue's sides (every country if it names
    none), their leaders, and the first sources of the picker."""
    sides = list(issue.sides.all()) or list(Country.objects.all())
    leaders = Leader.objects.filter(country__in=sides).only("pk", "name").order_by("name")
    sources = selectors.sources_matching("")
    return {
        "country": [("", "---------"), *((c.pk, str(c)) for c in sides)],
        "leader": [("", "---------"), *((leader.pk, leader.name) for leader in leaders)],
        "source": source_choices(sources),
    }


def source_choices(sources, empty: str = "---------") -> list[tuple[Any, str]]:
    return [("", empty), *((s.pk, selectors.source_label(s)) for s in sources)]
