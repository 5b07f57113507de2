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
