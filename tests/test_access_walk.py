"""Every URL of the project, requested by every kind of person: refused where it must be, never an error, and blind.

The URL patterns come from the resolver, so a new page is walked as soon as it exists; the walk then needs to be told
what to fill in and who may see it (`CASES`), or it fails. The ids, slugs and serials are real ones, most of them
Alice's, so that Bob, the other applicant, asks for someone else's things.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from viewflow.workflow.models import Task

from accounts.roles import Role
from awards import services
from awards.models import Application, Attachment, Objection, Review
from awards.uploads import check_upload
from jobs.models import Job, JobKind, JobStatus
from tests.factories import ApplicationFactory, ProgramFactory, pdf_bytes, staff_user, upload
from tests.workflows.flow_helpers import (
    assign,
    close_notice,
    committee_approves,
    complete,
    decline,
    formal_check,
    open_task,
    publish,
    replace,
    review_task,
    score,
    submit,
)
from workflows import services as workflow_services
from workflows.revocation import RevocationFlow

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "alice", "bob", "reviewer", "conflicted", "inspector", "committee", "organizer")
EVERYONE = frozenset(ROLES)
LOGGED_IN = EVERYONE - {"anonymous"}
STAFF = frozenset({"reviewer", "conflicted", "inspector", "committee", "organizer"})
NOBODY: frozenset[str] = frozenset()

REVIEWER_NAMES = ("评审甲某某", "评审乙某某", "评审丙某某", "评审丁某某")
STAFF_NAMES = (*REVIEWER_NAMES, "组织者欧某某", "验收员英某某", "委员卡某某")
CONFLICTS = ("本人配偶在该企业担任财务负责人。", "本人曾任该企业法律顾问，尚未满三年。")
OBJECTOR = ("异议人王某某", "13912345678")
# What an applicant or the public must never read: who reviewed or declined and why, any staff name, the objector.
SECRETS = (*STAFF_NAMES, *CONFLICTS, *OBJECTOR)

MISSING = 999_999  # an id nothing has: for pages whose objects the walk does not build

OK = frozenset({200, 204, 302, 405})  # 405: a POST-only address asked with GET
ADMIN_OK = OK | {403, 404}  # the admin applies its own model permissions


@dataclass(frozen=True)
class Case:
    kwargs: dict
    allowed: frozenset[str]
    ok: frozenset[int] = OK


def _same(allowed, **kwargs) -> Callable[[SimpleNamespace], list[Case]]:
    return lambda w: [Case(kwargs, allowed)]


CASES: dict[str, Callable[[SimpleNamespace], list[Case]]] = {
    # Public pages.
    "home": _same(EVERYONE),
    "favicon": _same(EVERYONE),
    "healthz": _same(EVERYONE),
    "notices": _same(EVERYONE),
    "objection_file": lambda w: [Case({"pk": w.notice.pk}, EVERYONE)],
    "objection_lookup": _same(EVERYONE),
    "honours": _same(EVERYONE),
    "evaluations:exposures": _same(EVERYONE),
    "evaluations:publication": lambda w: [Case({"slug": w.program.slug}, frozenset({"organizer"}))],
    "evaluations:objection_finding": lambda w: [
        Case({"slug": w.notice.program.slug, "pk": _pending_objection(w)}, frozenset({"organizer"}))
    ],
    "verify": lambda w: [Case({"serial": w.serial}, EVERYONE)],
    "verify_json": lambda w: [Case({"serial": w.serial}, EVERYONE)],
    "credential_keys": _same(EVERYONE),
    "credential_badge": lambda w: [Case({"serial": w.serial}, EVERYONE)],
    "open_badge": lambda w: [Case({"serial": w.serial}, EVERYONE)],
    "credential_issuer": lambda w: [Case({"slug": w.program.slug}, EVERYONE)],
    "credential_site_issuer": _same(EVERYONE),
    "credential_status_list": lambda w: [
        Case({"purpose": "revocation"}, EVERYONE),
        Case({"purpose": "suspension"}, EVERYONE),
    ],
    "offline_check": _same(EVERYONE),
    "set_language": _same(EVERYONE),
    "accounts:register": _same(EVERYONE),
    "accounts:login": _same(EVERYONE),
    "accounts:logout": _same(EVERYONE),
    "accounts:password_reset": _same(EVERYONE),
    "accounts:password_reset_done": _same(EVERYONE),
    "accounts:password_reset_confirm": _same(EVERYONE, uidb64="MQ", token="set-password"),
    "accounts:password_reset_complete": _same(EVERYONE),
    "awards:program_list": _same(EVERYONE),
    # Anyone logged in, each for their own account or enterprise.
    "accounts:password_change": _same(LOGGED_IN),
    "accounts:password_change_done": _same(LOGGED_IN),
    "awards:enterprise_register": _same(LOGGED_IN),
    "awards:enterprise_edit": _same(LOGGED_IN),
    "awards:enterprise_name_change": _same(LOGGED_IN),
    "awards:enterprise_licence": _same(LOGGED_IN),
    "awards:enterprise_claim": _same(LOGGED_IN),
    "awards:licence_download": lambda w: [Case({"pk": w.name_change.pk}, frozenset({"bob", "organizer"}))],
    "awards:application_start": lambda w: [Case({"slug": w.program.slug}, LOGGED_IN)],
    "awards:application_list": _same(LOGGED_IN),
    "my_titles": _same(LOGGED_IN),
    # Alice's own title (suspended by the walk's case, so she is told why instead of getting a fresh file).
    "certificate_pdf": lambda w: [Case({"serial": w.serial}, frozenset({"alice"}))],
    "certificate_png": lambda w: [Case({"serial": w.serial}, frozenset({"alice"}))],
    # Alice's applications, attachments and case.
    "awards:application_detail": lambda w: [
        Case({"pk": w.granted.pk}, frozenset({"alice", "reviewer", "committee", "organizer"})),
        Case({"pk": w.in_review.pk}, frozenset({"alice", "reviewer", "organizer"})),
        Case({"pk": w.returned.pk}, frozenset({"alice", "organizer"})),
    ],
    "awards:application_edit": lambda w: [
        Case({"pk": w.granted.pk}, frozenset({"alice"})),
        Case({"pk": w.returned.pk}, frozenset({"alice"})),
    ],
    "awards:attachment_upload": lambda w: [Case({"pk": w.returned.pk}, frozenset({"alice"}))],
    "awards:attachment_download": lambda w: [
        Case({"pk": w.granted_licence.pk}, frozenset({"alice", "reviewer", "committee", "organizer"}))
    ],
    "awards:attachment_remove": lambda w: [Case({"pk": w.returned_licence.pk}, frozenset({"alice"}))],
    "case_respond": lambda w: [Case({"pk": w.case.pk}, frozenset({"alice"}))],
    "case_appeal": lambda w: [Case({"pk": w.case.pk}, frozenset({"alice"}))],
    # The right to be heard (陈述申辩): Alice's statement page; the organizer's one action telling C and D entries.
    "awards:statement": lambda w: [Case({"pk": _statement(w)}, frozenset({"alice"}))],
    "awards:program_statements_notify": lambda w: [Case({"slug": w.program.slug}, frozenset({"organizer"}))],
    # Renewal cycles: the holder's 申请复评 (POST only), the organizer's cohort screen.
    "renewals:renew": lambda w: [Case({"serial": w.serial}, frozenset({"alice"}))],
    "renewals:cohort": _same(frozenset({"organizer"})),
    # Staff work screens.
    "workflows:inbox": _same(STAFF),
    "workflows:task": lambda w: [
        Case({"pk": w.declined_task.pk}, NOBODY),  # the conflicted reviewer's, until the organizer replaces them
        Case({"pk": w.review_task.pk}, frozenset({"reviewer"})),
        Case({"pk": w.correction_task.pk}, NOBODY),  # the applicant corrects on their own pages
        Case({"pk": w.formal_check_task.pk}, frozenset({"organizer"})),
        Case({"pk": w.case_task.pk}, frozenset({"committee"})),
    ],
    "workflows:programs": _same(frozenset({"organizer"})),
    "workflows:dashboard": lambda w: [Case({"slug": w.program.slug}, frozenset({"organizer"}))],
    "workflows:committee": lambda w: [Case({"slug": w.program.slug}, frozenset({"committee", "organizer"}))],
    "workflows:publish": lambda w: [Case({"slug": w.program.slug}, frozenset({"organizer"}))],
    "workflows:notice_period": lambda w: [Case({"pk": w.notice.pk}, frozenset({"organizer"}))],
    "workflows:enrol": lambda w: [Case({"slug": w.evaluation.slug}, frozenset({"organizer"}))],
    "workflows:enrolment_template": _same(frozenset({"organizer"})),
    "workflows:replace_reviewer": lambda w: [Case({"pk": w.declined_review.pk}, frozenset({"organizer"}))],
    "workflows:history": lambda w: [Case({"pk": w.granted.pk}, frozenset({"organizer"}))],
    "workflows:objection_evidence": lambda w: [Case({"pk": w.objection.pk}, frozenset({"organizer"}))],
    "workflows:enterprise_queue": _same(frozenset({"organizer"})),
    "workflows:enterprise_request": lambda w: [Case({"pk": w.name_change.pk}, frozenset({"organizer"}))],
    # Granted titles, printing and lists.
    "certificates:titles": lambda w: [Case({"slug": w.program.slug}, frozenset({"organizer"}))],
    "certificates:export_list": lambda w: [Case({"slug": w.program.slug, "fmt": "csv"}, frozenset({"organizer"}))],
    "certificates:print_start": lambda w: [Case({"slug": w.program.slug}, frozenset({"organizer"}))],
    "certificates:title": lambda w: [Case({"serial": w.serial}, frozenset({"organizer"}))],
    "workflows:case_start": lambda w: [Case({"serial": w.serial}, frozenset({"organizer"}))],
    "certificates:commitments": lambda w: [Case({"serial": w.serial}, frozenset({"organizer"}))],
    "certificates:visit_add": lambda w: [Case({"serial": w.serial}, frozenset({"organizer"}))],
    "certificates:visit_attachment": lambda w: [Case({"pk": _follow_up_visit(w).attachment}, frozenset({"organizer"}))],
    "workflows:visit_case_start": lambda w: [Case({"pk": _follow_up_visit(w).pk}, frozenset({"organizer"}))],
    # Background jobs: a job's page and file, whatever its kind.
    # The questionnaire survey of a sector evaluation: the public questionnaire, the organizer's screens.
    "evaluations:survey": lambda w: [Case({"token": _survey(w).token}, EVERYONE)],
    "evaluations:survey_enterprises": lambda w: [Case({"slug": _survey(w).slug}, frozenset({"organizer"}))],
    "evaluations:survey_questions": lambda w: [Case({"slug": _survey(w).slug}, frozenset({"organizer"}))],
    "evaluations:survey_question_edit": lambda w: [
        Case({"slug": _survey(w).slug, "pk": _survey(w).question}, frozenset({"organizer"}))
    ],
    "evaluations:survey_qr": lambda w: [
        Case({"slug": _survey(w).slug, "pk": _survey(w).application, "fmt": "png"}, frozenset({"organizer"}))
    ],
    "evaluations:survey_qr_zip": lambda w: [Case({"slug": _survey(w).slug}, frozenset({"organizer"}))],
    "evaluations:survey_posters": lambda w: [Case({"slug": _survey(w).slug}, frozenset({"organizer"}))],
    "evaluations:survey_paper": lambda w: [Case({"slug": _survey(w).slug}, frozenset({"organizer"}))],
    "evaluations:survey_paper_template": lambda w: [Case({"slug": _survey(w).slug}, frozenset({"organizer"}))],
    # The evaluation plan and the grading of a sector evaluation: organizers only.
    "evaluations:plan": lambda w: [Case({"slug": _survey(w).slug}, frozenset({"organizer"}))],
    "evaluations:plan_aspects": lambda w: [Case({"slug": _survey(w).slug}, frozenset({"organizer"}))],
    "evaluations:plan_deductions": lambda w: [Case({"slug": _survey(w).slug}, frozenset({"organizer"}))],
    "evaluations:grading": lambda w: [Case({"slug": _survey(w).slug}, frozenset({"organizer"}))],
    "evaluations:breakdown": lambda w: [
        Case({"slug": _survey(w).slug, "pk": _survey(w).application}, frozenset({"organizer"}))
    ],
    # Hearings and supervision records of a sector evaluation: organizers only.
    "evaluations:hearings": lambda w: [Case({"slug": _survey(w).slug}, frozenset({"organizer"}))],
    "evaluations:hearing_new": lambda w: [Case({"slug": _survey(w).slug}, frozenset({"organizer"}))],
    "evaluations:hearing": lambda w: [Case({"slug": _survey(w).slug, "pk": _hearing(w)}, frozenset({"organizer"}))],
    "evaluations:hearing_minutes": lambda w: [
        Case({"slug": _survey(w).slug, "pk": _hearing(w)}, frozenset({"organizer"}))
    ],
    "evaluations:hearing_minutes_upload": lambda w: [
        Case({"slug": _survey(w).slug, "pk": _hearing(w)}, frozenset({"organizer"}))
    ],
    "evaluations:hearing_scores": lambda w: [
        Case(
            {"slug": _survey(w).slug, "pk": _hearing(w), "application": _survey(w).application},
            frozenset({"organizer"}),
        )
    ],
    "evaluations:hearing_import": lambda w: [
        Case({"slug": _survey(w).slug, "pk": _hearing(w)}, frozenset({"organizer"}))
    ],
    "evaluations:hearing_template": lambda w: [
        Case({"slug": _survey(w).slug, "pk": _hearing(w)}, frozenset({"organizer"}))
    ],
    "evaluations:records": lambda w: [Case({"slug": _survey(w).slug}, frozenset({"organizer"}))],
    "evaluations:record_new": lambda w: [Case({"slug": _survey(w).slug}, frozenset({"organizer"}))],
    "evaluations:record_import": lambda w: [Case({"slug": _survey(w).slug}, frozenset({"organizer"}))],
    "evaluations:record_template": lambda w: [Case({"slug": _survey(w).slug}, frozenset({"organizer"}))],
    "evaluations:repair_request": lambda w: [Case({"pk": _repair(w).application.pk}, frozenset({"alice"}))],
    "evaluations:repair_evidence": lambda w: [Case({"pk": _repair(w).pk}, frozenset({"alice", "organizer"}))],
    "evaluations:repair_queue": _same(frozenset({"organizer"})),
    "evaluations:repair_entry": lambda w: [Case({"pk": _repair(w).entry.pk}, frozenset({"organizer"}))],
    "jobs:list": _same(frozenset({"organizer"})),
    "jobs:detail": lambda w: [
        Case({"pk": w.print_job.pk}, frozenset({"organizer"})),
        Case({"pk": w.failed_job.pk}, frozenset({"organizer"})),
    ],
    "jobs:download": lambda w: [
        Case({"pk": w.print_job.pk}, frozenset({"organizer"})),
        Case({"pk": w.failed_job.pk}, NOBODY),  # a job that is not done has no file for anyone
    ],
}


def _survey(w: SimpleNamespace) -> SimpleNamespace:
    """The evaluation's questionnaire: a plan running today, one aspect with a question, one enrolled enterprise."""
    if not hasattr(w, "survey"):
        import datetime

        from django.utils import timezone

        from evaluations.models import Aspect, EvaluationPlan, SurveyQuestion
        from evaluations.survey import survey_token

        today = timezone.localdate()
        plan, _created = EvaluationPlan.objects.get_or_create(
            program=w.evaluation,
            defaults={"period_start": today, "period_end": today + datetime.timedelta(days=30)},
        )
        aspect = plan.aspects.first() or Aspect.objects.create(plan=plan, position=1, title="主体资格")
        question = aspect.questions.first() or SurveyQuestion.objects.create(aspect=aspect, position=1, text="证照齐全")
        application = ApplicationFactory(program=w.evaluation, status="in_review", enrolled=True)
        w.survey = SimpleNamespace(
            slug=w.evaluation.slug, token=survey_token(application), question=question.pk, application=application.pk
        )
    return w.survey


