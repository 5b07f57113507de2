"""Load a realistic demo, idempotently, and print the demo logins."""

from __future__ import annotations

import datetime
import hashlib
import io
import unicodedata
from collections import Counter
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.roles import Role
from accounts.services import staff_user_create
from awards import services
from awards.demo_data import DISTRICTS, ENTERPRISES, demo_seal_png, demo_uscc, evaluation_demo
from awards.models import (
    Application,
    ApplicationStatus,
    District,
    Enterprise,
    Industry,
    Notice,
    NoticeKind,
    Program,
    ProgramKind,
    Review,
)
from certificates import services as certificate_services
from certificates.exports import list_export_start
from certificates.kinds import ListFormat, ListKind, PrintKind
from certificates.models import Certificate, CertificateStatus
from certificates.printing import print_job_start
from evaluations.publication import evaluation_lists_publish, evaluation_notices_conclude
from jobs.models import Job
from workflows.demo import Stager, staff_users

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
ORGANIZER = "organizer"
SEND_AT_ONCE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
APPLICANTS = len(ENTERPRISES)  # every demo enterprise logs in as applicant01, applicant02, …


def _demo_scan_png() -> bytes:
    """A blank scanned page standing in for a document the demo enterprise uploads."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (420, 594), (250, 250, 247)).save(out, format="PNG")
    return out.getvalue()


class Command(BaseCommand):
    help = "Load the demo: one programme of each kind, enterprises, applications and an account for every role."

    def handle(self, *args, **options):
        # The demo is Chinese, whatever the shell's language: what it records and what it prints.
        with translation.override("zh-hans"):
            self._load()

    def _load(self) -> None:
        self._signing_keys()
        # The demo's notification mails are sent at once into memory rather than queued for the worker, which
        # would flood the console with them.
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend", TASKS=SEND_AT_ONCE),
            transaction.atomic(),
        ):
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
            self._stage_title_in_force(enterprises[29])
            self._stage_renewal_due(enterprises[31])
            organizer = get_user_model().objects.get(username=ORGANIZER)
            self._stage_follow_up(programs[0], programs[1], organizer)
            programs.append(evaluation_demo(organizer=organizer, year=programs[0].year))  # a graded sector
            self._stage_heard(programs[-1], organizer)  # before the lists: the D list waits for each D to be heard
            self._evaluation_published(programs[-1], organizer)
            self._stage_credit_repair(programs[-1], organizer)
        with transaction.atomic():
            self._jobs()
        self._print_summary(programs)

    def _stage_heard(self, program: Program, organizer) -> None:
        """The right to be heard (陈述申辩) in the graded sector: each D dealer was told of its proposed result two
        weeks ago, and the first filed its statement with evidence; the C dealers are told now and may still respond.
        Once only, before the lists are published."""
        from awards.models import Statement
        from awards.services.statements import heard_entries, result_statement_open, statement_respond
        from awards.uploads import CheckedUpload

        if program.notices.exists() or Statement.objects.filter(application__program=program).exists():
            return
        two_weeks_ago = timezone.now() - datetime.timedelta(days=14)
        for application in heard_entries(program):
            told = two_weeks_ago if application.result.tier == "D" else None
            result_statement_open(application=application, user=organizer, now=told)
        first_d = Statement.objects.filter(application__program=program, tier="D").order_by("pk").first()
        if first_d is None:
            return
        evidence = _demo_scan_png()
        statement_respond(
            statement=first_d,
            # An enrolled dealer without an account hands its statement in on paper; the organizer records it.
            user=first_d.application.enterprise.account or organizer,
            response="我店已于检查后三日内下架并封存涉案农药，向购买农户全额退款，并建立进货查验台账。请求改评为C级。",
            evidence=[
                CheckedUpload(
                    content=ContentFile(evidence, name="upload.png"),
                    original_name="整改报告与退款凭证.png",
                    content_type="image/png",
                    size=len(evidence),
                    sha256=hashlib.sha256(evidence).hexdigest(),
                )
            ],
            now=two_weeks_ago + datetime.timedelta(days=2),
        )

    def _stage_follow_up(self, honest: Program, education: Program, organizer) -> None:
        """Follow-up visits (回访): a titled shop publishes its service commitments and passes a return visit; an
        education base fails a consumer experience check, and the organizer opens a case from it. Once only."""
        from django.core.files.uploadedfile import SimpleUploadedFile
        from PIL import Image

        from certificates import visits
        from certificates.models import FollowUpVisit, VisitKind
        from workflows.services import visit_case_open

        if FollowUpVisit.objects.exists():
            return
        today = timezone.localdate()
        shop = honest.certificates.order_by("serial")[2]
        base = education.certificates.order_by("serial").last()
        for title in (shop, base):
            visits.commitments_publish(
                certificate=title, user=organizer, texts=visits.commitments_suggested(title), reason="随称号公布。"
            )
        photo = io.BytesIO()
        Image.new("RGB", (320, 240), (236, 240, 232)).save(photo, format="JPEG")
        visits.visit_record(
            certificate=shop,
            user=organizer,
            kind=VisitKind.RETURN_VISIT,
            visited_on=today,
            commitments=shop.commitments.published(),
            passed=True,
            findings="价签齐全，退货须知张贴在收银台；抽查两笔退货记录，均在七日内办结，先行赔付台账完整。",
            files=[SimpleUploadedFile("收银台退货须知.jpg", photo.getvalue(), content_type="image/jpeg")],
        )
        failed = visits.visit_record(
            certificate=base,
            user=organizer,
            kind=VisitKind.CONSUMER_EXPERIENCE,
            visited_on=today,
            commitments=base.commitments.published().filter(text="定期免费向公众开放"),
            passed=False,
            findings="周六公示开放时间内以普通市民身份前往，场馆闭门，门口无任何公告；拨打公示电话无人接听。",
        )
        visit_case_open(visit=failed, user=organizer)

    def _evaluation_published(self, program: Program, organizer) -> None:
        """The graded sector's A list on public notice now, and its D list's notice run already: the exposure list
        is public. Once only."""
        if program.notices.exists():
            return
        for notice in evaluation_lists_publish(program=program, user=organizer):
            if notice.kind == NoticeKind.EXPOSURE:
                shift = notice.closes_at - timezone.now() + datetime.timedelta(hours=1)
                Notice.objects.filter(pk=notice.pk).update(
                    published_at=notice.published_at - shift, closes_at=notice.closes_at - shift
                )
        evaluation_notices_conclude()

    def _stage_credit_repair(self, program: Program, organizer) -> None:
        """Credit repair (信用修复) of the sector's exposure list, its entries listed 13 months ago: one dealer
        (dealer01) waits for the organizer's decision, the other (dealer02) was repaired and has left the public list.
        Once only."""
        import hashlib

        from django.db.models import F

        from awards.uploads import CheckedUpload
        from evaluations.credit_rules import earliest_repair_day, last_display_day
        from evaluations.models import ExposureEntry, ExposureEvent, RepairRequest
        from evaluations.repair import repair_decide, repair_request_file

        entries = list(ExposureEntry.objects.filter(application__program=program).order_by("pk")[:2])
        if len(entries) < 2 or RepairRequest.objects.filter(entry__in=entries).exists():
            return
        # A serious entry may be repaired a year after it was listed: the entries (not the notice, whose dates the
        # right-to-be-heard stage relies on) are dated as if listed 400 days ago.
        ago = datetime.timedelta(days=400)
        for entry in ExposureEntry.objects.filter(application__program=program):
            start = entry.display_from - ago
            ExposureEntry.objects.filter(pk=entry.pk).update(
                display_from=start,
                display_until=last_display_day(start, entry.display_months),
                repair_from=earliest_repair_day(start, entry.credit_class),
                created_at=F("created_at") - ago,
            )
            ExposureEvent.objects.filter(entry=entry).update(at=F("at") - ago)
        User = get_user_model()
        scan = _demo_pdf()
        requests = []
        for number, (entry, days_ago) in enumerate(zip(entries, (3, 10), strict=True), start=1):
            enterprise = entry.application.enterprise
            if enterprise.account_id is None:
                user, created = User.objects.get_or_create(
                    username=f"dealer{number:02d}", defaults={"first_name": enterprise.contact_name}
                )
                if created:
                    user.set_password(DEMO_PASSWORD)
                    user.save()
                enterprise.account = user
                enterprise.save(update_fields=["account"])
            requests.append(
                repair_request_file(
                    entry=entry,
                    user=enterprise.account,
                    correction="已缴清全部罚款，下架并封存不合格农药，向购买农户全额退款，建立进货查验台账并经复查合格。",
                    evidence=CheckedUpload(
                        content=ContentFile(scan, name="upload.pdf"),
                        original_name="罚款缴纳凭证与复查意见.pdf",
                        content_type="application/pdf",
                        size=len(scan),
                        sha256=hashlib.sha256(scan).hexdigest(),
                    ),
                    pledge_affirmed=True,
                    now=timezone.now() - datetime.timedelta(days=days_ago),
                )
            )
        repair_decide(
            request=requests[1],
            user=organizer,
            repaired=True,
            reason="罚款已缴清，整改经复查合格，已作信用承诺，准予信用修复。",
            now=timezone.now() - datetime.timedelta(days=2),
        )

    def _jobs(self) -> None:
        """A certificate batch and an honour-roll export of the programme with titles, queued for the worker (bin/serve
        starts one), so that the organizer finds them on the jobs page; once only."""
        program = Program.objects.filter(certificates__isnull=False).order_by("pk").first()
        if program is None or Job.objects.filter(program=program).exists():
            return
        organizer = get_user_model().objects.get(username=ORGANIZER)
        print_job_start(program=program, kind=PrintKind.CERTIFICATE, user=organizer)
        list_export_start(program=program, fmt=ListFormat.XLSX, which=ListKind.HONOURS, user=organizer)

    def _programs(self) -> list[Program]:
        now = timezone.now()
        year = (now + datetime.timedelta(days=120)).year
        closing_day = timezone.localdate(now) + datetime.timedelta(days=40)
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
                    "closes_at": local_time(closing_day, 17),
                    "serial_prefix": prefix,
                    # This round's titles come into force at its ceremony, still ahead whatever the day: the demo
                    # shows titles granted and not yet in force (尚未生效).
                    "ceremony_date": max(datetime.date(year, 3, 15), closing_day + datetime.timedelta(days=60)),
                },
            )
            services.rubric_copy_default(program=program)
            if not program.seal_image:
                program.seal_image.save("seal.png", ContentFile(demo_seal_png()), save=True)
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
                    "verified_at": timezone.now(),
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
        """Stage applications at every step of the review flow, once: a programme with applications is left alone."""
        honest, education = programs
        stager = Stager(staff_users(), _demo_pdf())
        educational = [e for e in enterprises if e.industry.code == "R"]
        commercial = [e for e in enterprises if e.industry.code != "R"]
        if not honest.applications.exists():
            self._stage_honest(stager, honest, commercial)
            self._stage_identity(stager, honest, commercial)
        if not education.applications.exists():
            self._stage_education(stager, education, educational)
            self._stage_after_award(stager, honest)
            self._stage_expired_title(commercial[17])

    def _start(self, program: Program, enterprise: Enterprise) -> Application:
        return services.application_start(program=program, enterprise=enterprise, user=enterprise.account)

    def _stage_honest(self, stager: Stager, program: Program, enterprises: list[Enterprise]) -> None:
        apps = [self._start(program, enterprise) for enterprise in enterprises[:17]]
        stager.fill(apps[1])  # apps[0] stays an empty draft, apps[1] a filled one
        for application in apps[2:]:
            stager.submit(application)
        stager.formal(apps[2], "return", "承诺书扫描件未加盖公章，请补充后重新提交。")
        # apps[3] and apps[4] wait for the formal check
        stager.formal(apps[5], "reject", "近两年内受到市场监管部门重大行政处罚，不符合申报条件。")
        for application in apps[6:]:
            stager.formal(application, "accept")
        # apps[6] waits for reviewers to be assigned
        stager.assign(apps[7])  # three reviews waiting
        stager.assign(apps[8])
        stager.score(apps[8], stager.staff.reviewers[1], Decimal("0.9"))
        review = Review.objects.get(application=apps[8], reviewer=stager.staff.reviewers[0])
        services.review_decline(review=review, reason="本人曾担任该企业法律顾问。")  # waits for a replacement
        stager.review(apps[9], shares=(Decimal("0.8"), Decimal("0.75"), Decimal("0.78")))  # tier B, graded
        stager.review(apps[10], veto=True)  # veto confirmed: tier D
        for application in apps[11:17]:
            stager.review(application)
        for application in apps[11:14]:
            stager.decide(application)
        stager.close_in_the_past(stager.publish(program))  # apps[11:14] granted
        for application in apps[14:16]:
            stager.decide(application)
        stager.publish(program)  # apps[14:16] on an open notice
        apps[14].refresh_from_db()
        stager.object(apps[14], "该企业今年5月因虚标商品价格被市场监管部门警告，与“明码标价”自评不符。")
        # apps[16] waits for the committee

    def _stage_identity(self, stager: Stager, program: Program, enterprises: list[Enterprise]) -> None:
        """Who an enterprise is: verification waiting, a counter-claim, and changes of name after a grant."""
        from awards.uploads import CheckedUpload

        organizer = stager.staff.organizer

        def licence() -> CheckedUpload:
            data = _demo_pdf()
            return CheckedUpload(
                ContentFile(data, name="upload.pdf"), "营业执照.pdf", "application/pdf", len(data), "0" * 64
            )

        # Two applicants waiting at the formal check are not verified yet; one has sent its licence.
        waiting, without_licence = enterprises[3], enterprises[4]
        Enterprise.objects.filter(pk__in=[waiting.pk, without_licence.pk]).update(verified_at=None, verified_by=None)
        waiting.refresh_from_db()
        services.registration_verification_request(enterprise=waiting, user=waiting.account, licence=licence())
        # Somebody claims the code of the enterprise whose application is still an empty draft.
        User = get_user_model()
        claimant, created = User.objects.get_or_create(
            username="claimant", defaults={"first_name": "赵会计", "email": "claimant@demo.award315.local"}
        )
        if created:
            claimant.set_password(DEMO_PASSWORD)
            claimant.save()
        services.counter_claim_file(
            user=claimant,
            uscc=enterprises[0].uscc,
            name_on_licence=enterprises[0].name,
            licence=licence(),
            explanation="我是该公司财务负责人，公司账户被前员工以个人邮箱抢先注册。",
        )
        # A titled enterprise changed its name after the grant, and the organizer approved it; another waits.
        renamed, renaming = program.certificates.order_by("serial")[2].enterprise, enterprises[7]
        change = services.name_change_request(
            enterprise=renamed, user=renamed.account, new_name=f"{renamed.name[:-4]}集团有限公司", licence=licence()
        )
        services.enterprise_request_decide(
            request=change, user=organizer, approve=True, reason="新营业执照与市场监管部门变更登记一致。"
        )
        services.name_change_request(
            enterprise=renaming, user=renaming.account, new_name=f"{renaming.name[:-4]}股份有限公司", licence=licence()
        )

    def _stage_education(self, stager: Stager, program: Program, enterprises: list[Enterprise]) -> None:
        apps = [self._start(program, enterprise) for enterprise in enterprises[:7]]
        for application in apps[1:]:
            stager.submit(application)
        # apps[0] is a draft, apps[1] waits for the formal check
        for application in apps[2:]:
            stager.formal(application, "accept")
            stager.review(application)
        # apps[2] waits for the on-site inspection
        stager.inspect(apps[3], False, "展陈内容多年未更新，无专职讲解人员，消防通道堵塞。")
        for application in apps[4:]:
            stager.inspect(application, True, "场馆设施完善，讲解规范，年接待参观者逾万人次。")
        for application in apps[4:6]:
            stager.decide(application)
        stager.close_in_the_past(stager.publish(program))  # apps[4:6] granted
        # apps[6] waits for the committee

    def _stage_after_award(self, stager: Stager, program: Program) -> None:
        """One title suspended while its case runs, one revoked."""
        suspended, revoked = program.certificates.order_by("serial")[:2]
        stager.open_case(suspended, "2027年5月以来被消费者投诉缺斤短两3次，经12315核实属实。")
        case = stager.open_case(revoked, "因虚假宣传被市场监管部门罚款20万元（杭市监罚〔2027〕12号）。")
        certificate_services.case_respond(case=case, response="我司对处罚无异议，已整改。")
        stager.decide_case(case, revoke=True, reason="受到重大行政处罚，不再符合诚信经营示范单位条件。")

    def _stage_expired_title(self, enterprise: Enterprise) -> None:
        """A title granted three years before this system, so that it has expired by now."""
        self._title_of_an_earlier_round(enterprise, timezone.localdate().year - 4)

    def _stage_title_in_force(self, enterprise: Enterprise) -> None:
        """A title of last year's round, in force today beside this round's titles, which are not yet. Once only."""
        self._title_of_an_earlier_round(enterprise, timezone.localdate().year - 1)

    def _stage_renewal_due(self, enterprise: Enterprise) -> None:
        """A title that expires in 60 days, its 90-day reminder sent: its holder may 申请复评 into this year's round,
        prefilled from the application that won it. Once only."""
        from renewals.reminders import expiry_reminders_send

        if enterprise.certificates.exists():
            return
        ceremony = timezone.localdate() + datetime.timedelta(days=60) - datetime.timedelta(days=3 * 365)
        program, _created = Program.objects.get_or_create(
            slug=f"honest-{ceremony.year}-2",
            defaults={
                "title": f"{ceremony.year}年度诚信经营示范单位评选（第二批）",
                "kind": ProgramKind.HONEST_BUSINESS,
                "year": ceremony.year,
                "issuing_body": "杭州市消费者权益保护委员会",
                "opens_at": local_time(ceremony - datetime.timedelta(days=120), 0),
                "closes_at": local_time(ceremony - datetime.timedelta(days=60), 17),
                "ceremony_date": ceremony,
                "serial_prefix": "CXB",
            },
        )
        criteria = services.rubric_copy_default(program=program)
        application = Application.objects.create(program=program, enterprise=enterprise, created_by=enterprise.account)
        services.application_save_draft(
            application=application,
            user=enterprise.account,
            summary="门店明码标价，七日无理由退货；近三年消费投诉均在5个工作日内办结，无重大行政处罚。",
            commitment_accepted=True,
            assessments={
                c.pk: services.AssessmentInput(
                    points=None if c.is_veto else c.max_points - 1, veto_applies=False if c.is_veto else None
                )
                for c in criteria
            },
        )
        Application.objects.filter(pk=application.pk).update(
            status=ApplicationStatus.APPROVED, submitted_at=timezone.now()
        )
        certificate_services.certificate_grant(application=application)
        expiry_reminders_send()

    def _title_of_an_earlier_round(self, enterprise: Enterprise, year: int) -> None:
        """The title of an honest-business round of an earlier year, granted to `enterprise` unless granted already."""
        program, _created = Program.objects.get_or_create(
            slug=f"honest-{year}",
            defaults={
                "title": f"{year}年度诚信经营示范单位评选",
                "kind": ProgramKind.HONEST_BUSINESS,
                "year": year,
                "issuing_body": "杭州市消费者权益保护委员会",
                "opens_at": local_time(datetime.date(year - 1, 11, 1), 0),
                "closes_at": local_time(datetime.date(year, 1, 15), 17),
                "serial_prefix": "CX",
            },
        )
        services.rubric_copy_default(program=program)
        if program.applications.filter(enterprise=enterprise).exists():
            return
        now = timezone.now()
        application = Application.objects.create(
            program=program,
            enterprise=enterprise,
            status=ApplicationStatus.APPROVED,
            summary="往年授予的称号。",
            commitment_accepted=True,
            commitment_accepted_at=now,
            submitted_at=now,
            created_by=enterprise.account,
        )
        certificate_services.certificate_grant(application=application)

    def _print_after_award(self) -> None:
        """Where to look for the life of a title and of an exposure entry after the award, by the one status rule."""
        from awards.models import Statement
        from evaluations.models import ExposureEntry, RepairOutcome, RepairRequest
        from renewals.models import ExpiryReminder

        today = timezone.localdate()
        statuses = Counter(certificate.current_status(today) for certificate in Certificate.objects.all())
        write = self.stdout.write
        write("  " + _("After the award:"))
        write(
            "    "
            + "，".join(f"{label} {statuses[value]}" for value, label in CertificateStatus.choices if statuses[value])
        )
        write(
            "    "
            + _(
                "%(reminded)s titles reminded of their expiry; %(statements)s statements (陈述申辩) filed; "
                "%(displayed)s exposure entries on the public list, %(under_repair)s under credit repair, "
                "%(repaired)s repaired"
            )
            % {
                "reminded": ExpiryReminder.objects.values("certificate").distinct().count(),
                "statements": Statement.objects.exclude(responded_at=None).count(),
                "displayed": ExposureEntry.objects.displayed(today).count(),
                "under_repair": RepairRequest.objects.filter(outcome=RepairOutcome.PENDING).count(),
                "repaired": ExposureEntry.objects.exclude(repaired_at=None).count(),
            }
        )

    def _signing_keys(self) -> None:
        """The keys that sign the certificates' QR codes, credentials and PDFs: the demo's own, made once and kept."""
        call_command("signing_keys", "ensure", stdout=io.StringIO())
        # A self-signed certificate in the organizer's name signs the PDFs; a real site installs its issuing body's.
        call_command("pdf_signing_certificate", "--self-signed", "--if-missing", stdout=io.StringIO())

    def _print_verifiable(self) -> None:
        """One demo certificate's signed code and credentials, and how to check them without the network."""
        from credentials import payload

        titles = Certificate.objects.currently_valid().select_related("enterprise__account").order_by("serial")
        certificate = titles.filter(enterprise__account__isnull=False).first() or titles.first()
        if certificate is None:
            return
        write = self.stdout.write
        site = "http://127.0.0.1:8000"
        write("  " + _("Every certificate's QR code carries a signed code. Check one offline:"))
        write(f"    .venv/bin/python manage.py verify_payload '{payload.qr_url(certificate)}'")
        write("  " + _("or paste it into the offline checker at %(url)s") % {"url": f"{site}/check/"})
        write(
            "  "
            + _("Open Badges 3.0 credential: %(badge)s; status lists: %(lists)s; public keys: %(keys)s")
            % {
                "badge": f"{site}/credentials/{certificate.serial}.json",
                "lists": f"{site}/credentials/status/revocation.json, …/suspension.json",
                "keys": f"{site}/credentials/keys.json",
            }
        )
        if certificate.enterprise.account_id:
            write(
                "  "
                + _("Log in as %(username)s and open %(url)s for the signed PDF, the picture and the badge to share.")
                % {"username": certificate.enterprise.account.username, "url": f"{site}/titles/"}
            )

    def _print_summary(self, programs: list[Program]) -> None:
        write = self.stdout.write
        write(self.style.SUCCESS(_("Demo data is ready.")))
        for program in programs:
            write(f"  {program.title} ({program.slug}):")
            for status in ApplicationStatus:
                count = program.applications.filter(status=status).count()
                if count:
                    write(f"    {status.label}: {count}")
        write(
            "  "
            + _("%(enterprises)s enterprises, %(titles)s titles granted")
            % {"enterprises": Enterprise.objects.count(), "titles": Certificate.objects.count()}
        )
        self._print_after_award()
        self._print_verifiable()
        write("")
        write(_("Demo logins (password for all: %(password)s)") % {"password": DEMO_PASSWORD})
        for username, name, roles in STAFF:
            write(f"  {username:<12} {_pad('、'.join(r.label for r in roles), 24)} {name}")
        for enterprise in (
            Enterprise.objects.filter(account__isnull=False).select_related("account").order_by("account__username")
        ):
            write(f"  {enterprise.account.username:<12} {_pad(_('Applicant'), 24)} {enterprise.name}")
        write(
            f"  {'claimant':<12} {_pad(_('Applicant'), 24)} {_('claims the code of an enterprise registered by another')}"
        )
        write("")
        write(
            _(
                "Open %(site)s/ (applicants and the public notices), %(site)s/work/ (staff tasks and programme "
                "dashboards) and %(site)s/admin/ (programme set-up)."
            )
            % {"site": "http://127.0.0.1:8000"}
        )


def local_time(day: datetime.date, hour: int) -> datetime.datetime:
    """A time of day in the project's time zone (Beijing time), as the organizer would set a deadline."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)), timezone.get_default_timezone())


def _pad(text: str, width: int) -> str:
    """Pad to a width in terminal columns: a hanzi takes two."""
    columns = sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
    return text + " " * max(width - columns, 0)


def _demo_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
