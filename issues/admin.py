"""The editors' back office: every dossier record, with history on the ones that change."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from .admin_dossiers import DossierFileAdmin
from .admin_outcomes import IssueOutcomeInline, MeetingOutcomeInline, RescoresMeeting
from .history import defer_revision, write_revision
from .models import (
    AssessmentCitation,
    Country,
    Event,
    EventCitation,
    Issue,
    Leader,
    Meeting,
    Office,
    OutlookAssessment,
    Position,
    PublicationStatus,
    ScaleLabel,
    Scenario,
    Source,
    Summit,
    Topic,
)
from .models.base import Versioned
from .slugs import slug_form


class VersionedAdminForm(forms.ModelForm):
    """A change form that knows which version of the record it was opened on.

    Saving over a record that another editor (in place or here) changed since is refused
    with a message naming what they changed, instead of silently overwriting their edit.
    """

    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            # The version stored now, also when the form shows an older revision to revert to.
            stored = type(self.instance).objects.filter(pk=self.instance.pk)
            self.fields["opened_version"].initial = stored.values_list("version", flat=True).first()

    def clean(self):
        cleaned = super().clean()
        opened = cleaned.get("opened_version")
        if self.instance.pk is None or opened is None:
            return cleaned
        model = type(self.instance)
        current = model.objects.select_for_update().filter(pk=self.instance.pk).first()
        if current is not None and current.version != opened:
            changed = changed_since(model, self.instance.pk, opened)
            raise ValidationError(
                "Someone else changed this record after you opened it%(what)s. Your changes "
                "were not saved: reload the page to see theirs, then make yours again.",
                code="stale",
                params={"what": f" ({', '.join(changed)})" if changed else ""},
            )
        return cleaned


def changed_since(model, pk: int, version: int) -> list[str]:
    """The fields changed between revision `version` of a record and its latest revision."""
    revisions = model.history.filter(id=pk)
    opened = revisions.filter(version=version).order_by("-history_date").first()
    latest = revisions.order_by("-history_date", "-history_id").first()
    if opened is None or latest is None or opened.history_id == latest.history_id:
        return []
    hidden = {"version", "updated_at", "created_at", "search_vector"}
    delta = latest.diff_against(opened, excluded_fields=hidden)
    return [str(model._meta.get_field(name).verbose_name) for name in delta.changed_fields]


# The calendar the date drill-down accepts; anything else in its parameters is a bad request
# (the database would overflow on a year of eleven digits).
DATE_HIERARCHY_BOUNDS = {"year": (1, 9999), "month": (1, 12), "day": (1, 31)}


def check_date_hierarchy(request, field: str | None) -> None:
    if not field:
        return
    for part, (lowest, highest) in DATE_HIERARCHY_BOUNDS.items():
        value = request.GET.get(f"{field}__{part}")
        if value is None:
            continue
        if not (value.isascii() and value.isdigit() and len(value) <= 4):
            raise BadRequest(f"Not a {part}: {value[:20]!r}")
        if not lowest <= int(value) <= highest:
            raise BadRequest(f"Not a {part}: {value[:20]!r}")


class ConflictAnswers(admin.ModelAdmin):
    """Two editors creating the same record at once (the same slug, the same issue and
    meeting): the second save breaks a unique constraint after its form was checked. It is
    answered 409 with what happened, not a server error; the transaction rolled back."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError:
            message = (
                f"Another {self.model._meta.verbose_name} with the same address or key was "
                "saved while you were filling in this form."
            )
            return TemplateResponse(request, "409.html", {"message": message}, status=409)


class SlugFromName(admin.ModelAdmin):
    """The slug may be left empty: it is made from `slug_source`, transliterated."""

    slug_source = "name"

    def get_form(self, request, obj=None, change=False, **kwargs):
        return slug_form(super().get_form(request, obj, change, **kwargs), self.slug_source)