def _statement(w: SimpleNamespace) -> int:
    """A proposed result Alice has been told of and may respond to."""
    if not hasattr(w, "statement"):
        from awards.services.statements import statement_open

        w.statement = statement_open(
            application=w.granted, user=None, subject="result", proposal="D", tier="D", reasons="拟评D级。", notify=False
        ).pk
    return w.statement


def _pending_objection(w: SimpleNamespace) -> int:
    """An objection to an entry of the open notice that nobody has verified yet."""
    if not hasattr(w, "pending_objection"):
        from django.utils import timezone

        w.pending_objection = Objection.objects.create(
            notice=w.notice,
            application=w.notice.applications.first(),
            objector_name="王小明",
            objector_phone="13912345678",
            statement="该企业近期多次拒不退货。",
            submitted_at=timezone.now(),
        ).pk
    return w.pending_objection


def _hearing(w: SimpleNamespace) -> int:
    """A hearing of the evaluation with one panel member and its minutes (a PDF in the private storage)."""
    if not hasattr(w, "hearing"):
        import datetime

        from evaluations.models import HearingPanelist, HearingSession

        _survey(w)
        session = HearingSession.objects.create(
            program=w.evaluation, held_on=datetime.date(2026, 6, 1), place="会议室", created_by=w.users["organizer"]
        )
        HearingPanelist.objects.create(session=session, name="张消费者", role="consumer")
        session.minutes.save("minutes.pdf", ContentFile(pdf_bytes()), save=False)
        session.minutes_name = "听证会纪要.pdf"
        session.save()
        w.hearing = session.pk
    return w.hearing


