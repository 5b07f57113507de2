"""Realistic demo content: districts of Hangzhou and enterprises with valid credit codes."""

from __future__ import annotations

import random

from awards.uscc import ALPHABET, check_character

# GB/T 2260 codes of Hangzhou's districts and counties.
DISTRICTS = [
    ("330102", "上城区"),
    ("330105", "拱墅区"),
    ("330106", "西湖区"),
    ("330108", "滨江区"),
    ("330109", "萧山区"),
    ("330110", "余杭区"),
    ("330111", "富阳区"),
    ("330112", "临安区"),
    ("330113", "临平区"),
    ("330114", "钱塘区"),
    ("330122", "桐庐县"),
    ("330127", "淳安县"),
    ("330182", "建德市"),
]

# (name, district code, GB/T 4754 section, legal representative)
ENTERPRISES = [
    ("杭州湖滨百货有限公司", "330102", "F", "陈建国"),
    ("杭州知味小笼餐饮有限公司", "330102", "H", "周雪梅"),
    ("杭州庆余国药馆有限公司", "330102", "F", "冯立新"),
    ("杭州解放路百货股份有限公司", "330102", "F", "王志强"),
    ("杭州武林大厦商贸有限公司", "330105", "F", "李晓明"),
    ("杭州运河旅游文化发展有限公司", "330105", "R", "赵丽华"),
    ("杭州拱宸桥眼镜有限公司", "330105", "F", "孙文博"),
    ("杭州西湖龙井茶业有限公司", "330106", "A", "吴秀英"),
    ("杭州文三数码电器市场有限公司", "330106", "F", "郑海涛"),
    ("杭州西溪湿地旅游发展有限公司", "330106", "R", "钱玉兰"),
    ("杭州外西湖餐饮实业有限公司", "330106", "H", "沈国平"),
    ("杭州西湖消费维权教育馆有限公司", "330106", "R", "何静"),
    ("杭州滨江物业服务有限公司", "330108", "K", "许振华"),
    ("杭州严选优品贸易有限公司", "330108", "I", "韩宇"),
    ("杭州滨康消费电子有限公司", "330108", "C", "曹明"),
    ("杭州萧山国际机场商业管理有限公司", "330109", "G", "邓丽"),
    ("杭州萧山农副产品物流中心有限公司", "330109", "F", "彭刚"),
    ("杭州湘湖旅游度假区开发有限公司", "330109", "R", "潘美玲"),
    ("杭州余杭星光广场商业管理有限公司", "330110", "L", "蒋伟"),
    ("杭州良渚文化村商业有限公司", "330110", "K", "蔡晓燕"),
    ("杭州未来科技城人才公寓管理有限公司", "330110", "K", "丁浩"),
    ("杭州富春江茶叶有限公司", "330111", "A", "魏红"),
    ("杭州富阳富春山居酒店有限公司", "330111", "H", "薛文"),
    ("杭州临安山核桃炒货有限公司", "330112", "C", "叶青"),
    ("杭州天目山旅游开发有限公司", "330112", "R", "阎涛"),
    ("杭州临平汽车销售服务有限公司", "330113", "F", "余斌"),
    ("杭州临平家居广场有限公司", "330113", "F", "杜娟"),
    ("杭州钱塘新区奥特莱斯商业有限公司", "330114", "F", "戴军"),
    ("杭州下沙大学城超市有限公司", "330114", "F", "夏天"),
    ("桐庐富春江药业有限公司", "330122", "C", "钟华"),
    ("淳安千岛湖山泉饮用水有限公司", "330127", "C", "汪洋"),
    ("淳安千岛湖鱼味馆餐饮有限公司", "330127", "H", "田丰"),
    ("建德新安江旅游有限公司", "330182", "R", "任芳"),
    ("杭州𡃁仔记烧腊餐饮有限公司", "330102", "H", "黄𡃁"),
    ("杭州钱塘江文化展示馆有限公司", "330114", "R", "江涛"),
    ("杭州余杭消费者权益科普馆有限公司", "330110", "R", "罗敏"),
]


