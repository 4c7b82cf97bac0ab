from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.admin import AdministratorOnly
from notifications.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(AdministratorOnly, admin.ModelAdmin):
    """The beheerder sees every outgoing e-mail, and why one failed; nobody edits them."""

    list_display = ("created_at", "kind", "to", "subject", "state", "attempts", "finished_at")
    list_filter = ("state", "kind")
    actions = None
    search_fields = ("to", "subject", "key")
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
    fieldsets = (
        (None, {"fields": ("kind", "to", "recipient", "subject", "created_at")}),
        (_("Delivery"), {"fields": ("state", "attempts", "error", "queued_at", "finished_at")}),
        (_("Content"), {"fields": ("text", "html", "key")}),
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
