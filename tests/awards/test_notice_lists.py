"""The database holds the notice's attachment lists exactly.

The expected lists below were transcribed by hand from the notice's attachments 1-3 (the official
record of who won what), independently of the parser; half-width punctuation in a few titles of
附件1 is written full-width here, as the importer records in its errata.
"""

import pytest

from awards.models import AwardTier, OrganizingAward, Prefecture, Unit
from cases.models import Case

BEST = [
    ("成都市青白江区行政审批和营商环境建设局", "创新“镇区合一”服务模式 实现“办事不出功能区”", "510100"),
    ("成都市成华区行政审批局", "提能增效抓好“三化”试点 擦亮成华政务服务品牌", "510100"),
    ("攀枝花市米易县行政审批局", "“三化+网络化”让便民服务更有宽度和温度", "510400"),
    ("泸州市合江县行政审批局", "推行“29+X”清单管理，实现政务服务“一件事一次办”", "510500"),
    ("德阳市罗江区鄯家镇便民服务中心", "聚焦三化建设，打造便民之家", "510600"),
    ("绵阳市政务服务监督管理局", "探索推进“政务+”模式 实现小平台大服务", "510700"),
    ("遂宁市射洪市行政审批局", "奋力书写两项改革“后半篇”文章 扎实推进便民服务中心标准化建设", "510900"),
    ("眉山市彭山区行政审批局", "眉山市彭山区实现“出生一件事”联办服务", "511400"),
    ("雅安市名山区行政审批局", "聚焦政务服务+金融 培育“三化”建设新品牌", "511800"),
    ("凉山州雷波县政务服务管理局", "创设“彝路相伴”综窗打通彝乡群众办事服务“最后一程”", "513400"),
]

EXCELLENT = [
    ("成都市都江堰市行政审批局", "事项下沉镇街 实现仅跑一次", "510100"),
    ("自贡市贡井区行政审批局", "规范便民服务事项清单推进便民服务事项下沉", "510300"),
    ("自贡市自流井区行政审批局", "稳步推进“三化”建设，提升便民服务能力", "510300"),
    ("攀枝花市西区河门口街道办事处", "河门口街道探索便民服务+社区治理模式", "510400"),
    ("泸州市江阳区行政审批局", "创新“政务+”服务，打通便民惠企通道", "510500"),
    ("泸州市龙马潭区行政审批局", "创新推行同址同业主体变更告知承诺制", "510500"),
    ("德阳市政务服务和大数据管理局", "德阳市做实“政务+金融”服务赋能基层民生", "510600"),
    ("绵阳市安州区河清镇便民服务中心", "强化科技赋能，探索“智慧+便民服务”", "510700"),
    ("绵阳市北川县擂鼓镇", "只进一扇门，一次办好多件事", "510700"),
    ("广元市朝天区中子镇人民政府便民服务中心", "加强帮办代办，解决便企利民“最后一米”", "510800"),
    ("遂宁市船山区行政审批局", "创新“政务服务+”拓宽便民服务路", "510900"),
    ("遂宁市大英县行政审批局", "做实“企业幸福中心”助推“一件事一次办”", "510900"),
    ("内江市市中区行政审批局", "内江市“三部曲”推进“亲民化建设”", "511000"),
    ("内江市隆昌市响石镇人民政府", "“中心+社区”融合 1+1>2", "511000"),
    ("内江市威远县行政审批局", "创新“12345”新机制 打造便民服务新平台", "511000"),
    ("乐山市井研县行政审批局", "办事不出村 服务零距离", "511100"),
    ("乐山市沙湾区福禄镇福禄社区", "创新“便民服务+”提升服务效能", "511100"),
    ("南充市顺庆区双桥镇人民政府便民服务中心", "南充市顺庆区双桥镇三措并举助力便民服务“结硕果”", "511300"),
    ("眉山市青神县行政审批局", "青神县完善镇村便民服务体系，打造“青易办”", "511400"),
    ("宜宾市筠连县腾达镇春风村党委", "建立“三办双代一回访”工作机制，打通服务群众“最后一米”", "511500"),
    ("宜宾珙县行政审批和非公经济发展局", "创新“三定法”依托政务服务分中心走出“服务”到“治理”之路", "511500"),
    ("广安市华蓥市行政审批局", "一网通办“通民心”，政务服务“欢蓥办”", "511600"),
    ("广安市武胜县行政审批局", "用“三化”促“四化”，打响服务新快板", "511600"),
    ("达州市开江县行政审批局", "干部“跑起来”帮代办 群众“开心办·满意归”", "511700"),
    ("雅安市政务服务和大数据局", "雅安市全面创新“政务服务+”助力基层发展驶入“快车道”", "511800"),
    ("雅安市宝兴县行政审批局", "聚焦“藏汉双语”服务 铸牢民族团结共同体意识", "511800"),
    ("巴中市恩阳区政务服务和公共资源交易服务中心", "做实“一站式”服务 推进便民服务提档升级", "511900"),
    ("巴中市通江县政务服务和公共资源交易服务中心", "加强窗口保障，持续推进便民服务建设", "511900"),
    ("资阳市乐至县劳动镇便民服务中心", "“一心多级”打通便民服务最后一米", "512000"),
    ("资阳市雁江区行政审批局", "丰裕镇“便民服务+柑橘产业”让群众日子甜起来", "512000"),
    ("阿坝州小金县行政审批局", "“三长”进大厅，服务更贴心", "513200"),
    ("甘孜藏族自治州行政审批局", "结合实际拓展办事途径 提升群众满意度", "513300"),
    ("凉山州西昌市大兴乡便民服务中心", "便民服务“连心桥”助力农民产业再增收", "513400"),
    ("凉山州西昌市礼州镇便民服务中心", "创新“政务服务+”礼州便民服务再升级", "513400"),
]

