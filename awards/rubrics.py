"""Default rubrics of 100 points, copied into a new programme where the organizer may edit them.

They are content, written in the language of the programmes, not interface text.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from awards.models import ProgramKind


class RubricItem(NamedTuple):
    aspect: str
    title: str
    guidance: str
    max_points: Decimal
    is_veto: bool = False


def _item(aspect: str, title: str, guidance: str, points: int) -> RubricItem:
    return RubricItem(aspect, title, guidance, Decimal(points))


def _veto(aspect: str, title: str, guidance: str) -> RubricItem:
    return RubricItem(aspect, title, guidance, Decimal(0), is_veto=True)


HONEST_BUSINESS = (
    _item("资质合规", "证照齐全有效，依法登记、依法纳税", "营业执照及行业许可证齐全有效；无违法经营记录。", 10),
    _item("诚信经营", "公开服务承诺，合同规范，无虚假宣传和价格欺诈", "查阅服务承诺、格式合同和广告宣传材料。", 12),
    _item("诚信经营", "建立并落实诚信经营管理制度", "有专人负责，制度落实有记录。", 8),
    _item("商品和服务质量", "商品和服务质量符合标准，抽检合格", "近两年监督抽检合格率；质量管理体系。", 12),
    _item("商品和服务质量", "落实进货查验、索证索票和三包制度", "台账完整、可追溯。", 8),
    _item("明码标价与计量", "明码标价规范，计量器具按期检定", "现场检查标价签和计量器具检定证书。", 15),
    _item(
        "投诉处理",
        "设立投诉渠道，投诉按时办结，消费者满意",
        "12315 投诉按时办结率和和解率；先行赔付、无理由退货承诺。",
        15,
    ),
    _item("社会责任与承诺践诺", "履行社会责任，兑现对消费者的承诺", "公益活动、消费维权宣传、承诺践诺情况。", 20),
    _veto(
        "一票否决",
        "近两年内发生严重侵害消费者权益行为、重大质量安全事故或受到重大行政处罚",
        "经查实存在上述情形之一的，直接评为 D 级。",
    ),
)

EDUCATION_BASE = (
    _item("场地设施", "有固定的宣传教育场所和必要的展示、演示设施", "场地面积、展板、多媒体设备、无障碍设施。", 20),
    _item("教育内容与展陈", "消费维权知识内容准确、通俗，定期更新", "展陈内容覆盖法律法规、消费提示和典型案例。", 15),
    _item("教育内容与展陈", "开展消费体验、互动讲解和专题活动", "年度活动计划与记录。", 10),
    _item("开放与服务", "定期向公众免费开放，接待团体参观", "开放时间公示；年接待人次。", 20),
    _item("管理与人员", "有专（兼）职讲解和管理人员，制度健全", "人员名单、培训记录、管理制度。", 15),
    _item("安全保障", "场所安全、消防、应急预案符合要求", "消防验收、应急演练记录。", 10),
    _item("社会影响", "社会效果良好，群众认可度高", "媒体报道、参观者评价。", 10),
    _veto(
        "一票否决",
        "近两年内发生重大安全事故、重大质量事故或严重侵害消费者权益事件",
        "经查实存在上述情形之一的，直接评为 D 级。",
    ),
)

DEFAULT_RUBRICS: dict[str, tuple[RubricItem, ...]] = {
    ProgramKind.HONEST_BUSINESS: HONEST_BUSINESS,
    ProgramKind.EDUCATION_BASE: EDUCATION_BASE,
}
