"""The questionnaire survey (问卷测评) of a sector evaluation: questions, the public link, answers and their guards.

An enterprise's public link carries a token derived from its application id with the site's secret key, so that
it is stable (printed on a QR code in the shop) and unguessable, without a column of its own. Devices and phone
numbers are kept only as keyed hashes: enough to refuse a second answer, never the number itself.
"""

from __future__ import annotations

import datetime
import re
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from awards.models import Application, ProgramMode
from evaluations.models import Aspect, EvaluationPlan, SurveyChannel, SurveyQuestion, SurveyResponse
from evaluations.rule import response_score

# Two or three questions for each default aspect, as associations word them on their paper forms.
DEFAULT_QUESTIONS: dict[str, tuple[str, ...]] = {
    "主体资格": ("经营者亮照亮证、证照齐全", "经营场所与营业执照登记信息一致"),
    "经营行为": ("明码标价，价格公道、无乱收费", "不做虚假宣传，如实介绍商品和服务", "开具发票或购货凭证"),
    "商品质量": ("商品来源可靠、进货渠道正规", "商品质量合格，无过期、变质、假冒商品"),
    "服务质量": ("服务态度热情、耐心", "售后服务承诺兑现"),
    "消费维权": ("落实七日无理由退货或先行赔付承诺", "消费纠纷处理及时、结果满意"),
    "社会评价": ("您对该经营者的总体满意程度", "您愿意向亲友推荐该经营者"),
}
GENERIC_QUESTION = "您对该经营者在“%s”方面的表现是否满意"

MOBILE = re.compile(r"1[3-9]\d{9}")
DEVICE_COOKIE = "survey_device"
DEVICE_COOKIE_MAX_AGE = 5 * 365 * 24 * 3600  # long-lived: it is what tells a second answer from the same phone
TOKEN_LENGTH = 24


