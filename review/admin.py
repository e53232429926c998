"""Admin for review configuration. Criteria sets are versioned: saving an edit publishes a new
version through review.services.criteria and retires the old one; old versions are read-only."""

from django import forms
from django.contrib import admin, messages
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.urls import reverse

from um_portal.audit.admin import CaseRecordAdmin, ConfigAuditMixin, ReadOnlyInline
from um_portal.lib.errors import ValidationFailed

from .models import (
    CriteriaSet,
    Criterion,
    CriterionAnswer,
    NurseReview,
    ReviewerProfile,
    SpecialtyGroup,
)
from .services.criteria import (
    VERSIONED_FIELDS,
    CriterionInput,
    criteria_set_create,
    criteria_set_revise,
)


class CriteriaSetForm(forms.ModelForm):
    class Meta:
        model = CriteriaSet
        fields = (
            "slug",
            "name",
            "name_es",
            "code_system",
            "codes",
            "summary",
            "summary_es",
            "effective_from",
        )

    def clean_codes(self):
        codes = self.cleaned_data.get("codes")
        if not isinstance(codes, list) or not [c for c in codes if str(c).strip()]:
            raise forms.ValidationError('List the service codes, e.g. ["72148", "72149"].')
        return codes


class CriterionFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [
            f
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("text")
        ]
        if not kept:
            raise forms.ValidationError("A criteria set needs at least one criterion.")


class CriterionInline(admin.TabularInline):
    model = Criterion
    formset = CriterionFormSet
    extra = 1
    fields = ("sequence", "text", "plain_language", "plain_language_es")


@admin.register(CriteriaSet)
class CriteriaSetAdmin(ConfigAuditMixin, admin.ModelAdmin):
    form = CriteriaSetForm
    list_display = ("name", "slug", "version", "is_current", "code_system", "codes")
    list_filter = ("is_current", "code_system")
    search_fields = ("name", "slug")
    inlines = [CriterionInline]
    readonly_fields = ("version", "is_current", "created_at")
    fields = (
        "slug",
        "name",
        "name_es",
        "code_system",
        "codes",
        "summary",
        "summary_es",
        "effective_from",
        *readonly_fields,
    )

    def get_readonly_fields(self, request, obj=None):
        # The slug ties the versions together; it is chosen once.
        return (*self.readonly_fields, "slug") if obj else self.readonly_fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.is_current:
            return False  # a retired version is the record of past decisions
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # reviews and determinations cite versions; retire by revising instead

    def save_model(self, request, obj, form, change):
        """Nothing is written here: the service writes the version in save_related, once the
        criteria from the inline are known (a version and its criteria are one unit)."""

    def save_related(self, request, form, formsets, change):
        criteria = []
        for formset in formsets:
            # The admin's change message reads these; the formsets themselves are not saved.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            if formset.model is not Criterion:
                continue
            rows = [
                f.cleaned_data
                for f in formset.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
            rows.sort(key=lambda d: d.get("sequence") or 0)
            criteria += [
                CriterionInput(
                    d.get("text", ""), d.get("plain_language", ""), d.get("plain_language_es", "")
                )
                for d in rows
            ]
        fields = {name: getattr(form.instance, name) for name in VERSIONED_FIELDS}
        if change:
            published = criteria_set_revise(
                actor=request.user,
                previous=CriteriaSet.objects.get(pk=form.instance.pk),
                fields=fields,
                criteria=criteria,
            )
        else:
            published = criteria_set_create(
                actor=request.user, slug=form.instance.slug, fields=fields, criteria=criteria
            )
        # The admin logs and redirects with this object: point it at the published version.
        form.instance.pk = published.pk
        form.instance.version = published.version

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationFailed as exc:  # a race the form could not see; nothing was written
            self.message_user(request, exc.message, level=messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def response_add(self, request, obj, post_url_continue=None):
        return self._to_version(request, obj, "published")

    def response_change(self, request, obj):
        return self._to_version(request, obj, "published as a new version")

    def _to_version(self, request, obj, verb: str):
        self.message_user(request, f"{obj.name} v{obj.version} {verb}.", level=messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:review_criteriaset_change", args=[obj.pk]))


class CriterionAnswerInline(ReadOnlyInline):
    model = CriterionAnswer


@admin.register(NurseReview)
class NurseReviewAdmin(CaseRecordAdmin):
    """Read-only: reviews are written by the nurse review services."""

    list_display = ("care_request", "nurse", "recommendation", "started_at", "completed_at")
    list_filter = ("recommendation",)
    inlines = [CriterionAnswerInline]


@admin.register(ReviewerProfile)
class ReviewerProfileAdmin(ConfigAuditMixin, admin.ModelAdmin):
    list_display = ("user", "specialty", "capacity", "is_active")
    filter_horizontal = ("skills", "queues")


@admin.register(SpecialtyGroup)
class SpecialtyGroupAdmin(ConfigAuditMixin, admin.ModelAdmin):
    """Similar specialties for appeal reviewer matching (appeals.permissions)."""

    list_display = ("name", "specialties")
