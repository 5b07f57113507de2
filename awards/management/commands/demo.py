"""Load a realistic demo, idempotently, and print the demo logins."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from accounts.services import staff_user_create
from awards import services
from awards.demo_data import DISTRICTS, ENTERPRISES, demo_uscc
from awards.models import (
    Application,
    ApplicationStatus,
    AttachmentKind,
    District,
    Enterprise,
    Industry,
    Program,
    ProgramKind,
)
from awards.uploads import check_upload

DEMO_PASSWORD = "Award315-demo"

STAFF = [
    ("organizer", "秘书处 王敏", (Role.ORGANIZER,)),
    ("reviewer1", "评审专家 刘洋", (Role.REVIEWER,)),
    ("reviewer2", "评审专家 陈静", (Role.REVIEWER,)),
    ("reviewer3", "评审专家 张磊", (Role.REVIEWER,)),
    ("reviewer4", "评审专家 林芳", (Role.REVIEWER,)),
    ("inspector", "验收组 赵刚", (Role.INSPECTOR,)),
    ("committee", "评审委员会 孙立", (Role.COMMITTEE,)),
    ("chair", "秘书长 周平（兼评审委员）", (Role.ORGANIZER, Role.COMMITTEE)),
]

# Which demo enterprises have an applicant account, and how far their applications are.
APPLICANTS = 12  # the first twelve enterprises log in as applicant01 … applicant12
SUBMITTED_EVERY = 2  # every second applicant has submitted; the others keep drafts


class Command(BaseCommand):
    help = "Load the demo: one programme of each kind, enterprises, applications and an account for every role."

    def handle(self, *args, **options):
        with transaction.atomic():
            programs = self._programs()
            self._districts()
            enterprises = self._enterprises()
            for username, name, roles in STAFF:
                staff_user_create(
                    username=username,
                    password=DEMO_PASSWORD,
                    email=f"{username}@demo.award315.local",
                    full_name=name,
                    roles=roles,
                )
        self._applications(programs, enterprises)
        self._print_summary(programs)

    def _programs(self) -> list[Program]:
        now = timezone.now()
        year = (now + datetime.timedelta(days=120)).year
        specs = [
            (f"honest-{year}", f"{year}年度诚信经营示范单位评选", ProgramKind.HONEST_BUSINESS, "CX"),
            (f"edu-base-{year}", f"{year}年度消费维权教育基地评选", ProgramKind.EDUCATION_BASE, "JD"),
        ]
        programs = []
        for slug, title, kind, prefix in specs:
            program, created = Program.objects.get_or_create(
                slug=slug,
                defaults={
                    "title": title,
                    "kind": kind,
                    "year": year,
                    "issuing_body": "杭州市消费者权益保护委员会",
                    "opens_at": now - datetime.timedelta(days=20),
                    "closes_at": (now + datetime.timedelta(days=40)).replace(
                        hour=17, minute=0, second=0, microsecond=0
                    ),
                    "serial_prefix": prefix,
                },
            )
            services.rubric_copy_default(program=program)
            programs.append(program)
        return programs

    def _districts(self) -> None:
        for code, name in DISTRICTS:
            District.objects.get_or_create(code=code, defaults={"name": name})

    def _enterprises(self) -> list[Enterprise]:
        districts = {d.code: d for d in District.objects.all()}
        industries = {i.code: i for i in Industry.objects.filter(edition="GB/T 4754-2017")}
        User = get_user_model()
        enterprises = []
        for index, (name, district, industry, legal) in enumerate(ENTERPRISES, start=1):
            enterprise, _created = Enterprise.objects.get_or_create(
                uscc=demo_uscc(index, district),
                defaults={
                    "name": name,
                    "legal_representative": legal,
                    "address": f"杭州市{districts[district].name}示范路{index}号",
                    "district": districts[district],
                    "industry": industries[industry],
                    "contact_name": f"{legal[0]}经理",
                    "contact_phone": f"1380571{index:04d}",
                    "contact_email": f"contact{index:02d}@demo.award315.local",
                },
            )
            if index <= APPLICANTS and enterprise.account_id is None:
                username = f"applicant{index:02d}"
                user, created = User.objects.get_or_create(
                    username=username,
                    defaults={"first_name": enterprise.contact_name, "email": f"{username}@demo.award315.local"},
                )
                if created:
                    user.set_password(DEMO_PASSWORD)
                    user.save()
                enterprise.account = user
                enterprise.save(update_fields=["account"])
            enterprises.append(enterprise)
        return enterprises

    def _applications(self, programs: list[Program], enterprises: list[Enterprise]) -> None:
        honest, education = programs
        for index, enterprise in enumerate(enterprises[:APPLICANTS], start=1):
            program = education if enterprise.industry.code == "R" else honest
            if Application.objects.filter(program=program, enterprise=enterprise).exists():
                continue
            user = enterprise.account
            application = services.application_start(program=program, enterprise=enterprise, user=user)
            if index % 4 == 3:
                continue  # an application just started, still empty
            assessments = {
                criterion.pk: services.AssessmentInput(
                    veto_applies=False if criterion.is_veto else None,
                    points=None
                    if criterion.is_veto
                    else (criterion.max_points * Decimal("0.9")).quantize(Decimal("0.5")),
                    note="自评依据见附件。",
                )
                for criterion in program.criteria.all()
            }
            services.application_save_draft(
                application=application,
                user=user,
                summary=f"{enterprise.name}坚持诚信经营，建立了完善的消费投诉处理机制，近三年投诉按时办结率100%。",
                commitment_accepted=True,
                assessments=assessments,
            )
            services.attachment_add(
                application=application,
                user=user,
                kind=AttachmentKind.BUSINESS_LICENCE,
                upload=check_upload(SimpleUploadedFile("营业执照.pdf", _demo_pdf(), content_type="application/pdf")),
            )
            if index % SUBMITTED_EVERY == 0:
                services.application_submit(application=application, user=user)

    def _print_summary(self, programs: list[Program]) -> None:
        write = self.stdout.write
        write(self.style.SUCCESS("Demo data is ready."))
        for program in programs:
            counts = {status.label: program.applications.filter(status=status).count() for status in ApplicationStatus}
            write(f"  {program.title} ({program.slug}): " + ", ".join(f"{label} {n}" for label, n in counts.items()))
        write(f"  {Enterprise.objects.count()} enterprises")
        write("")
        write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        for username, name, roles in STAFF:
            write(f"  {username:<12} {', '.join(r.label for r in roles):<24} {name}")
        for enterprise in (
            Enterprise.objects.filter(account__isnull=False).select_related("account").order_by("account__username")
        ):
            write(f"  {enterprise.account.username:<12} {_('Applicant'):<24} {enterprise.name}")
        write("")
        write("Open http://127.0.0.1:8000/ (applicants) and http://127.0.0.1:8000/admin/ (organizer set-up).")


def _demo_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
