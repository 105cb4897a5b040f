"""Hand-reviewed editorial data: themes assigned by reading each case, and the source's variant
spellings and conversion errors with the reason for each correction."""

# (slug, name, description)
THEMES = [
    ("finance", "政务+金融", "便民服务中心与农商行、农信社等合作，把金融服务带到镇村。"),
    ("government-plus", "政务服务+", "把政务服务与电商、物流、社工、旅游等服务融合在一处。"),
    ("one-thing-once", "一件事一次办", "把多个关联事项集成为“一件事”，一次办好。"),
    ("assisted-service", "帮办代办", "干部、代办员上门或代跑，为群众和企业帮办代办。"),
    ("online-service", "一网通办", "网上办、掌上办，数据多跑路、群众少跑腿。"),
    ("single-window", "综合窗口", "“一窗受理、集成服务”的综合窗口改革。"),
    ("devolution", "事项下沉", "把审批服务事项下放到镇（街道）、村（社区）办理。"),
    ("smart-service", "智慧/自助服务", "自助终端、智慧平台、24 小时自助服务。"),
    ("ethnic-areas", "民族地区服务", "彝区、藏区的双语服务和因地制宜的办事方式。"),
    ("industry-service", "产业+便民服务", "围绕特色产业和园区企业提供便民服务。"),
    ("community-governance", "社区治理", "便民服务与社区、网格治理相结合。"),
    ("standardization", "标准化规范化", "便民服务中心的标准化、规范化、便利化（“三化”）建设。"),
    ("people-friendly", "亲民化改造", "拆除隔离柜台、开放式服务等亲民化建设。"),
    ("approval-reform", "审批制度创新", "告知承诺、一枚印章管审批、委托审批等审批改革。"),
    ("party-building", "党建引领", "以党建引领便民服务和基层治理。"),
    ("oversight", "效能监督", "好差评、督查通报、领导干部进大厅等效能监督。"),
]

# (tier slug, number in the attachment) -> theme slugs, most characteristic first.
CASE_THEMES = {
    ("best", 1): ["devolution", "assisted-service", "industry-service"],
    ("best", 2): ["single-window", "smart-service", "standardization", "devolution", "online-service"],
    ("best", 3): ["online-service", "standardization", "devolution", "assisted-service", "government-plus"],
    ("best", 4): ["one-thing-once", "standardization"],
    ("best", 5): ["single-window", "one-thing-once", "assisted-service", "industry-service", "finance"],
    ("best", 6): ["government-plus", "finance", "industry-service", "party-building"],
    ("best", 7): ["standardization", "single-window", "approval-reform", "online-service", "devolution"],
    ("best", 8): ["one-thing-once", "online-service"],
    ("best", 9): ["finance", "assisted-service", "industry-service", "government-plus"],
    ("best", 10): ["ethnic-areas", "single-window", "assisted-service"],
    ("excellent", 1): ["devolution", "approval-reform", "standardization"],
    ("excellent", 2): ["devolution", "standardization", "one-thing-once", "assisted-service"],
    ("excellent", 3): ["devolution", "approval-reform", "oversight"],
    ("excellent", 4): ["community-governance", "government-plus"],
    ("excellent", 5): ["government-plus", "finance", "community-governance"],
    ("excellent", 6): ["approval-reform"],
    ("excellent", 7): ["finance", "smart-service"],
    ("excellent", 8): ["smart-service", "single-window", "community-governance"],
    ("excellent", 9): ["single-window", "assisted-service"],
    ("excellent", 10): ["assisted-service", "industry-service"],
    ("excellent", 11): ["government-plus", "finance", "industry-service"],
    ("excellent", 12): ["one-thing-once", "online-service", "standardization"],
    ("excellent", 13): ["people-friendly", "community-governance"],
    ("excellent", 14): ["community-governance", "party-building"],
    ("excellent", 15): ["party-building", "standardization", "single-window"],
    ("excellent", 16): ["devolution", "assisted-service", "online-service", "industry-service"],
    ("excellent", 17): ["community-governance", "party-building", "people-friendly"],
    ("excellent", 18): ["standardization", "single-window"],
    ("excellent", 19): ["government-plus", "finance", "industry-service"],
    ("excellent", 20): ["assisted-service", "industry-service"],
    ("excellent", 21): ["community-governance", "devolution"],
    ("excellent", 22): ["online-service", "standardization"],
    ("excellent", 23): ["standardization", "single-window", "smart-service", "approval-reform"],
    ("excellent", 24): ["assisted-service", "online-service"],
    ("excellent", 25): ["government-plus", "finance", "ethnic-areas", "assisted-service"],
    ("excellent", 26): ["ethnic-areas", "assisted-service", "oversight"],
    ("excellent", 27): ["people-friendly", "standardization", "single-window"],
    ("excellent", 28): ["standardization", "oversight"],
    ("excellent", 29): ["assisted-service", "single-window"],
    ("excellent", 30): ["industry-service", "assisted-service", "finance"],
    ("excellent", 31): ["oversight"],
    ("excellent", 32): ["ethnic-areas", "online-service", "finance"],
    ("excellent", 33): ["industry-service", "finance", "government-plus"],
    ("excellent", 34): ["government-plus", "finance", "industry-service"],
}

# Spellings in the source that differ from the form used for display.
# (variant, form used, why); where each variant stands is found by the importer.
SPELLING_VARIANTS = [
    (
        "欢荟办",
        "欢蓥办",
        "华蓥市政务服务品牌为“欢蓥办”（取华蓥之“蓥”），通报附件和正文均作“欢蓥办”；目录中的“荟”是形近误字。",
    ),
    (
        "欢荃办",
        "欢蓥办",
        "同上：正文标题中的“荃”是形近误字，品牌名以通报附件和正文的“欢蓥办”为准。",
    ),
    (
        "鄢家镇",
        "鄯家镇",
        "通报附件、目录和署名均作“鄯家镇”，正文一处作“鄢家镇”。获奖单位名称以通报附件为准；"
        "罗江区所辖镇的规范名称是“鄢家镇”，附件写法可能有误，两种写法都可检索，待核实后由编辑更正。",
    ),
    (
        "硃磧",
        "硃碛",
        "正文其余各处均作“硃碛”，此处“磧”为繁体写法；正文保留原样，检索时两种写法等同。",
    ),
    (
        "雅安市政务服务大数据局",
        "雅安市政务服务和大数据局",
        "单位全称以通报附件为准，为“雅安市政务服务和大数据局”，正文漏“和”字；正文保留原样，该写法作为单位别名可检索。",
    ),
]

# Characters the PDF conversion got wrong inside the write-ups; these are corrected in the text.
# (original, corrected, unit whose write-up it is in, why)
TEXT_FIXES = [
    (
        "甘孜是涉藏工作重点地区 and 新中国建立的",
        "甘孜是涉藏工作重点地区和新中国建立的",
        "甘孜藏族自治州行政审批局",
        "PDF 转换把连词“和”变成了英文“and”。",
    ),
    (
        "“蜀信e?惠生活”",
        "“蜀信e·惠生活”",
        "雅安市政务服务和大数据局",
        "PDF 转换把间隔号“·”变成了问号；四川农信的平台名为“蜀信e·惠生活”。",
    ),
]