ORGANIZING = [
    ("成都市政务服务和网络理政办公室", "510100"),
    ("泸州市政务服务和非公经济发展局", "510500"),
    ("绵阳市政务服务监督管理局", "510700"),
    ("遂宁市政务服务和大数据管理局", "510900"),
    ("内江市政务服务中心", "511000"),
    ("乐山市营商环境服务管理局", "511100"),
    ("宜宾市政务服务和非公经济发展局", "511500"),
    ("达州市政务服务管理局", "511700"),
    ("雅安市政务服务和大数据局", "511800"),
    ("资阳市政务服务和大数据管理局", "512000"),
    ("阿坝州政府政务服务中心", "513200"),
    ("凉山州政务服务管理局", "513400"),
]


@pytest.mark.parametrize(("tier", "expected"), [("best", BEST), ("excellent", EXCELLENT)])
def test_case_lists_match_the_notice(library, tier, expected):
    cases = Case.objects.filter(tier__slug=tier).select_related("unit__prefecture").order_by("number")
    actual = [(c.number, c.unit.name, c.title, c.unit.prefecture.code) for c in cases]
    assert actual == [(n, *row) for n, row in enumerate(expected, start=1)]


def test_organizing_awards_match_the_notice(library):
    awards = OrganizingAward.objects.select_related("unit__prefecture").order_by("order")
    assert [(a.order, a.unit.name, a.unit.prefecture.code) for a in awards] == [
        (n, *row) for n, row in enumerate(ORGANIZING, start=1)
    ]


def test_tiers_and_declared_counts(library):
    tiers = {t.slug: t for t in AwardTier.objects.all()}
    assert {slug: (t.name, t.attachment_number, t.declared_count) for slug, t in tiers.items()} == {
        "best": ("最佳案例", 1, 10),
        "excellent": ("优秀案例", 2, 34),
        "organizing": ("优秀组织单位", 3, 12),
    }
    assert Case.objects.filter(tier=tiers["best"]).count() == 10
    assert Case.objects.filter(tier=tiers["excellent"]).count() == 34
    assert tiers["organizing"].organizing_awards.count() == 12


def test_notice_record(library):
    assert library.number == "川政公函〔2022〕35号"
    assert library.issuer == "四川省政府政务服务和公共资源交易服务中心"
    assert library.issued_on.isoformat() == "2022-01-26"
    assert library.year == 2021
    assert library.title == "关于对2021年镇村便民服务“三化”建设最佳案例、优秀案例、优秀组织单位的通报"
    assert "予以通报" in library.text and library.text.endswith("2022年1月26日")


def test_all_21_prefectures_with_gbt2260_codes(library):
    prefectures = list(Prefecture.objects.order_by("code"))
    assert len(prefectures) == 21
    liangshan = Prefecture.objects.get(code="513400")
    assert (liangshan.name, liangshan.full_name, liangshan.short_name, liangshan.kind) == (
        "凉山州",
        "凉山彝族自治州",
        "凉山",
        "autonomous",
    )
    assert Prefecture.objects.get(code="510100").name == "成都市"
    # Every prefecture of Sichuan has at least one case in this notice.
    assert all(p.units.filter(cases__isnull=False).exists() for p in prefectures)


def test_unit_with_both_a_case_and_an_organizing_award(library):
    yaan = Unit.objects.get(name="雅安市政务服务和大数据局")
    assert yaan.cases.count() == 1 and yaan.organizing_awards.count() == 1
    assert yaan.level == Unit.Level.PREFECTURE and yaan.county == ""


@pytest.mark.parametrize(
    ("name", "county", "township", "level"),
    [
        ("成都市青白江区行政审批和营商环境建设局", "青白江区", "", "county"),
        ("攀枝花市米易县行政审批局", "米易县", "", "county"),
        ("德阳市罗江区鄯家镇便民服务中心", "罗江区", "鄢家镇", "township"),
        ("绵阳市北川县擂鼓镇", "北川羌族自治县", "擂鼓镇", "township"),
        ("宜宾市筠连县腾达镇春风村党委", "筠连县", "腾达镇", "village"),
        ("甘孜藏族自治州行政审批局", "", "", "prefecture"),
    ],
)
def test_unit_places_and_levels(library, name, county, township, level):
    unit = Unit.objects.get(name=name)
    assert (unit.county, unit.township, unit.level) == (county, township, level)
    # The name spells out the place it names: as the notice writes it, or (where the notice writes
    # a place otherwise than its official name) in one of the unit's recorded other forms.
    assert any(county in form and township in form for form in [name, *unit.aliases])