class HistoryAdmin(ConflictAnswers, SimpleHistoryAdmin):
    """History, with one revision per save that includes what the inlines changed; a
    version check on every change form of a versioned record; and the history page's
    revert form closed to anyone who may not change the record."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        if issubclass(self.model, Versioned):
            kwargs.setdefault("form", VersionedAdminForm)
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if issubclass(self.model, Versioned) and "opened_version" not in fields:
            fields.append("opened_version")
        return fields

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # The library only checks that the user may view history before saving a revert.
        if request.method == "POST":
            record = self.get_object(request, object_id)
            if record is None or not self.has_change_permission(request, record):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def changelist_view(self, request, extra_context=None):
        check_date_hierarchy(request, self.date_hierarchy)
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        defer_revision(obj)  # written in save_related, once the inlines are saved too
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        write_revision(form.instance, created=not change)

    def log_change(self, request, obj, message):
        # Reverting from the history page saves the record and its form's links without
        # save_related: the deferred revision is written here, once the links are saved.
        if "skip_history_when_saving" in obj.__dict__:
            write_revision(obj, created=False)
        return super().log_change(request, obj, message)


class LabelledAutocomplete(AutocompleteJsonView):
    """The back office's autocomplete, where a model's admin may label its records itself
    (`autocomplete_label`, with `autocomplete_prefetch` read once for the whole page)."""

    def get_queryset(self):
        queryset = super().get_queryset()
        if not queryset.ordered:  # an annotated count drops the model's own ordering
            queryset = queryset.order_by(*queryset.model._meta.ordering, "pk")
        return queryset.prefetch_related(*getattr(self.model_admin, "autocomplete_prefetch", []))

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        label = getattr(self.model_admin, "autocomplete_label", None)
        if label is not None:
            result["text"] = label(obj)
        return result


def _autocomplete_view(request):
    return LabelledAutocomplete.as_view(admin_site=admin.site)(request)


admin.site.autocomplete_view = _autocomplete_view  # type: ignore[method-assign]


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


class OfficeInline(admin.TabularInline):
    model = Office
    extra = 0


@admin.register(Leader)
class LeaderAdmin(SlugFromName, HistoryAdmin):
    list_display = ["name", "native_name", "country", "position_count"]
    list_filter = ["country"]
    search_fields = ["name", "native_name", "bio"]
    autocomplete_fields = ["country"]
    inlines = [OfficeInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("country")
            .annotate(position_total=Count("positions"))
        )

    @admin.display(description="positions", ordering="position_total")
    def position_count(self, leader: Leader) -> int:
        return leader.position_total


@admin.register(Topic)
class TopicAdmin(SlugFromName, ConflictAnswers):
    list_display = ["name", "slug"]
    search_fields = ["name"]


@admin.register(Source)
class SourceAdmin(HistoryAdmin):
    list_display = ["title", "publisher", "kind", "published_on", "licence"]
    list_filter = ["kind", "publisher"]
    search_fields = ["title", "publisher", "author", "url"]
    date_hierarchy = "published_on"


@admin.register(Summit)
class SummitAdmin(SlugFromName, HistoryAdmin):
    list_display = ["name", "host_city", "host_country", "starts_on", "ends_on"]
    search_fields = ["name", "host_city"]
    autocomplete_fields = ["host_country"]


class AssessmentInlineForm(forms.ModelForm):
    """An assessment added on the meeting's page cites its source there too, as one added
    in place or on its own page does (an existing one's citations are on its own page)."""

    citation_source = forms.ModelChoiceField(
        Source.objects.all(),
        required=False,
        label="cited source",
        widget=AutocompleteSelect(Position._meta.get_field("source"), admin.site),
    )
    citation_locator = forms.CharField(
        label="where in the source", required=False, max_length=100, help_text="e.g. para. 3"
    )

    class Meta:
        model = OutlookAssessment
        fields = ["issue", "effect", "salience", "deliverable", "rationale", "status"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None and not self.cleaned_data.get("DELETE"):
            if not cleaned.get("citation_source"):
                self.add_error("citation_source", "Cite the source of this assessment.")
            if not cleaned.get("citation_locator"):
                self.add_error("citation_locator", "Say where in the source, e.g. para. 3.")
        return cleaned

    def save_citation(self, assessment: OutlookAssessment) -> None:
        source = self.cleaned_data.get("citation_source")
        if source is not None:
            AssessmentCitation.objects.update_or_create(
                assessment=assessment,
                source=source,
                defaults={"locator": self.cleaned_data.get("citation_locator", "")},
            )


class AssessmentInline(admin.TabularInline):
    model = OutlookAssessment
    form = AssessmentInlineForm
    fields = [
        "issue",
        "effect",
        "salience",
        "deliverable",
        "rationale",
        "citation_source",
        "citation_locator",
        "status",
    ]
    autocomplete_fields = ["issue"]
    show_change_link = True
    extra = 0


class ScenarioInline(admin.TabularInline):
    model = Scenario
    fields = ["order", "title", "description", "likelihood", "source", "locator"]
    autocomplete_fields = ["source"]
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(SlugFromName, RescoresMeeting, HistoryAdmin):
    slug_source = "title"
    list_display = ["title", "summit", "scheduled_on", "status"]
    list_filter = ["status", "summit"]
    search_fields = ["title", "headline", "outlook_summary"]
    autocomplete_fields = ["summit", "participants"]
    inlines = [AssessmentInline, ScenarioInline, MeetingOutcomeInline, IssueOutcomeInline]

    def scored_meeting(self, meeting):
        return meeting

    def save_formset(self, request, form, formset, change):
        if formset.model is OutlookAssessment:
            for assessment in formset.save(commit=False):
                assessment.author = request.user
                assessment.save()
            formset.save_m2m()
            for inline_form in formset.forms:
                if inline_form.instance.pk is not None and inline_form not in formset.deleted_forms:
                    inline_form.save_citation(inline_form.instance)
            for removed in formset.deleted_objects:
                removed.delete()
        else:
            super().save_formset(request, form, formset, change)


class PositionInline(admin.StackedInline):
    model = Position
    fields = [
        ("country", "leader", "attribution"),
        ("kind", "posture"),
        "summary",
        "quote",
        ("stated_on", "stated_on_precision"),
        ("stated_until", "stated_as"),
        ("source", "locator"),
        "withdrawn_at",
    ]
    autocomplete_fields = ["country", "leader", "source"]
    extra = 0
    show_change_link = True
    classes = ["collapse"]


class IssueEventInline(admin.TabularInline):
    model = Event.issues.through
    autocomplete_fields = ["event"]
    extra = 0
    verbose_name = "event"
    verbose_name_plural = "events"


#: Above this many positions an issue's change page links to its positions instead of
#: editing them inline: thousands of inline forms would make the page unusable.
POSITION_INLINE_LIMIT = 50


class IssueFilter(admin.SimpleListFilter):
    """Filter positions by issue without listing every issue (there may be thousands): the
    issue's change page links here; the sidebar shows only the issue chosen."""

    title = "issue"
    parameter_name = "issue"

    def lookups(self, request, model_admin):
        chosen = request.GET.get(self.parameter_name)
        if chosen is None:
            return []
        issue = Issue.objects.filter(pk=chosen).first() if chosen.isdigit() else None
        # Listed even when unknown, so that the filter applies (and lists nothing).
        return [(chosen, str(issue) if issue else "no such issue")]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(issue_id=value)


@admin.register(Issue)
class IssueAdmin(SlugFromName, DossierFileAdmin, HistoryAdmin):
    slug_source = "title"
    list_display = ["title", "status", "order", "position_count", "updated_at"]
    list_editable = ["order"]
    list_filter = ["status", "topics", "meetings"]
    search_fields = ["title", "summary", "background"]
    autocomplete_fields = ["topics", "sides", "meetings"]
    inlines = [PositionInline, IssueEventInline]
    actions = ["publish", "unpublish", "download_dossier"]
    readonly_fields = ["positions_link"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(position_total=Count("positions"))

    def get_inlines(self, request, obj):
        if obj is not None and obj.position_total > POSITION_INLINE_LIMIT:
            return [inline for inline in self.inlines if inline is not PositionInline]
        return self.inlines

    autocomplete_prefetch = ["meetings"]

    def autocomplete_label(self, issue: Issue) -> str:
        """An issue as offered in a picker: which meeting it belongs to tells apart issues
        of the same name (“Ukraine” at two summits)."""
        meetings = ", ".join(meeting.title for meeting in issue.meetings.all())
        return f"{issue.title} · {meetings or 'no meeting yet'}"

    @admin.display(description="all positions")
    def positions_link(self, issue: Issue) -> str:
        if issue.pk is None:
            return "—"
        listed = reverse("admin:issues_position_changelist") + f"?issue={issue.pk}"
        added = reverse("admin:issues_position_add") + f"?issue={issue.pk}"
        return format_html(
            '<a href="{}">{} positions</a> (filter, search and edit them there) · '
            '<a href="{}">add a position</a>',
            listed,
            issue.position_total,
            added,
        )

    @admin.display(description="positions", ordering="position_total")
    def position_count(self, issue: Issue) -> int:
        return issue.position_total

    @admin.action(description="Publish the selected issues", permissions=["change"])
    def publish(self, request, queryset):
        self._set_status(request, queryset, PublicationStatus.PUBLISHED)

    @admin.action(description="Return the selected issues to draft", permissions=["change"])
    def unpublish(self, request, queryset):
        self._set_status(request, queryset, PublicationStatus.DRAFT)

    @transaction.atomic
    def _set_status(self, request, queryset, status: PublicationStatus) -> None:
        # Saved one by one, not with update(), so that each change gets a revision.
        for issue in queryset.exclude(status=status):
            issue.status = status
            issue.save()
        self.message_user(request, f"Status set to {status.label}.", messages.SUCCESS)


@admin.register(Position)
class PositionAdmin(HistoryAdmin):
    list_display = [
        "summary_short",
        "issue",
        "country",
        "speaker",
        "kind",
        "posture",
        "stated_on",
        "is_withdrawn",
    ]
    list_filter = [
        IssueFilter,
        "country",
        "kind",
        "posture",
        ("withdrawn_at", admin.EmptyFieldListFilter),
    ]
    list_select_related = ["issue", "country", "leader"]
    search_fields = ["summary", "quote", "attribution", "leader__name"]
    autocomplete_fields = ["issue", "country", "leader", "source"]
    date_hierarchy = "stated_on"
    actions = ["withdraw"]
    # One count of a filtered list, not a second one of the whole table (a million rows).
    show_full_result_count = False

    @admin.display(description="summary")
    def summary_short(self, position: Position) -> str:
        return position.summary if len(position.summary) <= 80 else position.summary[:79] + "…"

    @admin.display(description="withdrawn", boolean=True)
    def is_withdrawn(self, position: Position) -> bool:
        return position.is_withdrawn

    @admin.action(description="Withdraw the selected positions", permissions=["change"])
    @transaction.atomic
    def withdraw(self, request, queryset):
        now = timezone.now()
        for position in queryset.filter(withdrawn_at__isnull=True):
            position.withdrawn_at = now
            position.save()
        self.message_user(request, "Positions withdrawn.", messages.SUCCESS)


class EventCitationInline(admin.TabularInline):
    model = EventCitation
    autocomplete_fields = ["source"]
    extra = 0
    min_num = 1
    verbose_name = "citation"


@admin.register(Event)
class EventAdmin(HistoryAdmin):
    list_display = ["title", "occurred", "occurred_on_precision"]
    search_fields = ["title", "description"]
    list_filter = ["issues"]
    date_hierarchy = "occurred_on"
    autocomplete_fields = ["issues"]
    inlines = [EventCitationInline]


class AssessmentCitationInline(admin.TabularInline):
    model = AssessmentCitation
    autocomplete_fields = ["source"]
    extra = 0
    min_num = 1
    verbose_name = "citation"


@admin.register(OutlookAssessment)
class OutlookAssessmentAdmin(HistoryAdmin):
    list_display = ["issue", "meeting", "effect", "salience", "status", "author", "updated_at"]
    list_filter = ["status", "meeting", "effect", "salience"]
    list_select_related = ["issue", "meeting", "author"]
    search_fields = ["issue__title", "deliverable", "rationale"]
    autocomplete_fields = ["issue", "meeting"]
    readonly_fields = ["author"]
    inlines = [AssessmentCitationInline]

    def save_model(self, request, obj, form, change):
        obj.author = request.user
        super().save_model(request, obj, form, change)


@admin.register(Scenario)
class ScenarioAdmin(HistoryAdmin):
    list_display = ["title", "meeting", "likelihood", "order"]
    list_filter = ["meeting", "likelihood"]
    search_fields = ["title", "description"]
    autocomplete_fields = ["meeting", "source"]


@admin.register(ScaleLabel)
class ScaleLabelAdmin(admin.ModelAdmin):
    list_display = ["scale", "code", "label"]
    list_filter = ["scale"]
