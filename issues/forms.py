"""Forms of the reader pages: the browse filters, validated like any other input."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.urls import reverse

from . import merging, revision_dates, selectors
from .models import (
    Country,
    Event,
    Leader,
    Meeting,
    OutlookAssessment,
    Position,
    Posture,
    PublicationStatus,
    Scenario,
    Source,
    Topic,
)
from .models.base import CHANGE_NOTE_MAX_LENGTH

MAX_QUERY_LENGTH = 200
MAX_ID = 2**63 - 1  # the largest id a database's integer column holds


def _too_large(value: Any) -> bool:
    """An id no table can hold: asked of the database, it is an error, not "no such row"."""
    text = str(value).strip()
    return text.lstrip("+-").isdigit() and abs(int(text)) > MAX_ID


class SourcesField(forms.ModelMultipleChoiceField):
    """Sources chosen by id; an id out of any table's range is an invalid choice."""

    def label_from_instance(self, obj: Any) -> str:
        return selectors.source_label(obj)

    def clean(self, value: Any) -> Any:
        values = value if isinstance(value, list | tuple) else [value] if value else []
        for pk in values:
            if _too_large(pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super().clean(value)


class SourceField(forms.ModelChoiceField):
    """A source chosen by id; an id out of any table's range is an invalid choice."""

    def label_from_instance(self, obj: Any) -> str:
        return selectors.source_label(obj)

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and _too_large(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class BoundedSelect(forms.Select):
    """A select of a model's records while there are at most `limit` of them; past that, a
    text box for the record's address name (its slug), so the page stays small however many
    records the archive holds. Reads at most `limit + 1` records, in one query, either way."""

    def __init__(self, limit: int, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.limit = limit

    def render(self, name, value, attrs=None, renderer=None):
        offered = self.choices
        if isinstance(offered, forms.models.ModelChoiceIterator):
            records = list(offered.queryset[: self.limit + 1])
            if len(records) > self.limit:
                example = offered.choice(records[0])[0]
                box = forms.TextInput({**self.attrs, "placeholder": f"e.g. {example}"})
                return box.render(name, value, attrs, renderer)
            empty = [("", offered.field.empty_label)] if offered.field.empty_label else []
            self.choices = [*empty, *(offered.choice(record) for record in records)]
        return super().render(name, value, attrs, renderer)


BROWSE_CHOICES = 200  # past this many leaders or meetings, browse asks for an address name


class BrowseFilterForm(forms.Form):
    """Filters that combine; every field is optional and lives in the query string."""

    q = forms.CharField(label="Text", required=False, max_length=MAX_QUERY_LENGTH, strip=True)
    topic = forms.ModelChoiceField(
        Topic.objects.all(), to_field_name="slug", required=False, empty_label="Any topic"
    )
    side = forms.ModelChoiceField(
        Country.objects.filter(positions__isnull=False).distinct(),
        to_field_name="code",
        required=False,
        empty_label="Any side",
    )
    leader = forms.ModelChoiceField(
        Leader.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="Any leader",
        widget=BoundedSelect(BROWSE_CHOICES),
    )
    posture = forms.TypedChoiceField(
        choices=[("", "Any posture"), *Posture.choices],
        coerce=int,
        required=False,
        empty_value=None,
    )
    meeting = forms.ModelChoiceField(
        Meeting.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="Any meeting",
        widget=BoundedSelect(BROWSE_CHOICES),
    )
    date_from = forms.DateField(
        label="Stated from", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="Stated to", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    POSITION_FILTERS = ("side", "leader", "posture", "date_from", "date_to")

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            raise ValidationError("“Stated to” must not be before “Stated from”.")
        return cleaned

    def has_position_filters(self) -> bool:
        return any(self.cleaned_data.get(name) not in (None, "") for name in self.POSITION_FILTERS)


# Editing on the public pages ----------------------------------------------------------

# Unicode's bidirectional embedding, override and isolate controls (U+202A-U+202E,
# U+2066-U+2069): invisible, they reorder the text after them, so a one-line value could
# display as something other than what it says ("Trojan Source"). A line has no use for them.
BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def strip_bidi_controls(text: str) -> str:
    return text.translate(BIDI_CONTROLS)


def is_one_line(field: forms.Field) -> bool:
    return isinstance(field, forms.CharField) and not isinstance(field.widget, forms.Textarea)


class EditFormMixin(forms.Form):
    """What every in-place edit carries: the version it was opened on, and a note.
    Its one-line text fields lose any bidirectional control characters."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    note = forms.CharField(
        label="Note on this change",
        required=False,
        max_length=CHANGE_NOTE_MAX_LENGTH,
        help_text="Optional, kept with the revision, e.g. “after the Kerch Strait incident”.",
    )
    effective_on = forms.DateField(
        label="In effect since",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Only to correct the record: the day this change took effect, if before "
        "today. Readers see that it was recorded later.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.data and hasattr(self.data, "getlist"):
            # A form that came back from a conflict: the fields both editors changed are
            # resolved one by one (see `issues.merging`).
            merging.resolution_fields(self, self.data.getlist(merging.COLLIDING))

    @property
    def merge_fields(self) -> list[str]:
        """The fields a conflicting edit is merged on: the record's own fields."""
        meta = getattr(self, "_meta", None)
        return list(getattr(meta, "fields", None) or [])

    @property
    def resolution_names(self) -> list[str]:
        return [name for name in self.fields if name.startswith(merging.KEEP_PREFIX)]

    def clean(self) -> dict[str, Any]:
        super().clean()
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk is not None:
            merging.resolve(self, instance)
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            if not isinstance(value, str) or not is_one_line(field):
                continue
            line = strip_bidi_controls(value)
            if line == value:
                continue
            line = line.strip() if getattr(field, "strip", False) else line
            if not line and field.required:
                self.add_error(name, ValidationError(field.error_messages["required"]))
            else:
                self.cleaned_data[name] = line
        return self.cleaned_data

    def clean_effective_on(self):
        return revision_dates.check_effective_day(
            self.cleaned_data.get("effective_on"), getattr(self, "instance", None)
        )

    def effective(self):
        """When the revision takes effect: the start of the day given, or now (None)."""
        return revision_dates.start_of(self.cleaned_data.get("effective_on"))


class AssessmentEditForm(EditFormMixin, forms.ModelForm):
    sources = SourcesField(Source.objects.all(), label="Cited sources", help_text="At least one.")
    locator = forms.CharField(
        label="Where in the sources", max_length=100, help_text="e.g. para. 3"
    )

    class Meta:
        model = OutlookAssessment
        fields = ["effect", "salience", "deliverable", "rationale"]
        widgets = {"rationale": forms.Textarea(attrs={"rows": 6})}

    @property
    def merge_fields(self) -> list[str]:
        return [*super().merge_fields, *merging.CITED]


SOURCE_QUERY_MAX_LENGTH = 100


def source_choices(sources: Iterable[Source], empty: str = "---------") -> list[tuple[Any, str]]:
    """A picker's choices, labelled title · publisher · date; sources that read the same
    (a wire story, published twice on one day) are told apart by their address."""
    sources = list(sources)
    labels = [selectors.source_label(source) for source in sources]
    repeated = {label for label in labels if labels.count(label) > 1}
    return [
        ("", empty),
        *(
            (source.pk, f"{label} · {_address(source)}" if label in repeated else label)
            for source, label in zip(sources, labels, strict=True)
        ),
    ]


def _address(source: Source) -> str:
    return source.url.split("://", 1)[-1] if source.url else f"no. {source.pk}"


class SourcePickerMixin(forms.Form):
    """A position's source: picked from a short list narrowed by typing (htmx), or typed
    and resolved on the server when it names exactly one source (without JavaScript), or
    added as a new source with the position. The list offers the first sources and the
    one chosen, never every source: the form costs the same whatever the archive holds."""

    source = SourceField(Source.objects.all(), required=False)
    source_query = forms.CharField(
        label="Search existing sources",
        required=False,
        max_length=SOURCE_QUERY_MAX_LENGTH,
        help_text="Type part of its title, publisher or address.",
    )
    new_source_title = forms.CharField(label="New source: title", required=False, max_length=300)
    new_source_publisher = forms.CharField(
        label="New source: publisher", required=False, max_length=200
    )
    new_source_url = forms.URLField(label="New source: URL", required=False, max_length=500)

    #: What a form with no source, typed or chosen, says.
    NO_SOURCE = "Choose the source of this position, or add a new one."
    NEW_SOURCE_FIELDS = {"title": "new_source_title", "publisher": "new_source_publisher"}
    NEW_SOURCE_FIELDS |= {"url": "new_source_url"}

    def offer_sources(self, choices: list[tuple[Any, str]] | None = None) -> None:
        """The sources the list offers: `choices` (read once for many forms), or the
        first sources and the one this form has chosen."""
        field = self.fields["source"]
        assert isinstance(field, forms.ChoiceField)
        if choices is None:
            choices = source_choices(selectors.sources_matching(""))
            chosen = self.chosen_source_id()
            if chosen is not None:  # read even when among the first: the same cost always
                offered = {value for value, _ in choices}
                found = source_choices(Source.objects.filter(pk=chosen))[1:]
                choices += [choice for choice in found if choice[0] not in offered]
        field.choices = choices

    def source_lookup_url(self) -> str:
        """Where the picker asks for the choices narrowed to what is typed."""
        if not self.prefix:
            return reverse("issues:source_lookup")
        return f"{reverse('issues:bulk_source_options')}?row={self.prefix.rsplit('-', 1)[-1]}"

    def chosen_source_id(self) -> int | None:
        if self.is_bound:
            value = str(self.data.get(self.add_prefix("source"), ""))
        else:
            value = str(self.initial.get("source") or "")
        return int(value) if value.isdigit() and len(value) < 19 else None

    def clean_source_query(self) -> str:
        return strip_bidi_controls(self.cleaned_data["source_query"]).strip()

    def clean_source(self) -> Source | None:
        """The source chosen, else the one source the typed words name (no JavaScript)."""
        chosen = self.cleaned_data.get("source")
        query = self.data.get(self.add_prefix("source_query"), "")
        query = strip_bidi_controls(str(query)).strip()[:SOURCE_QUERY_MAX_LENGTH]
        if chosen is not None or not query:
            return chosen
        matches = list(selectors.sources_matching(query))
        if len(matches) == 1:
            return matches[0]
        if matches:  # the list offers just those
            field = self.fields["source"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = source_choices(matches, empty="Choose one of the matches")
            more = "+" if len(matches) == selectors.SOURCE_CHOICES_LIMIT else ""
            raise ValidationError(f"{len(matches)}{more} sources match “{query}”: choose one.")
        raise ValidationError(f"No source matches “{query}”.")

    def clean_picked_source(self) -> None:
        """In `clean()`: one source, chosen or new; a new one valid as a record."""
        cleaned = self.cleaned_data
        chosen, new_title = cleaned.get("source"), cleaned.get("new_source_title")
        if chosen and new_title:
            raise ValidationError("Choose an existing source or add a new one, not both.")
        if "source" in self.errors:
            return
        if not chosen and not new_title:
            self.add_error("source", self.NO_SOURCE)
        new_source = self.new_source()
        if new_source is None:
            return
        taken = new_source.url and Source.objects.filter(url=new_source.url).first()
        if taken:  # said beside the address, naming the source to pick instead
            self.add_error(
                "new_source_url",
                f"“{selectors.source_label(taken)}” already has this URL: search for it above.",
            )
            return
        try:
            new_source.full_clean()
        except ValidationError as error:
            self.add_error(None, self.new_source_errors(error))

    def new_source(self) -> Source | None:
        if not self.cleaned_data.get("new_source_title"):
            return None
        return Source(
            title=self.cleaned_data["new_source_title"],
            publisher=self.cleaned_data.get("new_source_publisher", ""),
            url=self.cleaned_data.get("new_source_url", ""),
        )

    def picked_source(self, *, as_draft: bool) -> Source:
        """The source chosen, or the new one saved now: call it inside the transaction
        that saves the position, so that the two are saved together or not at all. A new
        source of a draft stays private until the draft is published."""
        new_source = self.new_source()
        if new_source is None:
            return self.cleaned_data["source"]
        if as_draft:
            new_source.status = PublicationStatus.DRAFT
        try:  # again: another editor may have added a source at this address since
            new_source.full_clean()
        except ValidationError as error:
            raise self.new_source_errors(error) from error
        new_source.save()
        return new_source

    def new_source_errors(self, error: ValidationError) -> ValidationError:
        """A new source's validation errors, beside the form fields that gave its values."""
        return ValidationError(
            {
                self.NEW_SOURCE_FIELDS.get(name, NON_FIELD_ERRORS): messages
                for name, messages in error.message_dict.items()
            }
        )


class PositionEditForm(SourcePickerMixin, EditFormMixin, forms.ModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offer_sources()

    class Meta:
        model = Position
        fields = [
            "country",
            "leader",
            "attribution",
            "kind",
            "posture",
            "summary",
            "quote",
            "stated_on",
            "stated_on_precision",
            "stated_until",
            "stated_as",
            "locator",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "quote": forms.Textarea(attrs={"rows": 2}),
            "stated_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "stated_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean(self) -> dict[str, Any]:
        super().clean()
        self.clean_picked_source()
        return self.cleaned_data

    @property
    def merge_fields(self) -> list[str]:
        return [*super().merge_fields, "source"]


class EventEditForm(EditFormMixin, forms.ModelForm):
    sources = SourcesField(Source.objects.all(), label="Cited sources")
    locator = forms.CharField(label="Where in the sources", max_length=100)
    meetings = forms.ModelMultipleChoiceField(
        Meeting.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Meetings it bears on",
        help_text="The issue's meetings: their timelines show the event.",
    )

    def __init__(self, *args: Any, issue: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Offered: the meetings of the event's issue (of its issues, for one on several).
        event = self.instance
        if issue is not None:
            offered = issue.meetings.all()
        elif event.pk is not None:
            offered = Meeting.objects.filter(issues__in=event.issues.all()).distinct()
        else:
            offered = Meeting.objects.none()
        meetings = self.fields["meetings"]
        assert isinstance(meetings, forms.ModelMultipleChoiceField)
        meetings.queryset = offered
        if not self.is_bound:
            # A new event bears on every meeting of its issue unless the editor says not.
            chosen = event.meetings.all() if event.pk is not None else offered
            self.initial["meetings"] = [meeting.pk for meeting in chosen]

    def meetings_to_link(self) -> list[Meeting]:
        """The meetings chosen, and any the event bears on outside this issue's (kept)."""
        chosen = list(self.cleaned_data.get("meetings") or [])
        if self.instance.pk is None:
            return chosen
        field = self.fields["meetings"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        return chosen + list(self.instance.meetings.exclude(pk__in=field.queryset))

    class Meta:
        model = Event
        fields = [
            "title",
            "occurred_on",
            "occurred_on_precision",
            "occurred_until",
            "occurred_as",
            "description",
        ]
        widgets = {
            "occurred_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "occurred_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    @property
    def merge_fields(self) -> list[str]:
        return [*super().merge_fields, *merging.CITED]


class ScenarioEditForm(EditFormMixin, forms.ModelForm):
    class Meta:
        model = Scenario
        fields = ["likelihood", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class WithdrawForm(EditFormMixin):
    pass
