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

# Brands, platforms and companies the write-ups name, in their right form (reviewed: checked against
# the other places of the text and the owners' own usage). The name detector compares them with the
# running text, quoted or not, so that a misprint of one (顺风快递) is a finding.
BRANDS = [
    "天府通办",
    "蓉易办",
    "欢蓥办",
    "政务大百科",
    "德阳市民通",
    "恩阳跑团",
    "农商银行",
    "四川农信",
    "蜀信e·惠生活",
    "顺丰快递",
]

# Names the source writes in more than one way: (variant, form used, why). The form used is what the
# site shows: in the write-ups the variant is replaced by it; in the table of contents and the write-up
# headings the variant stays as a searchable title alias; a unit's name stays as the notice's attachment
# writes it (the record of who won), with the other form as a unit alias. Where each variant stands is
# found by the importer, and each is also a synonym in cases/search_data/synonyms.txt, so that a reader
# who types either form finds the case.
SPELLING_VARIANTS = [
    (
        "欢荟办",
        "欢蓥办",
        "华蓥市政务服务品牌为“欢蓥办”（取华蓥之“蓥”），通报附件和正文均作“欢蓥办”；目录中的“荟”是形近误字。",
    ),
    (
        "欢荃办",
        "欢蓥办",
        "华蓥市政务服务品牌为“欢蓥办”（取华蓥之“蓥”）；正文标题中的“荃”是形近误字，品牌名以通报附件和正文的“欢蓥办”为准。",
    ),
    (
        "鄯家镇",
        "鄢家镇",
        "罗江区所辖镇的名称是“鄢家镇”（正文亦有一处如此写）；通报附件、目录、署名和正文另一处的“鄯家镇”"
        "是形近误字。获奖单位名称按通报附件原样保留（它是获奖的正式记录），所在乡镇、正文和单位别名用"
        "“鄢家镇”，两种写法都可检索。",
    ),
    (
        "硃碛",
        "硗碛",
        "宝兴县的乡名是“硗碛藏族乡”（硗碛，qiāo qì），夹金山在其境内。正文中的“硃碛”是形近误字"
        "（“硃”不在 GB 2312 字符集内），正文改为“硗碛”，原写法仍可检索。",
    ),
    (
        "硃磧",
        "硗碛",
        "宝兴县的乡名是“硗碛藏族乡”（硗碛，qiāo qì）。正文此处的“硃磧”既有形近误字“硃”，又用了繁体“磧”"
        "（两字都不在 GB 2312 字符集内）；正文改为“硗碛”，原写法仍可检索。",
    ),
    (
        "雅安市政务服务大数据局",
        "雅安市政务服务和大数据局",
        "单位全称以通报附件为准，为“雅安市政务服务和大数据局”；正文漏“和”字，已补上，原写法作为单位别名仍可检索。",
    ),
    (
        "三办两代一回访",
        "三办双代一回访",
        "工作机制的名称在通报附件、目录、正文标题和正文小标题（“双代”拓展延伸便民服务内涵）中都作"
        "“三办双代一回访”，正文背景部分一处作“三办两代一回访”；统一为“三办双代一回访”，原写法仍可检索。",
    ),
    (
        "福祿社区",
        "福禄社区",
        "社区名为“福禄”（通报附件和正文其余各处），此处用了繁体“祿”；改为简体，检索时繁简等同。",
    ),
    (
        "顺风快递",
        "顺丰快递",
        "快递公司的品牌是“顺丰”（顺丰速运），“顺风”是同音误字；正文改为“顺丰快递”，原写法仍可检索。",
    ),
    (
        "上罗分中收",
        "上罗分中心",
        "指珙县政务服务上罗分中心（正文其余各处均作“分中心”），“分中收”是误字；已改正，原写法仍可检索。",
    ),
    (
        "qq群",
        "QQ群",
        "即时通讯软件的名称是大写的“QQ”（正文另一处亦作“QQ”）；检索不分大小写，两种写法都能找到。",
    ),
    (
        "省政务和公共资源交易服务中心",
        "省政务服务和公共资源交易服务中心",
        "发文机关四川省政府政务服务和公共资源交易服务中心的简称，此处漏“服务”二字（其他案例作"
        "“省政务服务和公共资源交易服务中心”）；已补上，原写法仍可检索。",
    ),
    (
        "一事情",
        "一件事",
        "恩阳区案例的小标题“二是‘一事情’一次办”，同段其余各处都作“一件事”（依托省级“一件事”事项清单……"
        "实现“一件事一次办”），“一事情”是漏了“件”的笔误（“一件事情”）；改为“一件事”，原写法仍可检索。",
    ),
    (
        "北川县",
        "北川羌族自治县",
        "北川县的正式名称是北川羌族自治县（案例正文亦如此写）。获奖单位名称按通报附件保留“北川县”，"
        "所在县显示正式名称，单位别名用正式名称，两种写法都可检索。",
    ),
]

# Characters the PDF conversion got wrong inside the write-ups that no parser rule can tell; these are
# corrected in the text. (original, corrected, unit whose write-up it is in, why)
TEXT_FIXES = [
    (
        "“蜀信e?惠生活”",
        "“蜀信e·惠生活”",
        "雅安市政务服务和大数据局",
        "PDF 转换把间隔号“·”变成了问号；四川农信的平台名为“蜀信e·惠生活”。",
    ),
]
