"""The editors' back office: every dossier record, with history on the ones that change."""

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from .admin_dossiers import DossierFileAdmin
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


class HistoryAdmin(SimpleHistoryAdmin):
    """History, with one revision per save that includes what the inlines changed."""

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


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


class OfficeInline(admin.TabularInline):
    model = Office
    extra = 0


@admin.register(Leader)
class LeaderAdmin(HistoryAdmin):
    list_display = ["name", "native_name", "country", "position_count"]
    list_filter = ["country"]
    search_fields = ["name", "native_name", "bio"]
    prepopulated_fields = {"slug": ["name"]}
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
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Source)
class SourceAdmin(HistoryAdmin):
    list_display = ["title", "publisher", "kind", "published_on", "licence"]
    list_filter = ["kind", "publisher"]
    search_fields = ["title", "publisher", "author", "url"]
    date_hierarchy = "published_on"


@admin.register(Summit)
class SummitAdmin(HistoryAdmin):
    list_display = ["name", "host_city", "host_country", "starts_on", "ends_on"]
    search_fields = ["name", "host_city"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["host_country"]


class AssessmentInline(admin.TabularInline):
    model = OutlookAssessment
    fields = ["issue", "effect", "salience", "deliverable", "rationale", "status"]
    autocomplete_fields = ["issue"]
    show_change_link = True
    extra = 0


class ScenarioInline(admin.TabularInline):
    model = Scenario
    fields = ["order", "title", "likelihood", "source", "locator"]
    autocomplete_fields = ["source"]
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(HistoryAdmin):
    list_display = ["title", "summit", "scheduled_on", "status"]
    list_filter = ["status", "summit"]
    search_fields = ["title", "headline", "outlook_summary"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["summit", "participants"]
    inlines = [AssessmentInline, ScenarioInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is OutlookAssessment:
            for assessment in formset.save(commit=False):
                assessment.author = request.user
                assessment.save()
            formset.save_m2m()
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


@admin.register(Issue)
class IssueAdmin(DossierFileAdmin, HistoryAdmin):
    list_display = ["title", "status", "order", "position_count", "updated_at"]
    list_editable = ["order"]
    list_filter = ["status", "topics", "meetings"]
    search_fields = ["title", "summary", "background"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["topics", "sides", "meetings"]
    inlines = [PositionInline, IssueEventInline]
    actions = ["publish", "unpublish", "download_dossier"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(position_total=Count("positions"))

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
        "issue",
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
    list_display = ["title", "occurred_on", "occurred_on_precision"]
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