def demo_uscc(index: int, district_code: str) -> str:
    """A valid code for the index-th demo enterprise: 9 (market regulation), 1 (company), region, org code."""
    rng = random.Random(f"award315-demo-{index}")
    organisation = "".join(rng.choice(ALPHABET) for _ in range(9))
    first17 = f"91{district_code}{organisation}"
    return first17 + check_character(first17)


def demo_seal_png(size: int = 600) -> bytes:
    """A red seal for the demo programmes: a ring, a star and the issuing body, on a transparent background."""
    import io
    import math

    from PIL import Image, ImageDraw, ImageFont

    red = (200, 16, 46, 235)
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((12, 12, size - 12, size - 12), outline=red, width=size // 25)
    centre, outer, inner = size / 2, size * 0.14, size * 0.055
    star = [
        (
            centre + (outer if i % 2 == 0 else inner) * math.sin(i * math.pi / 5),
            centre - (outer if i % 2 == 0 else inner) * math.cos(i * math.pi / 5),
        )
        for i in range(10)
    ]
    draw.polygon(star, fill=red)
    try:
        font = ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", size // 14)
    except OSError:  # without the CJK font the seal keeps its ring and star
        font = None
    if font:
        text = "消费者权益保护委员会"
        width = draw.textlength(text, font=font)
        draw.text((centre - width / 2, centre + size * 0.2), text, fill=red, font=font)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


# A county's farm-supplies dealers (农资经营单位) for the sector evaluation of the demo: (shop name, town).
FARM_DEALER_TOWNS = (
    "千岛湖镇",
    "文昌镇",
    "石林镇",
    "临岐镇",
    "威坪镇",
    "姜家镇",
    "梓桐镇",
    "汾口镇",
    "中洲镇",
    "大墅镇",
)
FARM_DEALER_KINDS = ("农资经营部", "农资店", "种子门市部", "化肥农药经营部")
EVALUATION_SIZE = 40


def evaluation_demo(*, organizer, year: int) -> object:
    """An evaluation programme of Chun'an county's farm-supplies dealers, graded: its plan, 40 enrolled dealers,
    questionnaires (two dealers below the minimum sample), one hearing, supervision records with one veto, and one
    grading run. Idempotent: a programme that already has its plan is left as it is."""
    import datetime
    from decimal import Decimal

    from django.utils import timezone

    from awards.enrolment import EnrolmentRow
    from awards.models import Program, ProgramKind, ProgramMode
    from evaluations.grading import grading_run
    from evaluations.models import (
        EvaluationPlan,
        HearingPanelist,
        HearingScore,
        HearingSession,
        SupervisionRecord,
        SurveyQuestion,
        SurveyResponse,
    )
    from evaluations.plan import plan_create
    from evaluations.rule import response_score
    from workflows.services import enrolment_import

    now = timezone.now()
    today = timezone.localdate(now)
    program, _created = Program.objects.get_or_create(
        slug=f"farm-supplies-{year}",
        defaults={
            "title": f"{year}年度淳安县农资经营单位诚信综合评议",
            "kind": ProgramKind.HONEST_BUSINESS,
            "mode": ProgramMode.EVALUATION,
            "year": year,
            "issuing_body": "淳安县市场监督管理局、淳安县消费者权益保护委员会",
            "opens_at": now - datetime.timedelta(days=300),
            # Deadlines fall at five in the afternoon, Beijing time, as the other demo programmes'.
            "closes_at": timezone.make_aware(
                datetime.datetime.combine(today - datetime.timedelta(days=10), datetime.time(17))
            ),
            "serial_prefix": "NZ",
        },
    )
    if EvaluationPlan.objects.filter(program=program).exists():
        return program
    plan = plan_create(
        program=program, period_start=today - datetime.timedelta(days=330), period_end=today, min_sample=20
    )
    rows = [
        EnrolmentRow(
            row_number=n + 2,
            name=f"淳安县{FARM_DEALER_TOWNS[n % 10]}{'永丰兴农惠民金穗田园绿源丰收'[n % 12 :][:2]}"
            f"{FARM_DEALER_KINDS[n % 4]}",
            uscc=demo_uscc(600 + n, "330127"),
            district_code="330127",
            industry_code="F",
            contact_name="经营者",
            contact_phone=f"1385710{n:04d}",
        )
        for n in range(EVALUATION_SIZE)
    ]
    applications = enrolment_import(program=program, user=organizer, rows=rows)
    aspects = list(plan.aspects.all())
    # A farm-supplies questionnaire in the sector's own words, in place of the default one the plan came with.
    SurveyQuestion.objects.filter(aspect__plan=plan).delete()
    questions = SurveyQuestion.objects.bulk_create(
        [
            SurveyQuestion(aspect=aspect, position=1, text=text)
            for aspect, text in zip(
                aspects,
                (
                    "营业执照、农药经营许可证等证照齐全并亮照经营",
                    "明码标价，开具购货凭证，建立进销台账",
                    "所售种子、化肥、农药质量可靠，无假冒伪劣",
                    "对农户讲解用法用量，服务态度好",
                    "出现质量纠纷时积极协商、及时赔偿",
                    "在当地农户中口碑良好，愿意推荐",
                ),
                strict=True,
            )
        ]
    )
    aspect_of = {question.pk: question.aspect_id for question in questions}
    weights = {aspect.pk: aspect.weight for aspect in aspects}
    rng = random.Random(315)
    responses = []
    for n, application in enumerate(applications):
        quality = 2.2 + 2.8 * rng.random()  # the dealer's typical answer on the five-point scale
        for k in range(8 if n in (7, 23) else 24):  # two dealers below the minimum sample of 20
            answers = {q.pk: min(5, max(1, round(rng.gauss(quality, 0.6)))) for q in questions}
            aspect_scores, score = response_score(answers, aspect_of, weights)
            responses.append(
                SurveyResponse(
                    application=application,
                    channel="paper",
                    answers={str(pk): value for pk, value in answers.items()},
                    aspect_scores={str(pk): str(value) for pk, value in aspect_scores.items()},
                    score=score,
                    paper_reference=f"NZ-{n + 1:03d}-{k + 1:02d}",
                    entered_by=organizer,
                )
            )
    SurveyResponse.objects.bulk_create(responses)
    session = HearingSession.objects.create(
        program=program,
        held_on=today - datetime.timedelta(days=30),
        place="淳安县市场监督管理局三楼会议室",
        created_by=organizer,
    )
    panel = HearingPanelist.objects.bulk_create(
        [
            HearingPanelist(session=session, name=name, role=role)
            for name, role in (
                ("农户代表 方建华", "consumer"),
                ("县人大代表 余春燕", "deputy"),
                ("县农业农村局 农技专家 胡志明", "expert"),
                ("县消保委 徐丽", "association"),
            )
        ]
    )
    HearingScore.objects.bulk_create(
        [
            HearingScore(panelist=p, application=a, aspect=aspect, points=Decimal(rng.randint(55, 98)))
            for a in applications[:12]
            for p in panel
            for aspect in aspects
        ]
    )
    records = [
        (applications[3], "complaint", "general", "农户投诉所购复合肥结块，经协商已退货"),
        (applications[5], "complaint", "minor", "未按规定开具购货凭证"),
        (applications[9], "inspection", "general", "农药经营台账记录不全，责令整改"),
        (applications[14], "mystery_shopping", "general", "消费体验：未主动告知农药安全间隔期"),
        (applications[18], "follow_up", "minor", "回访：整改已落实"),
        (applications[21], "penalty", "serious", "销售假种子，被处以罚款并没收违法所得"),
    ]
    SupervisionRecord.objects.bulk_create(
        [
            SupervisionRecord(
                application=a,
                kind=kind,
                severity=severity,
                occurred_on=today - datetime.timedelta(days=60 + 20 * n),
                summary=summary,
                reference=f"淳市监〔{year - 1}〕{n + 11}号",
                recorded_by=organizer,
            )
            for n, (a, kind, severity, summary) in enumerate(records)
        ]
    )
    grading_run(program, organizer)
    return program
