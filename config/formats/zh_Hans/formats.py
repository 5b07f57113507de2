# Django's own zh_Hans input formats use "%n" and "%j", which strptime does not understand,
# so a typed 2027年3月15日 would be rejected. strptime's %m and %d accept unpadded numbers.
DATE_FORMAT = "Y年n月j日"
SHORT_DATE_FORMAT = "Y年n月j日"
DATETIME_FORMAT = "Y年n月j日 H:i"
SHORT_DATETIME_FORMAT = "Y年n月j日 H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "n月j日"
YEAR_MONTH_FORMAT = "Y年n月"
FIRST_DAY_OF_WEEK = 1
DATE_INPUT_FORMATS = [
    "%Y年%m月%d日",  # 2027年3月15日
    "%Y-%m-%d",  # 2027-03-15, also what <input type="date"> sends
    "%Y/%m/%d",  # 2027/3/15
    "%Y.%m.%d",  # 2027.3.15
]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S", "%H时%M分"]
DATETIME_INPUT_FORMATS = [
    "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日 %H时%M分",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",  # <input type="datetime-local">
    "%Y/%m/%d %H:%M",
    "%Y年%m月%d日",
    "%Y-%m-%d",
]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
