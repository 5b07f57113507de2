"""Move demo applications through the review flow with the same services and tasks that the screens use."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from viewflow.workflow.models import Task

from awards import services
from awards.models import Application, AttachmentKind, Notice, Review
from awards.uploads import check_upload
from jobs.periodic import run_periodic_work
from workflows.flows import ReviewFlow
from workflows.services import application_submit, notice_publish, open_task
from workflows.tasks import task_complete


@dataclass
class Staff:
    organizer: object
    reviewers: list
    inspector: object
    committee: object


class Stager:
    """Each method advances one application by one step, exactly as a person would on the screens."""

    def __init__(self, staff: Staff, pdf: bytes) -> None:
        self.staff = staff
        self.pdf = pdf

    def fill(self, application: Application, share: Decimal = Decimal("0.9")) -> None:
        user = application.enterprise.account
        assessments = {
            criterion.pk: services.AssessmentInput(
                veto_applies=False if criterion.is_veto else None,
                points=None if criterion.is_veto else (criterion.max_points * share).quantize(Decimal("0.1")),
                note="自评依据见附件。",
            )
            for criterion in application.program.criteria.all()
        }
        services.application_save_draft(
            application=application,
            user=user,
            summary=f"{application.enterprise.name}坚持诚信经营，建立了完善的消费投诉处理机制，近三年投诉按时办结率100%。",
            commitment_accepted=True,
            assessments=assessments,
        )
        upload = check_upload(SimpleUploadedFile("营业执照.pdf", self.pdf, content_type="application/pdf"))
        services.attachment_add(application=application, user=user, kind=AttachmentKind.BUSINESS_LICENCE, upload=upload)

    def submit(self, application: Application) -> None:
        self.fill(application)
        application_submit(application=application, user=application.enterprise.account)

    def _do(self, application: Application, node, user, action) -> None:
        task_complete(task=open_task(application, node), user=user, action=action)

    def formal(self, application: Application, decision: str, reason: str = "") -> None:
        self._do(
            application,
            ReviewFlow.formal_check,
            self.staff.organizer,
            lambda: services.formal_check_decide(
                application=application, user=self.staff.organizer, decision=decision, reason=reason
            ),
        )

    def assign(self, application: Application, reviewers=None) -> None:
        reviewers = reviewers or self.staff.reviewers[:3]
        self._do(
            application,
            ReviewFlow.assign_reviewers,
            self.staff.organizer,
            lambda: services.reviewers_assign(
                application=application,
                user=self.staff.organizer,
                reviewer_ids=[r.pk for r in reviewers],
                due_at=timezone.now() + datetime.timedelta(days=services.DEFAULT_REVIEW_DAYS),
            ),
        )

    def score(self, application: Application, reviewer, share: Decimal, veto: bool = False) -> None:
        scores = {
            c.pk: services.ScoreInput(veto_applies=veto)
            if c.is_veto
            else services.ScoreInput(points=(c.max_points * share).quantize(Decimal("0.1")))
            for c in application.program.criteria.all()
        }
        task = Task.objects.get(
            process__applicationprocess__application=application, flow_task=ReviewFlow.review, owner=reviewer
        )
        review = Review(pk=task.data["review_id"])  # review_submit reads it afresh under its row lock
        task_complete(
            task=task,
            user=reviewer,
            action=lambda: services.review_submit(
                review=review, scores=scores, comment="材料翔实，现场情况与申报一致。"
            ),
        )

    def review(self, application: Application, shares=(Decimal("0.95"), Decimal("0.92"), Decimal("0.97")), veto=False):
        self.assign(application)
        for reviewer, share in zip(self.staff.reviewers[:3], shares, strict=True):
            self.score(application, reviewer, share, veto=veto)

    def inspect(self, application: Application, passed: bool, notes: str) -> None:
        self._do(
            application,
            ReviewFlow.inspection,
            self.staff.inspector,
            lambda: services.inspection_record(
                application=application,
                user=self.staff.inspector,
                inspected_on=timezone.localdate(),
                passed=passed,
                notes=notes,
                photos=[],
            ),
        )

    def decide(self, application: Application, approved: bool = True, reason: str = "") -> None:
        self._do(
            application,
            ReviewFlow.committee,
            self.staff.committee,
            lambda: services.committee_decide(
                application=application, user=self.staff.committee, approved=approved, reason=reason
            ),
        )

    def publish(self, program, kind: str = "honours") -> Notice:
        return notice_publish(program=program, user=self.staff.organizer, kind=kind)

    def close_in_the_past(self, notice: Notice) -> None:
        """Let a notice have run its course already: move it back in time and fire the timers now due."""
        shift = notice.closes_at - timezone.now() + datetime.timedelta(hours=1)
        Notice.objects.filter(pk=notice.pk).update(
            published_at=notice.published_at - shift, closes_at=notice.closes_at - shift
        )
        Task.objects.filter(
            process__applicationprocess__application__notice=notice, flow_task=ReviewFlow.notice_period
        ).update(scheduled=timezone.now() - datetime.timedelta(minutes=1))
        run_periodic_work()

    def object(self, application: Application, statement: str) -> None:
        services.objection_file(
            notice=application.notice,
            application=application,
            name="王小明",
            phone="13912345678",
            statement=statement,
        )

    def open_case(self, certificate, grounds: str):
        from workflows.services import case_open

        return case_open(certificate=certificate, user=self.staff.organizer, grounds=grounds)

    def decide_case(self, case, *, revoke: bool, reason: str) -> None:
        from certificates import services as certificate_services
        from workflows.revocation import RevocationFlow

        task = Task.objects.get(process__revocationprocess__case=case, flow_task=RevocationFlow.decide)
        task_complete(
            task=task,
            user=self.staff.committee,
            action=lambda: certificate_services.case_decide(
                case=case, user=self.staff.committee, revoke=revoke, reason=reason
            ),
        )


def staff_users() -> Staff:
    User = get_user_model()
    return Staff(
        organizer=User.objects.get(username="organizer"),
        reviewers=list(User.objects.filter(username__startswith="reviewer").order_by("username")),
        inspector=User.objects.get(username="inspector"),
        committee=User.objects.get(username="committee"),
    )
