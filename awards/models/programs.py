from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q, Sum
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awards.validators import validate_uscc_field


def _constraint_errors_next_to_fields(error: ValidationError, model) -> ValidationError:
    """Put each broken check constraint's message next to the field to correct, as a form shows it.

    Django reports a check constraint for the whole form; ours name the field in their `violation_error_code`.
    """
    fields = {field.name for field in model._meta.fields}
    by_field: dict[str, list[ValidationError]] = {}
    for field, errors in error.error_dict.items():
        for item in errors:
            target = item.code if field == NON_FIELD_ERRORS and item.code in fields else field
            by_field.setdefault(target, []).append(item)
    return ValidationError(by_field)


class ProgramKind(models.TextChoices):
    HONEST_BUSINESS = "honest_business", _("Honest business")
    EDUCATION_BASE = "education_base", _("Consumer-rights education base")


class ProgramMode(models.TextChoices):
    APPLICATION = "application", _("Application (enterprises apply)")
    EVALUATION = "evaluation", _("Evaluation (the organizer enrols a whole sector)")


# The longest enterprise name the register accepts: the name as granted is signed into the certificate's QR code,
# which stays at version 12 (error correction M, readable from a plaque) up to this length; see credentials.payload.
ENTERPRISE_NAME_MAX_LENGTH = 50

# The official names of the titles, printed on certificates whatever the interface language.
OFFICIAL_TITLE_NAMES = {ProgramKind.HONEST_BUSINESS: "诚信经营示范单位", ProgramKind.EDUCATION_BASE: "消费维权教育基地"}

DEFAULT_VALIDITY_YEARS = {ProgramKind.HONEST_BUSINESS: 3, ProgramKind.EDUCATION_BASE: 5}


class ProgramQuerySet(models.QuerySet):
    def open_for_applications(self, now: datetime.datetime | None = None) -> ProgramQuerySet:
        now = now or timezone.now()
        return self.filter(mode=ProgramMode.APPLICATION, opens_at__lte=now, closes_at__gt=now)