def _follow_up_visit(w: SimpleNamespace) -> SimpleNamespace:
    """A failed consumer experience check of Alice's title, with a photo in the private storage."""
    if not hasattr(w, "visit"):
        from certificates.models import FollowUpVisit, TitleCommitment, VisitAttachment
        from tests.factories import png_bytes

        olivia = w.users["organizer"]
        commitment = TitleCommitment.objects.create(
            certificate_id=w.case.certificate_id, text="七日无理由退货", added_by=olivia
        )
        visit = FollowUpVisit.objects.create(
            certificate_id=w.case.certificate_id,
            kind="consumer_experience",
            visited_on=commitment.added_at.date(),
            passed=False,
            findings="拒绝退货。",
            recorded_by=olivia,
        )
        visit.commitments.add(commitment)
        attachment = VisitAttachment(
            visit=visit, original_name="小票.png", content_type="image/png", size=1, sha256="0"
        )
        attachment.file.save("receipt.png", ContentFile(png_bytes()), save=False)
        attachment.save()
        w.visit = SimpleNamespace(pk=visit.pk, attachment=attachment.pk)
    return w.visit


def _repair(w: SimpleNamespace):
    """Alice's enterprise on the evaluation's exposure list for 400 days, asking for credit repair with evidence."""
    if not hasattr(w, "repair"):
        import datetime

        from django.utils import timezone

        from awards.services import application_expose
        from evaluations.repair import exposure_entry_open, repair_request_file

        application = application_expose(
            application=ApplicationFactory(program=w.evaluation, enterprise=w.users["alice"].enterprise, enrolled=True)
        )
        entry = exposure_entry_open(application=application, now=timezone.now() - datetime.timedelta(days=400))
        w.repair = repair_request_file(
            entry=entry,
            user=w.users["alice"],
            correction="已缴清罚款并完成整改。",
            evidence=check_upload(upload("整改报告.pdf", pdf_bytes(), "application/pdf")),
            pledge_affirmed=True,
        )
        w.repair.application = application
    return w.repair


