"""Subscriptions in the back office: read only. Addresses are given by readers, so they are
shown to those granted `view_subscription` (superusers), and may be deleted on request."""

from django.contrib import admin

from .models import Digest, Subscription


class DigestInline(admin.TabularInline):
    model = Digest
    extra = 0
    fields = ["sent_at", "changes_after", "changes_until", "changes"]
    readonly_fields = ["sent_at", "changes_after", "changes_until", "changes"]
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["email", "issue", "meeting", "created_at", "confirmed_at", "digested_until"]
    list_filter = [("confirmed_at", admin.EmptyFieldListFilter)]
    list_select_related = ["issue", "meeting"]
    search_fields = ["email"]
    readonly_fields = [
        "email",
        "issue",
        "meeting",
        "created_at",
        "confirmation_sent_at",
        "confirmed_at",
        "digested_until",
    ]
    inlines = [DigestInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
