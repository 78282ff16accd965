"""Several positions in one form: a row per position, one submission, one transaction.

Each row picks its source as the single position form does (`forms.SourcePickerMixin`):
typed and narrowed, or resolved on the server without JavaScript, or added as a new source
saved in the same transaction as the rows. Every choice list is read once for the whole
form, so the page costs the same queries whatever the number of rows.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from . import selectors
from .forms import EditFormMixin, SourcePickerMixin, source_choices
from .models import Country, Issue, Leader, Position
from .models.base import CHANGE_NOTE_MAX_LENGTH

#: The most rows one submission takes; the page starts with `DEFAULT_ROWS`.
MAX_ROWS = 20
DEFAULT_ROWS = 3


class PositionRowForm(SourcePickerMixin, forms.ModelForm):
    """One position of the batch."""

    NO_SOURCE = "Choose the source of this position."

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

    def has_changed(self) -> bool:
        """A row counts once something is typed or chosen in it: the date's precision,
        "day" to begin with, is not content of its own."""
        return any(name not in self.NOT_CONTENT for name in self.changed_data)

    NOT_CONTENT = frozenset({"stated_on_precision"})

    def clean(self) -> dict[str, Any]:
        super().clean()
        self.clean_picked_source()
        return self.cleaned_data


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