# --- The URL patterns -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    route: str  # the whole pattern, as ResolverMatch.route gives it
    name: str | None  # namespaced
    namespace: str

    @property
    def key(self) -> str:
        return self.name or self.route

    @property
    def params(self) -> list[str]:
        return [a or b for a, b in re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", self.route)]


def url_patterns(patterns=None, prefix: str = "", namespace: str = "") -> Iterator[Pattern]:
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace or ""]))
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = ":".join(filter(None, [namespace, pattern.name])) if pattern.name else None
            yield Pattern(prefix + str(pattern.pattern), name, namespace)


def _fill(route: str, values: dict) -> str:
    """The path of a pattern with its parameters filled in; works for unnamed and regular-expression patterns."""
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(values[m.group(1)]), route)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), path)
    return "/" + path.replace("^", "").replace("$", "")


def _admin_cases(pattern: Pattern, world: SimpleNamespace) -> list[Case]:
    """The admin's addresses follow from its registry; only organizers are staff enough to enter."""
    values = {}
    for param in pattern.params:
        if param == "object_id" and pattern.name == "admin:view_on_site":
            values[param] = world.granted.pk
        elif param == "object_id":
            app_label, model_name = pattern.route.split("/")[1:3]
            first = apps.get_model(app_label, model_name).objects.order_by("pk").first()
            values[param] = first.pk if first else MISSING
        elif param == "content_type_id":
            values[param] = ContentType.objects.get_for_model(Application).pk
        elif param == "id":
            values[param] = world.users["alice"].pk
        elif param == "app_label":
            values[param] = "awards"
        elif param == "url":
            values[param] = "no-such-page/"
        else:
            pytest.fail(f"The walk does not know how to fill <{param}> of the admin's {pattern.route}")
    # Logging in and out of the admin is open to all; logging out sends whoever is not staff to its front page.
    allowed = EVERYONE if pattern.name in ("admin:login", "admin:logout") else frozenset({"organizer"})
    return [Case(values, allowed, ADMIN_OK)]


