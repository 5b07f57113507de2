from __future__ import annotations

import datetime
import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from awards import services
from awards.models import Application, District, Enterprise, Industry, Program, ProgramKind
from awards.uscc import ALPHABET, check_character

PASSWORD = "Correct-horse-315"


def valid_uscc(n: int, region: str = "330106") -> str:
    digits = ""
    for _ in range(9):
        n, r = divmod(n, len(ALPHABET))
        digits = ALPHABET[r] + digits
    first17 = f"91{region}{digits}"
    return first17 + check_character(first17)


def pdf_bytes(pages: int = 1) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def png_bytes(size: tuple[int, int] = (40, 30)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (200, 16, 46)).save(out, format="PNG")
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}@example.com")
    email = factory.LazyAttribute(lambda u: u.username if "@" in u.username else "")
    first_name = factory.Faker("name", locale="zh_CN")
    password = factory.django.Password(PASSWORD)


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("code",)

    code = "330106"
    name = "西湖区"


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"杭州示范商贸{n}号有限公司")
    uscc = factory.Sequence(lambda n: valid_uscc(n + 1000))
    legal_representative = "张三"
    address = "杭州市西湖区文三路1号"
    district = factory.SubFactory(DistrictFactory)
    industry = factory.LazyFunction(lambda: Industry.objects.get(edition="GB/T 4754-2017", code="F"))
    contact_name = "李四"
    contact_phone = "13800138000"
    contact_email = "contact@example.com"
    account = factory.SubFactory(UserFactory)
    # Most tests are about what happens after an organizer has checked the licence; unverified ones say so.
    verified_at = factory.LazyFunction(timezone.now)


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"2027年度诚信经营示范单位评选（第{n}批）")
    slug = factory.Sequence(lambda n: f"honest-2027-{n}")
    kind = ProgramKind.HONEST_BUSINESS
    year = 2027
    issuing_body = "杭州市消费者权益保护委员会"
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=10))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    serial_prefix = "CX"

    @factory.post_generation
    def rubric(program, create, extracted, **kwargs):
        if create:
            services.rubric_copy_default(program=program)


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    program = factory.SubFactory(ProgramFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    created_by = factory.LazyAttribute(lambda a: a.enterprise.account)

    class Params:
        # Through the whole review already: only the grant is left to do.
        approved = factory.Trait(
            status="approved",
            commitment_accepted=True,
            commitment_accepted_at=factory.LazyFunction(timezone.now),
            submitted_at=factory.LazyFunction(timezone.now),
        )


def complete_draft(application: Application) -> Application:
    """Fill a draft so that it can be submitted: every criterion, summary, commitment, licence."""
    user = application.enterprise.account
    assessments = {
        c.pk: services.AssessmentInput(
            points=None if c.is_veto else c.max_points, veto_applies=False if c.is_veto else None
        )
        for c in application.program.criteria.all()
    }
    services.application_save_draft(
        application=application,
        user=user,
        summary="诚信经营，投诉按时办结。",
        commitment_accepted=True,
        assessments=assessments,
    )
    services.attachment_add(
        application=application,
        user=user,
        kind="business_licence",
        upload=_checked(upload("营业执照.pdf", pdf_bytes(), "application/pdf")),
    )
    application.refresh_from_db()
    return application


def _checked(file):
    from awards.uploads import check_upload

    return check_upload(file)


def staff_user(username: str, *roles):
    """A staff member holding the given roles, with an e-mail address for reminders."""
    from accounts.roles import grant_roles

    user = UserFactory(username=username, email=f"{username}@example.org")
    grant_roles(user, *roles)
    return user


class JobFactory(factory.django.DjangoModelFactory):
    """A background job as the queue left it; `done=True` gives it its file."""

    class Meta:
        model = "jobs.Job"
        skip_postgeneration_save = True

    kind = "list"
    program = factory.SubFactory(ProgramFactory)
    requested_by = factory.SubFactory(UserFactory)
    filename = "2027年度诚信经营示范单位评选_授予称号名单.csv"
    content_type = "text/csv; charset=utf-8"

    @factory.post_generation
    def finished(job, create, extracted, **kwargs):
        """JobFactory(finished=b"...") stores the bytes as the job's file and marks it done."""
        if create and extracted is not None:
            from django.core.files.base import ContentFile

            job.status, job.done, job.total, job.finished_at = "done", job.total or 1, job.total or 1, timezone.now()
            job.file.save("jobs/test.bin", ContentFile(extracted), save=True)


def granted_title(enterprise: Enterprise, *, valid_until: datetime.date, program: Program | None = None):
    """A title granted on a filled application (summary, self-assessments, licence) that expires on `valid_until`."""
    from certificates.models import Certificate
    from certificates.services import certificate_grant

    program = program or ProgramFactory(year=valid_until.year - 3, serial_prefix="FS")
    application = complete_draft(ApplicationFactory(program=program, enterprise=enterprise))
    Application.objects.filter(pk=application.pk).update(status="approved", submitted_at=timezone.now())
    certificate = certificate_grant(application=application)
    valid_from = valid_until.replace(year=valid_until.year - 3) + datetime.timedelta(days=1)
    # Granted the day before it came into force, so that anything done to it later comes after its grant.
    day_before = valid_from - datetime.timedelta(days=1)
    granted_at = timezone.make_aware(datetime.datetime.combine(day_before, datetime.time(9)))
    Certificate.objects.filter(pk=certificate.pk).update(
        valid_from=valid_from, valid_until=valid_until, granted_at=granted_at
    )
    certificate.events.update(at=granted_at)
    certificate.refresh_from_db()
    return certificate


def heard(application: Application, *, responded: bool = False) -> Application:
    """Record that the enterprise was told of its proposed C or D result and its time to respond has passed."""
    from awards.models import Statement, StatementSubject, Tier

    notified_at = timezone.now() - datetime.timedelta(days=30)
    Statement.objects.create(
        application=application,
        subject=StatementSubject.RESULT,
        proposal=str(Tier(application.result.tier).label),
        tier=application.result.tier,
        reasons="综合评议结果。",
        working_days=5,
        notified_at=notified_at,
        due_at=notified_at + datetime.timedelta(days=8),
        response="已整改。" if responded else "",
        responded_at=notified_at + datetime.timedelta(days=1) if responded else None,
    )
    return application


def granted_certificate(program: Program | None = None, **enterprise_fields):
    """A title granted today on an approved application, to an enterprise with the given fields."""
    from certificates.services import certificate_grant

    application = ApplicationFactory(
        approved=True, program=program or ProgramFactory(), enterprise=EnterpriseFactory(**enterprise_fields)
    )
    return certificate_grant(application=application)