class SurveyError(Exception):
    """An answer or change refused, with a message for the person, in their language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class SurveyState:
    OPEN = "open"
    NOT_YET = "not_yet"
    CLOSED = "closed"


# Questions ---------------------------------------------------------------------------------------------------------


def survey_questions_default(plan: EvaluationPlan) -> list[SurveyQuestion]:
    """Give every aspect of the plan without questions its default questions (a generic one for a custom aspect)."""
    created = []
    for aspect in plan.aspects.filter(questions__isnull=True):
        texts = DEFAULT_QUESTIONS.get(aspect.title) or (GENERIC_QUESTION % aspect.title,)
        created += SurveyQuestion.objects.bulk_create(
            SurveyQuestion(aspect=aspect, position=position, text=text) for position, text in enumerate(texts, 1)
        )
    return created


def plan_questions(plan: EvaluationPlan) -> QuerySet[SurveyQuestion]:
    return SurveyQuestion.objects.filter(aspect__plan=plan).select_related("aspect")


def question_add(*, aspect: Aspect, text: str) -> SurveyQuestion:
    last = aspect.questions.aggregate(last=Max("position"))["last"] or 0
    return SurveyQuestion.objects.create(aspect=aspect, position=last + 1, text=text.strip())


def question_change(*, question: SurveyQuestion, text: str) -> SurveyQuestion:
    if question_is_answered(question) and text.strip() != question.text:
        raise SurveyError(_("This question has already been answered; its wording can no longer change."))
    question.text = text.strip()
    question.save(update_fields=["text"])
    return question


def question_is_answered(question: SurveyQuestion) -> bool:
    """Has any answer about an enterprise of the plan included this question (answers are keyed by its id)."""
    return SurveyResponse.objects.filter(
        application__program_id=question.aspect.plan.program_id, answers__has_key=str(question.pk)
    ).exists()


def question_remove(*, question: SurveyQuestion) -> None:
    if question_is_answered(question):
        raise SurveyError(_("This question has already been answered and cannot be removed."))
    question.delete()


# The public link ---------------------------------------------------------------------------------------------------


def _token_digest(application_id: int) -> str:
    return salted_hmac("evaluations.survey.link", str(application_id), algorithm="sha256").hexdigest()[:TOKEN_LENGTH]


def survey_token(application: Application) -> str:
    return f"{application.pk}-{_token_digest(application.pk)}"


def survey_url(application: Application) -> str:
    site = getattr(settings, "SITE_URL", "http://127.0.0.1:8000")
    return site.rstrip("/") + f"/survey/{survey_token(application)}/"


def application_for_token(token: str) -> Application | None:
    """The enrolled application of an evaluation the token was made for, or None for any other string."""
    number, _sep, digest = token.partition("-")
    if not number.isdigit() or not constant_time_compare(digest, _token_digest(int(number))):
        return None
    return (
        Application.objects.filter(pk=int(number), enrolled=True, program__mode=ProgramMode.EVALUATION)
        .select_related("enterprise", "program__evaluation_plan")
        .first()
    )


def survey_state(plan: EvaluationPlan, today: datetime.date | None = None) -> str:
    today = today or timezone.localdate()
    if today < plan.period_start:
        return SurveyState.NOT_YET
    if today > plan.period_end:
        return SurveyState.CLOSED
    return SurveyState.OPEN


# Answers -----------------------------------------------------------------------------------------------------------


def keyed_hash(kind: str, value: str) -> str:
    """A keyed hash (HMAC with the secret key): without the key, a phone number cannot be recovered by trying all."""
    return salted_hmac(f"evaluations.survey.{kind}", value, algorithm="sha256").hexdigest()


def new_device_id() -> str:
    return secrets.token_urlsafe(24)


def normalise_phone(text: str) -> str:
    """An 11-digit mainland mobile number, tolerating spaces, dashes and a +86 prefix; SurveyError otherwise."""
    digits = re.sub(r"[\s\-]", "", text)
    digits = digits.removeprefix("+86").removeprefix("0086")
    if not MOBILE.fullmatch(digits):
        raise SurveyError(_("Enter an 11-digit mainland mobile number starting with 1, e.g. 13800138000."))
    return digits


def device_has_answered(application: Application, device_id: str) -> bool:
    return (
        bool(device_id)
        and SurveyResponse.objects.filter(application=application, device_hash=keyed_hash("device", device_id)).exists()
    )


def already_answered_message() -> str:
    return _("An answer about this enterprise has already been received from this phone or number. Thank you!")


def scored(plan: EvaluationPlan, answers: dict[int, int]) -> tuple[dict[str, str], Decimal]:
    aspect_of, weights = plan_maps(plan)
    aspect_scores, overall = response_score(answers, aspect_of, weights)
    return {str(aspect): str(score) for aspect, score in aspect_scores.items()}, overall


def plan_maps(plan: EvaluationPlan) -> tuple[dict[int, int], dict[int, int]]:
    """Question id → aspect id, and aspect id → weight."""
    aspects = list(plan.aspects.all())
    aspect_of = dict(SurveyQuestion.objects.filter(aspect__plan=plan).values_list("pk", "aspect_id"))
    return aspect_of, {aspect.pk: aspect.weight for aspect in aspects}


def survey_submit(
    *, application: Application, answers: dict[int, int], device_id: str, phone: str = "", today=None
) -> SurveyResponse:
    """Store one online answer; refused outside the period, and a second time from the same device or number."""
    plan = application.program.evaluation_plan
    if survey_state(plan, today) != SurveyState.OPEN:
        raise SurveyError(_("The questionnaire of this evaluation is not open."))
    questions = set(plan_questions(plan).values_list("pk", flat=True))
    if not questions or set(answers) != questions:
        raise SurveyError(_("Answer every question, then submit."))
    device_hash = keyed_hash("device", device_id)
    phone_hash = keyed_hash("phone", normalise_phone(phone)) if phone else ""
    if _already_answered(application, device_hash, phone_hash):
        raise SurveyError(already_answered_message())
    aspect_scores, overall = scored(plan, answers)
    try:
        with transaction.atomic():
            return SurveyResponse.objects.create(
                application=application,
                channel=SurveyChannel.WEB,
                answers={str(question): value for question, value in answers.items()},
                aspect_scores=aspect_scores,
                score=overall,
                device_hash=device_hash,
                phone_hash=phone_hash,
            )
    except IntegrityError:  # two answers at once from the same device or number: the constraint decided
        raise SurveyError(already_answered_message()) from None


def _already_answered(application: Application, device_hash: str, phone_hash: str) -> bool:
    same = SurveyResponse.objects.filter(application=application, device_hash=device_hash)
    if phone_hash:
        same = same | SurveyResponse.objects.filter(application=application, phone_hash=phone_hash)
    return same.exists()


# The organizer's view ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EnterpriseSample:
    application: Application
    answers: int
    below_minimum: bool
    url: str


def enrolled_applications(program, search: str = "") -> QuerySet[Application]:
    """The enterprises of an evaluation in code order; a search finds a code exactly or a part of a name."""
    applications = Application.objects.filter(program=program, enrolled=True)
    if search := search.strip():
        applications = applications.filter(Q(enterprise__uscc=search.upper()) | Q(enterprise__name__contains=search))
    return applications.select_related("enterprise").order_by("enterprise__uscc")


def survey_samples(plan: EvaluationPlan, applications: QuerySet[Application]) -> list[EnterpriseSample]:
    """Each enterprise's number of answers (web and paper) and whether it is below the plan's minimum sample."""
    counted = applications.annotate(answers=Count("survey_responses"))
    return [
        EnterpriseSample(
            application=application,
            answers=application.answers,
            below_minimum=application.answers < plan.min_sample,
            url=survey_url(application),
        )
        for application in counted
    ]