def cases_for(pattern: Pattern, world: SimpleNamespace) -> list[Case]:
    if pattern.namespace == "admin":
        return _admin_cases(pattern, world)
    if pattern.key not in CASES:
        pytest.fail(f"The access walk does not know {pattern.key} ({pattern.route}): add it to CASES")
    return CASES[pattern.key](world)


# --- The world: Alice's applications at every interesting stage -------------------------------------------------


def _named(user, name: str):
    user.first_name, user.last_name = name, ""
    user.save(update_fields=["first_name", "last_name"])
    return user


@pytest.fixture
def world(client, alice, bob, olivia, program, django_capture_on_commit_callbacks) -> SimpleNamespace:
    """Alice's title granted after a declined-and-replaced reviewer, an objection and the committee; her second
    application in review with a reviewer who declined and is not replaced yet; her third returned for correction;
    Bob's waiting for the formal check. The e-mails of all this are in `mail.outbox`."""
    with django_capture_on_commit_callbacks(execute=True):
        return _build_world(client, alice, bob, olivia, program)


def _build_world(client, alice, bob, olivia, program) -> SimpleNamespace:
    _named(olivia, "组织者欧某某")
    jia, yi, bing, ding = (
        _named(staff_user(f"reviewer{n}", Role.REVIEWER), name) for n, name in enumerate(REVIEWER_NAMES)
    )
    inspector = _named(staff_user("inspector", Role.INSPECTOR), "验收员英某某")
    committee = _named(staff_user("committee", Role.COMMITTEE), "委员卡某某")

    granted = submit(client, ApplicationFactory(program=program, enterprise=alice.enterprise))
    in_review = submit(client, ApplicationFactory(program=ProgramFactory(), enterprise=alice.enterprise))
    returned = submit(client, ApplicationFactory(program=ProgramFactory(), enterprise=alice.enterprise))
    bobs = submit(client, ApplicationFactory(program=program, enterprise=bob.enterprise))
    for application in (granted, in_review):
        formal_check(client, olivia, application, "accept")
        assign(client, olivia, application, [jia, yi, bing])
    formal_check(client, olivia, returned, "return", "营业执照复印件缺少公章。")

    decline(client, jia, granted, CONFLICTS[0])
    declined_task = decline(client, jia, in_review, CONFLICTS[1])
    replace(client, olivia, granted, jia, ding)
    for reviewer in (yi, bing, ding):
        score(client, reviewer, granted, points_share=0.95)
    committee_approves(client, committee, granted)
    publish(client, olivia, program)
    granted.refresh_from_db()
    objection = services.objection_file(
        notice=granted.notice,
        application=granted,
        name=OBJECTOR[0],
        phone=OBJECTOR[1],
        statement="该企业曾拒绝为消费者退货，请核实。",
        evidence=check_upload(upload("证据.pdf", pdf_bytes(), "application/pdf")),
    )
    close_notice(granted)
    complete(
        client,
        olivia,
        open_task(granted, "verify_objections"),
        {f"objection-{objection.pk}-upheld": "no", f"objection-{objection.pk}-reason": "经核实，已按规定退货。"},
    )
    granted.refresh_from_db()
    certificate = granted.certificate
    case = workflow_services.case_open(certificate=certificate, user=olivia, grounds="监管部门通报一起价格欺诈。")
    print_job = Job.objects.create(
        kind=JobKind.CERTIFICATES,
        program=program,
        status=JobStatus.DONE,
        done=1,
        total=1,
        filename=f"{program.slug}-certificate.pdf",
        content_type="application/pdf",
        requested_by=olivia,
    )
    print_job.file.save("certificates.pdf", ContentFile(pdf_bytes()), save=True)
    failed_job = Job.objects.create(
        kind=JobKind.LIST, program=program, status=JobStatus.FAILED, error="导出失败。", requested_by=olivia
    )
    name_change = services.name_change_request(
        enterprise=bob.enterprise,
        user=bob,
        new_name="杭州乙商贸集团有限公司",
        licence=check_upload(upload("新营业执照.pdf", pdf_bytes(), "application/pdf")),
    )
    client.logout()
    return SimpleNamespace(
        name_change=name_change,
        users={
            "alice": alice,
            "bob": bob,
            "reviewer": yi,
            "conflicted": jia,
            "inspector": inspector,
            "committee": committee,
            "organizer": olivia,
        },
        program=program,
        evaluation=ProgramFactory(mode="evaluation"),
        granted=granted,
        in_review=in_review,
        returned=returned,
        granted_licence=Attachment.objects.filter(application=granted).first(),
        returned_licence=Attachment.objects.current().filter(application=returned).first(),
        notice=granted.notice,
        objection=Objection.objects.get(pk=objection.pk),
        serial=certificate.serial,
        case=case,
        print_job=print_job,
        failed_job=failed_job,
        declined_review=Review.objects.get(application=in_review, reviewer=jia),
        declined_task=declined_task,
        review_task=review_task(in_review, yi),
        correction_task=open_task(returned, "correction"),
        formal_check_task=open_task(bobs, "formal_check"),
        case_task=Task.objects.get(process__revocationprocess__case=case, flow_task=RevocationFlow.decide),
    )


