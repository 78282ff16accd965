"""Dossier files in the back office: upload one (validated, previewed, then applied) and
download the selected issues as one."""

import hashlib
from base64 import b64decode, b64encode

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from .dossier.export import dossier_export
from .dossier.files import to_yaml
from .dossier.read import DossierError, check_size
from .dossier.write import dossier_import, dossier_preview
from .models import can_publish

SESSION_KEY = "dossier_upload"


class DossierUploadForm(forms.Form):
    file = forms.FileField(
        label="Dossier file", help_text="YAML or JSON, as described in docs/dossier-format.md."
    )


class DossierFileAdmin(admin.ModelAdmin):
    """Adds "Import a dossier file" to a model's list page, and `download_dossier`, an
    action to name in the admin's `actions`."""

    change_list_template = "admin/issues/dossier_change_list.html"

    def get_urls(self):
        return [
            path(
                "import-dossier/",
                self.admin_site.admin_view(self.import_dossier_view),
                name="issues_dossier_import",
            ),
            *super().get_urls(),
        ]

    @admin.action(description="Download the selected issues as a dossier file")
    def download_dossier(self, request, queryset):
        slugs = list(queryset.values_list("slug", flat=True))
        response = HttpResponse(
            to_yaml(dossier_export(issues=slugs, include_drafts=True)),
            content_type="application/yaml",
        )
        response["Content-Disposition"] = 'attachment; filename="dossier.yaml"'
        return response

    def import_dossier_view(self, request):
        # An import publishes what the file says is published: the right to publish.
        if not can_publish(request.user):
            raise PermissionDenied
        context = {**self.admin_site.each_context(request), "opts": self.model._meta}
        context["title"] = "Import a dossier file"
        if request.method == "POST" and "apply" in request.POST:
            return self._apply(request)
        form = DossierUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                check_size(upload.size)
                data = upload.read()
                report = dossier_preview(data, editor=request.user)
            except DossierError as error:
                context.update(form=form, problems=error.problems)
                return TemplateResponse(request, "admin/issues/dossier_import.html", context)
            digest = hashlib.sha256(data).hexdigest()
            request.session[SESSION_KEY] = {"digest": digest, "data": b64encode(data).decode()}
            context.update(
                form=None,
                report=report,
                preview_rows=report.rows(),
                digest=digest,
                name=upload.name,
            )
            return TemplateResponse(request, "admin/issues/dossier_import.html", context)
        context["form"] = form
        return TemplateResponse(request, "admin/issues/dossier_import.html", context)

    def _apply(self, request):
        stored = request.session.get(SESSION_KEY)
        here = reverse("admin:issues_dossier_import")
        if not stored or stored["digest"] != request.POST.get("digest"):
            messages.error(request, "That preview has expired: upload the file again.")
            return HttpResponseRedirect(here)
        try:
            report = dossier_import(b64decode(stored["data"]), editor=request.user)
        except DossierError as error:
            messages.error(request, "Nothing imported: " + "; ".join(error.problems))
            return HttpResponseRedirect(here)
        del request.session[SESSION_KEY]
        created = sum(report.created.values())
        changed = sum(report.changed.values())
        messages.success(request, f"Dossier imported: {created} created, {changed} changed.")
        return HttpResponseRedirect(reverse("admin:issues_issue_changelist"))
