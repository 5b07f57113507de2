from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from awards import services
from awards.forms import USCCField
from awards.models import (
    Application,
    ApplicationEvent,
    Attachment,
    CalendarDay,
    ConflictOfInterest,
    Criterion,
    District,
    Enterprise,
    EnterpriseRequest,
    Industry,
    Program,
)
from awards.names import name_contains, name_search_key


def _with_name_matches(queryset: QuerySet, results: QuerySet, field: str, search_term: str) -> QuerySet:
    """The admin's own matches, and the rows whose name matches as the public honour roll folds it: （集团） = (集团)."""
    if not name_search_key(search_term):
        return results
    return results | queryset.filter(name_contains(field, search_term))


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ("position", "aspect", "title", "max_points", "is_veto", "guidance")


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "mode", "year", "opens_at", "closes_at", "issuing_body")
    list_filter = ("kind", "mode", "year")
    search_fields = ("title", "slug", "issuing_body")
    prepopulated_fields = {"slug": ("title",)}
    inlines = [CriterionInline]
    fieldsets = (
        (None, {"fields": ("title", "slug", "kind", "mode", "year", "issuing_body")}),
        (_("Dates"), {"fields": ("opens_at", "closes_at", "notice_working_days", "ceremony_date")}),
        (
            _("Review and title"),
            {
                "fields": (
                    "min_reviewers",
                    ("tier_a_min", "tier_b_min", "tier_c_min"),
                    "score_spread_limit",
                    "requires_inspection",
                    "validity_years",
                    "serial_prefix",
                )
            },
        ),
    )

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        program = form.instance
        if not program.criteria.exists():
            services.rubric_copy_default(program=program)
            self.message_user(request, _("The default rubric of this kind was copied in; edit it as needed."))
        total = program.rubric_total()
        if total != 100:
            self.message_user(
                request,
                _("The scored criteria add up to %(total)s points, not 100.") % {"total": total},
                level=messages.WARNING,
            )


class EnterpriseRequestInline(admin.TabularInline):
    """Verifications, counter-claims and changes of name are decided on the staff pages, where they are recorded."""

    model = EnterpriseRequest
    fk_name = "enterprise"
    extra = 0
    fields = ("kind", "requested_by", "requested_at", "name_on_licence", "status", "decided_by", "decision_reason")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ("name", "uscc", "district", "industry", "verified_at", "created_at")
    list_filter = ("district", "industry", ("verified_at", admin.EmptyFieldListFilter))
    search_fields = ("name", "uscc")
    list_select_related = ("district", "industry")
    # Who holds an enterprise and whether it is verified change only through recorded requests.
    readonly_fields = ("account", "verified_at", "verified_by")
    inlines = [EnterpriseRequestInline]

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return _with_name_matches(queryset, results, "name", search_term), may_have_duplicates

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "uscc":
            # The organizer corrects codes here: the same folding and one precise message as the applicant's form.
            return USCCField(label=db_field.verbose_name)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ("kind", "original_name", "size", "uploaded_at", "removed_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class EventInline(admin.TabularInline):
    model = ApplicationEvent
    extra = 0
    fields = ("at", "action", "actor", "note")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Read-only here: applications change only through the applicant's pages and the review workflow."""

    list_display = ("enterprise", "program", "status", "submitted_at", "updated_at")
    list_filter = ("program", "status")
    search_fields = ("enterprise__name", "enterprise__uscc")
    list_select_related = ("enterprise", "program")
    inlines = [AttachmentInline, EventInline]
    readonly_fields = [
        "program",
        "enterprise",
        "status",
        "summary",
        "commitment_accepted",
        "commitment_accepted_at",
        "created_by",
        "submitted_at",
    ]
    exclude = ()

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return _with_name_matches(queryset, results, "enterprise__name", search_term), may_have_duplicates

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "is_retired")
    search_fields = ("code", "name")


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "edition")
    search_fields = ("code", "name")


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """The holiday calendar on which notice periods are counted; complete each year from the State Council notice."""

    list_display = ("day", "is_working_day", "note")
    list_filter = ("is_working_day",)
    search_fields = ("note",)
    date_hierarchy = "day"


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(admin.ModelAdmin):
    list_display = ("reviewer", "enterprise", "reason", "declared_at")
    search_fields = ("enterprise__name", "reviewer__username", "reviewer__first_name")
    raw_id_fields = ("reviewer", "enterprise")