# --- The walk ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Visit:
    method: str
    path: str
    allowed: bool
    ok: frozenset[int]
    status: int
    location: str
    body: bytes


def _visit(client: Client, method: str, path: str, role: str, case: Case) -> Visit:
    try:
        response = getattr(client, method)(path)
    except Exception as error:  # what would be a 500: say where, and keep the traceback
        raise AssertionError(f"{method.upper()} {path} as {role} failed: {error!r}") from error
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return Visit(method, path, role in case.allowed, case.ok, response.status_code, response.get("Location", ""), body)


def walk(world: SimpleNamespace, role: str) -> list[Visit]:
    """GET every URL as the role; where a refused role gets a 405, POST too, so the refusal itself is checked."""
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    visits = []
    for pattern in url_patterns():
        for case in cases_for(pattern, world):
            path = _fill(pattern.route, case.kwargs)
            reached = resolve(path).route.replace("^", "")
            assert reached == pattern.route.replace("^", ""), f"{path} does not reach {pattern.route}"
            visit = _visit(client, "get", path, role, case)
            visits.append(visit)
            if visit.status == 405 and not visit.allowed:
                visits.append(_visit(client, "post", path, role, case))
    return visits


def _is_login_redirect(visit: Visit) -> bool:
    logins = (reverse("accounts:login"), reverse("admin:login"))
    return visit.status == 302 and visit.location.startswith(logins)