class Program(models.Model):
    """One award round of one kind in one year (评选活动)."""

    title = models.CharField(_("title"), max_length=200, help_text=_("For example: 2027年度消费维权教育基地评选"))
    slug = models.SlugField(_("short name"), max_length=60, unique=True, help_text=_("Used in addresses and commands."))
    kind = models.CharField(_("kind of title"), max_length=30, choices=ProgramKind.choices)
    mode = models.CharField(_("mode"), max_length=20, choices=ProgramMode.choices, default=ProgramMode.APPLICATION)
    year = models.PositiveSmallIntegerField(
        _("award year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    issuing_body = models.CharField(_("issuing body"), max_length=200)
    opens_at = models.DateTimeField(_("applications open"))
    closes_at = models.DateTimeField(_("application deadline"))
    notice_working_days = models.PositiveSmallIntegerField(
        _("public notice (working days)"), default=5, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    ceremony_date = models.DateField(
        _("ceremony date"), blank=True, help_text=_("15 March of the award year if left empty.")
    )
    validity_years = models.PositiveSmallIntegerField(
        _("title valid for (years)"),
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("3 years for honest business and 5 for education bases if left empty."),
    )
    serial_prefix = models.CharField(
        _("serial prefix"),
        max_length=12,
        validators=[
            RegexValidator(
                r"^[A-Z][A-Z0-9]{1,11}$", _("Use 2 to 12 capital letters or digits, starting with a letter.")
            )
        ],
        help_text=_("Certificate serials read PREFIX-YEAR-00001."),
    )
    min_reviewers = models.PositiveSmallIntegerField(
        _("minimum reviewers per application"), default=3, validators=[MinValueValidator(1), MaxValueValidator(15)]
    )
    tier_a_min = models.DecimalField(_("tier A from"), max_digits=5, decimal_places=1, default=Decimal("90"))
    tier_b_min = models.DecimalField(_("tier B from"), max_digits=5, decimal_places=1, default=Decimal("70"))
    tier_c_min = models.DecimalField(_("tier C from"), max_digits=5, decimal_places=1, default=Decimal("40"))
    score_spread_limit = models.DecimalField(
        _("flag a spread between reviewers above"), max_digits=5, decimal_places=1, default=Decimal("20")
    )
    requires_inspection = models.BooleanField(
        _("on-site inspection needed"),
        null=True,
        blank=True,
        help_text=_("Education bases need one; left unknown, it follows the kind of title."),
    )
    seal_image = models.FileField(
        _("seal image"),
        upload_to="seals/",
        blank=True,
        help_text=_("A PNG of the issuing body's seal with a transparent background, printed on every certificate."),
    )
    plaque_width_mm = models.PositiveSmallIntegerField(
        _("plaque width (mm)"), default=600, validators=[MinValueValidator(100), MaxValueValidator(2000)]
    )
    plaque_height_mm = models.PositiveSmallIntegerField(
        _("plaque height (mm)"), default=400, validators=[MinValueValidator(100), MaxValueValidator(2000)]
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-year", "title"]
        permissions = [
            ("organize_programs", _("Can organize award programmes")),
            ("review_applications", _("Can review applications")),
            ("inspect_sites", _("Can record on-site inspections")),
            ("decide_awards", _("Can decide as the award committee")),
        ]
        # The rules of a programme's set-up, checked by the database and, with the same message, by every form.
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="program_window_ordered",
                violation_error_code="closes_at",
                violation_error_message=_("The deadline must come after the opening."),
            ),
            models.CheckConstraint(
                condition=Q(tier_a_min__lte=100)
                & Q(tier_a_min__gt=models.F("tier_b_min"))
                & Q(tier_b_min__gt=models.F("tier_c_min"))
                & Q(tier_c_min__gt=0),
                name="program_tiers_descending",
                violation_error_code="tier_a_min",
                violation_error_message=_("Tier thresholds must fall: 100 ≥ A > B > C > 0."),
            ),
            models.CheckConstraint(
                condition=Q(min_reviewers__gte=1),
                name="program_min_reviewers_positive",
                violation_error_code="min_reviewers",
                violation_error_message=_("At least one reviewer per application is needed."),
            ),
            models.CheckConstraint(
                condition=Q(validity_years__gte=1),
                name="program_validity_positive",
                violation_error_code="validity_years",
                violation_error_message=_("A title is valid for at least one year."),
            ),
            models.CheckConstraint(
                condition=Q(notice_working_days__gte=1),
                name="program_notice_positive",
                violation_error_code="notice_working_days",
                violation_error_message=_("The public notice lasts at least one working day."),
            ),
            models.CheckConstraint(
                condition=Q(score_spread_limit__gte=0),
                name="program_spread_nonnegative",
                violation_error_code="score_spread_limit",
                violation_error_message=_("The spread limit cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(requires_inspection__isnull=False),
                name="program_inspection_decided",
                violation_error_code="requires_inspection",
                violation_error_message=_("Decide whether an on-site inspection is needed."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.apply_kind_defaults()
        super().save(*args, **kwargs)

    def apply_kind_defaults(self) -> None:
        """Fill what the kind of title decides when the organizer left it empty."""
        if self.ceremony_date is None and self.year:
            self.ceremony_date = datetime.date(self.year, 3, 15)
        if self.validity_years is None and self.kind:
            self.validity_years = DEFAULT_VALIDITY_YEARS[ProgramKind(self.kind)]
        if self.requires_inspection is None and self.kind:
            self.requires_inspection = self.kind == ProgramKind.EDUCATION_BASE

    def clean(self) -> None:
        # What the kind decides is filled in before the constraints are checked (program_inspection_decided).
        self.apply_kind_defaults()

    def validate_constraints(self, exclude=None) -> None:
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            raise _constraint_errors_next_to_fields(error, self) from None

    def is_open_for_applications(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.mode == ProgramMode.APPLICATION and self.opens_at <= now < self.closes_at

    def deadline_passed(self, now: datetime.datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.closes_at

    @property
    def official_title(self) -> str:
        """The title as printed, e.g. 2027年度消费维权教育基地."""
        return f"{self.year}年度{OFFICIAL_TITLE_NAMES[ProgramKind(self.kind)]}"

    def rubric_total(self) -> Decimal:
        return self.criteria.filter(is_veto=False).aggregate(total=Sum("max_points"))["total"] or Decimal("0")


class Criterion(models.Model):
    """One scored item of a programme's rubric (评分细则)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("programme"))
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    aspect = models.CharField(_("aspect"), max_length=100)
    title = models.CharField(_("criterion"), max_length=300)
    guidance = models.TextField(_("guidance for scoring"), blank=True)
    max_points = models.DecimalField(_("maximum points"), max_digits=5, decimal_places=1, default=Decimal("0"))
    is_veto = models.BooleanField(
        _("veto item"), default=False, help_text=_("A yes/no item: if it applies, the result is tier D (一票否决).")
    )

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["program", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_veto=False) | Q(max_points=0),
                name="criterion_veto_carries_no_points",
                violation_error_code="max_points",
                violation_error_message=_("A veto item is yes or no and carries no points; set 0."),
            ),
            models.CheckConstraint(
                condition=Q(is_veto=True) | (Q(max_points__gt=0) & Q(max_points__lte=100)),
                name="criterion_scored_item_carries_points",
                violation_error_code="max_points",
                violation_error_message=_("A scored item needs between 0.1 and 100 points."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.aspect}：{self.title}"

    def validate_constraints(self, exclude=None) -> None:
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            raise _constraint_errors_next_to_fields(error, self) from None


class District(models.Model):
    """An administrative division (GB/T 2260). Retired codes are kept, never deleted."""

    code = models.CharField(
        _("division code"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^\d{6}$", _("Six digits, GB/T 2260."))],
    )
    name = models.CharField(_("name"), max_length=50)
    is_retired = models.BooleanField(_("retired"), default=False)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Industry(models.Model):
    """An industry section or division of GB/T 4754, stored with its edition."""

    edition = models.CharField(_("edition"), max_length=20, default="GB/T 4754-2017")
    code = models.CharField(_("code"), max_length=5)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("industry")
        verbose_name_plural = _("industries")
        ordering = ["edition", "code"]
        constraints = [models.UniqueConstraint(fields=["edition", "code"], name="industry_code_unique_per_edition")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Enterprise(models.Model):
    """An enterprise or venue, identified by its unified social credit code."""

    name = models.CharField(_("enterprise name"), max_length=ENTERPRISE_NAME_MAX_LENGTH)
    uscc = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_uscc_field],
        error_messages={
            "unique": _("This unified social credit code is already registered. If it is yours, contact the organizer.")
        },
    )
    # Blank only for enterprises enrolled from a sector list (evaluation mode); the applicant's form requires them.
    legal_representative = models.CharField(_("legal representative"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    district = models.ForeignKey(District, on_delete=models.PROTECT, verbose_name=_("district"))
    industry = models.ForeignKey(Industry, on_delete=models.PROTECT, verbose_name=_("industry"))
    contact_name = models.CharField(_("contact person"), max_length=100)
    contact_phone = models.CharField(
        _("contact phone"),
        max_length=20,
        validators=[
            RegexValidator(
                r"^[0-9+\-() ]{7,20}$", _("Enter a phone number of digits, e.g. 13800138000 or 0571-87654321.")
            )
        ],
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enterprise",
        verbose_name=_("applicant account"),
    )
    # Who the account says it is counts only once an organizer has checked the business licence against the
    # code and the name: until then the enterprise may apply but cannot be granted a title.
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Exact(Length("uscc"), 18), name="enterprise_uscc_18_characters"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None
