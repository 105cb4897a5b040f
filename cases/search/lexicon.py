"""The domain lexicon: stop words, hand-reviewed words of the field, synonym groups and phrase
rewrites (data in ``cases/search/data/``), place names from the reference tables, and the words
of the domain thesaurus (``cases.search.thesaurus``), which the segmenter keeps whole."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from awards.reference import PREFECTURES, UNIT_PLACES
from cases.search.text import CJK_RUN, fold
from cases.search.thesaurus import get_thesaurus

DATA_DIR = Path(__file__).resolve().parent / "data"

# Function words carry no meaning for search; question words are dropped from queries so that a
# whole question ("哪里可以办理社保？") is searched by its content words.
STOPWORDS = frozenset(
    [
        "的",
        "了",
        "和",
        "与",
        "及",
        "或",
        "等",
        "是",
        "在",
        "对",
        "把",
        "被",
        "将",
        "为",
        "以",
        "于",
        "之",
        "其",
        "这",
        "那",
        "也",
        "都",
        "就",
        "而",
        "并",
        "从",
        "向",
        "由",
        "着",
        "个",
        "一",
        "上",
        "中",
        "下",
    ]
)
QUERY_STOPWORDS = STOPWORDS | frozenset(
    [
        "吗",
        "呢",
        "吧",
        "啊",
        "呀",
        "嘛",
        "么",
        "怎么",
        "怎样",
        "怎么样",
        "怎么办",
        "如何",
        "哪些",
        "哪个",
        "哪里",
        "哪儿",
        "哪",
        "什么",
        "什么样",
        "有没有",
        "有哪些",
        "是否",
        "能否",
        "可否",
        "可以",
        "能",
        "能够",
        "要",
        "想",
        "需要",
        "我",
        "我们",
        "你",
        "你们",
        "他们",
        "谁",
        "请问",
        "请",
        "关于",
        "一下",
        "介绍",
        "相关",
        "有关",
        "方面",
        "案例",
        "有",
        "做",
        "做法",
        "经验",
        "举措",
        "措施",
        "哪家",
        "地方",
        "如何做",
        "为什么",
        "多少",
        "哪些地方",
        "什么地方",
        "哪个地方",
        "哪些地区",
        "在哪里",
        "哪些单位",
        "有什么",
        "怎样才能",
        "如何才能",
        "怎么才能",
        "一些",
        "好的",
        # Question forms and fillers of readers' questions (怎样让群众少跑腿 -> 群众 少 跑腿).
        "让",
        "更",
        "更加",
        "更好",
        "能不能",
        "可不可以",
        "会不会",
        "怎么样才能",
        "怎样才可以",
        "哪种",
        "哪类",
        "哪些方面",
        "什么样的",
        "去哪",
        "去哪里",
        "到哪里",
        "在哪",
        "在哪儿",
        "应该",
        "应当",
        "如果",
        "办法",
        "方法",
        "问题",
        "情况",
        "帮我",
        "看看",
        "了解",
        "具体",
        "一般",
        "开展",
        "几个",
        "几次",
        "几趟",
        "哪几个",
        "要跑",
        "进行",
        "做好",
        "搞好",
        # Fillers of long questions (能不能 is cut 能/不能; 比较方便, 刚生了小孩, 找谁帮忙): words
        # that say how or who asks, never what about. Content words stay (老人, 户口, 社保卡).
        "不能",
        "不可以",
        "能不",
        "没有",
        "有没",
        "是不是",
        "比较",
        "方便",
        "找谁",
        "刚",
        "刚刚",
        "刚生",
        "给",
        "我家",
        "我们村",
        "自己",
        "现在",
        "听说",
        "咋",
        "咋办",
        "咋样",
        "为啥",
        "怎么弄",
        "怎么办理",
        "如何办理",
        "办吗",
        "能办",
        "可以办",
        "还是",
        "还有",
        "已经",
        "一定",
        "必须",
        "这个",
        "那个",
        "这些",
        "那些",
        "咱们",
        "咱",
        "俺",
        "大家",
        "谢谢",
        "您好",
        "你好",
    ]
)

_SUFFIXES = (
    "彝族自治州",
    "藏族自治州",
    "藏族羌族自治州",
    "羌族自治县",
    "自治州",
    "街道",
    "市",
    "州",
    "县",
    "区",
    "镇",
    "乡",
)


@dataclass
class Lexicon:
    """Domain words for the segmenter and synonym groups (member -> canonical form)."""

    words: set[str] = field(default_factory=set)
    # What readers may type in pinyin or misspell: places, brands and policy terms, concepts.
    places: set[str] = field(default_factory=set)
    terms: set[str] = field(default_factory=set)
    canonical: dict[str, str] = field(default_factory=dict)
    groups: dict[str, list[str]] = field(default_factory=dict)
    rewrites: list[tuple[re.Pattern, str]] = field(default_factory=list)

    def named_words(self) -> set[str]:
        """Places, brands, policy terms and synonym groups: what pinyin and typos are read against."""
        members = {m for group in self.groups.values() for m in group if len(m) >= 2}
        return {w for w in self.places | self.terms | members if CJK_RUN.fullmatch(w)}

    def canon(self, word: str) -> str:
        return self.canonical.get(word, word)

    def rewrite(self, text: str) -> str:
        for pattern, replacement in self.rewrites:
            text = pattern.sub(replacement, text)
        return text


def _place_words() -> set[str]:
    """Every prefecture, county and township of the reference tables, with and without suffix."""
    names: set[str] = set()
    for _code, name, full_name, short_name, _kind in PREFECTURES:
        names |= {name, full_name, short_name}
    for _code, county, township, _level in UNIT_PLACES.values():
        names |= {p for p in (county, township) if p}
    words = set(names)
    for name in names:
        for suffix in _SUFFIXES:
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                words.add(name[: -len(suffix)])
                break
    return words


def load_lexicon() -> Lexicon:
    lexicon = Lexicon()
    for line in (DATA_DIR / "terms.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            lexicon.terms.add(fold(line.split()[0]))
    for line in (DATA_DIR / "synonyms.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("=>"):
            _, pattern, replacement = (part.strip() for part in line.split("=>"))
            lexicon.rewrites.append((re.compile(pattern), replacement + " "))
            continue
        members = [fold(m) for m in line.split()]
        head = members[0]
        lexicon.groups[head] = members
        for member in members:
            lexicon.canonical[member] = head
            if len(member) >= 2:
                lexicon.words.add(member)
    lexicon.places = {fold(w) for w in _place_words()}
    thesaurus = get_thesaurus()
    # Only words of one script: the segmenter splits letters from ideographs (12345热线).
    concept_words = {w for w in thesaurus.words() if len(w) >= 2 and CJK_RUN.fullmatch(w)}
    lexicon.terms |= {fold(w) for c in thesaurus.concepts for w in c.own_words if CJK_RUN.fullmatch(fold(w))}
    lexicon.words |= lexicon.terms | lexicon.places | concept_words
    return lexicon