def _is_refusal(visit: Visit, role: str) -> bool:
    if visit.status in (403, 404):
        return True
    if role == "anonymous" or visit.path.startswith(reverse("admin:index")):
        return _is_login_redirect(visit)  # the admin refuses whoever is not staff by asking them to log in
    return False


def _wrongly_served(visits: list[Visit], role: str) -> list[str]:
    return [
        f"{v.method.upper()} {v.path} → {v.status} {v.location}"
        for v in visits
        if not v.allowed and not _is_refusal(v, role) and not (v.status == 405 and v.method == "get")
    ]


def _wrongly_refused(visits: list[Visit]) -> list[str]:
    return [
        f"{v.method.upper()} {v.path} → {v.status} {v.location}"
        for v in visits
        if v.allowed and (v.status not in v.ok or _is_login_redirect(v))
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_address_refuses_whom_it_must_and_serves_whom_it_should(world, role):
    visits = walk(world, role)
    assert _wrongly_served(visits, role) == []
    assert _wrongly_refused(visits) == []


@pytest.mark.parametrize("role", ["alice", "bob", "anonymous"])
def test_no_reviewer_staff_name_or_objector_reaches_an_applicant_or_the_public(world, role):
    leaks = [
        f"{v.method.upper()} {v.path}: {secret}"
        for v in walk(world, role)
        for secret in SECRETS
        if secret.encode() in v.body or secret.encode("unicode_escape") in v.body
    ]
    assert leaks == []


def test_no_reviewer_staff_name_or_objector_reaches_the_applicant_by_mail(world):
    alice = world.users["alice"]
    to_alice = [m for m in mail.outbox if {alice.email, alice.enterprise.contact_email} & set(m.to)]
    assert len(to_alice) >= 4  # returned, result, notice, title granted, case opened
    texts = [m.subject + m.body + "".join(str(content) for content, _type in m.alternatives) for m in to_alice]
    assert [secret for text in texts for secret in SECRETS if secret in text] == []


def test_alice_sees_the_whole_history_of_her_granted_title(world):
    client = Client()
    client.force_login(world.users["alice"])
    page = client.get(reverse("awards:application_detail", args=[world.granted.pk])).content.decode()
    for action in (
        "已分配评审专家",
        "评审专家申报回避（利益冲突）",
        "已更换评审专家",
        "评审专家已提交评审意见",
        "已授予称号",
    ):
        assert action in page


def test_the_walk_knows_every_url_pattern():
    unknown = [p.key for p in url_patterns() if p.namespace != "admin" and p.key not in CASES]
    assert unknown == []
