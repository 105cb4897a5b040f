"""Notices, award tiers, prefectures, units and organizing awards.

A notice owns its tiers, so next year's notice is just more rows.
"""

from django.core.exceptions import ValidationError
from django.db import models, router
from django.db.models import Q
from django.db.models.functions import Length, Trim
from django.db.models.lookups import Exact, GreaterThan
from django.urls import reverse

from portal.per_transaction import first_in_transaction


def not_blank(field: str, name: str) -> models.CheckConstraint:
    """A text field that holds more than white space (plain ``!= ''`` lets "  " through)."""
    return models.CheckConstraint(condition=GreaterThan(Length(Trim(field)), 0), name=name)


def next_version(record: models.Model, update_fields=None) -> int:
    """The optimistic-lock number a save of ``record`` writes: one past the larger of its own and
    the stored one (a write to one of its parts may have raised the stored one since it was
    loaded: see cases/versioning.py). Never goes down. Once per transaction: when the record or
    one of its parts was already written in it (``first_version_write``), the stored number, which
    that write raised. ``update_fields``: the save's; one without ``version`` does not count."""
    stored = type(record)._base_manager.filter(pk=record.pk).values_list("version", flat=True).first()
    current = max(record.version or 0, stored or 0)
    if update_fields is not None and "version" not in update_fields:
        return current + 1
    return current + 1 if first_version_write(type(record), record.pk) else current


def first_version_write(model: type[models.Model], pk) -> bool:
    """Whether this is the first write to the aggregate whose version record is (model, pk) in the
    open transaction (and note it): a save of a case with five sections is one new version, not
    six. Outside a transaction every write is the first."""
    model = model._meta.concrete_model
    return first_in_transaction(("version", model._meta.label, pk), using=router.db_for_write(model))


def readable_unique_error(self, model_class, unique_check):
    """A model's ``unique_error_message`` for a value that must differ within a group (a section's
    顺序 within its case): says which value is taken, where, and by what — instead of Django's
    “包含 案例 和 顺序 的 案例章节 已经存在”. Assigned on the models with such constraints."""
    if len(unique_check) < 2:
        return models.Model.unique_error_message(self, model_class, unique_check)
    opts = model_class._meta
    *scope, name = unique_check
    field = opts.get_field(name)
    value = _shown(self, name)
    where = "、".join(f"{opts.get_field(n).verbose_name}“{_shown(self, n)}”" for n in scope)
    group = "、".join(str(opts.get_field(n).verbose_name) for n in scope)
    lookup = {opts.get_field(n).attname: getattr(self, opts.get_field(n).attname) for n in unique_check}
    taken = model_class._default_manager.filter(**lookup).exclude(pk=self.pk).first()
    by = f"（已有的是“{taken}”）" if taken is not None else ""
    return ValidationError(
        f"{field.verbose_name} {value} 已被使用：{where}中已有{field.verbose_name}为 {value} 的"
        f"{opts.verbose_name}{by}。同一{group}中的{field.verbose_name}不能重复，请换一个未被使用的值。",
        code="unique_together",
    )


def _shown(record, name: str) -> str:
    field = record._meta.get_field(name)
    if field.is_relation:
        return str(getattr(record, name)) if getattr(record, field.attname) is not None else "（空）"
    return str(getattr(record, name))


class Notice(models.Model):
    number = models.CharField("文号", max_length=64, unique=True)
    slug = models.SlugField("网址标识", max_length=64, unique=True)
    title = models.CharField("标题", max_length=255)
    issuer = models.CharField("发文机关", max_length=255)
    issued_on = models.DateField("发文日期")
    year = models.PositiveSmallIntegerField("案例年度")
    text = models.TextField("通报正文", blank=True)

    class Meta:
        verbose_name = "通报"
        verbose_name_plural = "通报"
        ordering = ["-issued_on"]
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="notice_year_range"),
            not_blank("number", "notice_number_not_blank"),
            not_blank("title", "notice_title_not_blank"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("awards:notice", kwargs={"slug": self.slug})


class AwardTier(models.Model):
    class Slug(models.TextChoices):
        BEST = "best", "最佳案例"
        EXCELLENT = "excellent", "优秀案例"
        ORGANIZING = "organizing", "优秀组织单位"

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="tiers", verbose_name="通报")
    slug = models.CharField("类别标识", max_length=32, choices=Slug.choices)
    name = models.CharField("名称", max_length=64)
    list_title = models.CharField("附件标题", max_length=255, blank=True)
    attachment_number = models.PositiveSmallIntegerField("附件序号")
    declared_count = models.PositiveSmallIntegerField("通报数量")
    order = models.PositiveSmallIntegerField("显示顺序", default=0)

    class Meta:
        verbose_name = "奖项类别"
        verbose_name_plural = "奖项类别"
        ordering = ["notice", "order"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "slug"], name="tier_unique_slug_per_notice"),
            models.UniqueConstraint(
                fields=["notice", "attachment_number"], name="tier_unique_attachment_per_notice"
            ),
            models.CheckConstraint(condition=Q(attachment_number__gte=1), name="tier_attachment_positive"),
            not_blank("name", "tier_name_not_blank"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.notice.number} 附件{self.attachment_number}）"

    unique_error_message = readable_unique_error

    def get_absolute_url(self) -> str:
        return reverse("awards:tier", kwargs={"notice_slug": self.notice.slug, "slug": self.slug})

    @property
    def is_case_tier(self) -> bool:
        return self.slug != self.Slug.ORGANIZING


class Prefecture(models.Model):
    class Kind(models.TextChoices):
        CITY = "city", "地级市"
        AUTONOMOUS = "autonomous", "自治州"

    code = models.CharField(
        "行政区划代码", max_length=6, unique=True, help_text="GB/T 2260 六位代码，如 510100"
    )
    # One display style: cities by their name, the autonomous prefectures by the notice's short form;
    # the official name is kept beside it. Both (and short_name) are searchable.
    name = models.CharField(
        "名称",
        max_length=32,
        unique=True,
        help_text="网站显示的名称：地级市写全称，自治州用通报的简称，如 凉山州",
    )
    full_name = models.CharField(
        "正式名称", max_length=32, unique=True, help_text="行政区划的正式全称，如 凉山彝族自治州"
    )
    short_name = models.CharField("简称", max_length=16, unique=True)
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    order = models.PositiveSmallIntegerField("显示顺序", default=0)

    class Meta:
        verbose_name = "市（州）"
        verbose_name_plural = "市（州）"
        ordering = ["order", "code"]
        constraints = [
            # Sichuan prefecture-level codes: 51xx00.
            models.CheckConstraint(
                condition=Q(code__startswith="51", code__endswith="00") & Q(Exact(Length("code"), 6)),
                name="prefecture_code_gbt2260",
            ),
            not_blank("name", "prefecture_name_not_blank"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("awards:prefecture", kwargs={"code": self.code})


class Unit(models.Model):
    class Level(models.TextChoices):
        PREFECTURE = "prefecture", "市州级"
        COUNTY = "county", "县级"
        TOWNSHIP = "township", "乡镇街道级"
        VILLAGE = "village", "村社区级"

    name = models.CharField("单位名称", max_length=128, unique=True, help_text="以通报附件的写法为准")
    prefecture = models.ForeignKey(
        Prefecture, on_delete=models.PROTECT, related_name="units", verbose_name="市（州）"
    )
    county = models.CharField("县（市、区）", max_length=32, blank=True, help_text="县级行政区，如 青白江区")
    township = models.CharField("乡镇（街道）", max_length=32, blank=True)
    level = models.CharField("单位层级", max_length=16, choices=Level.choices)
    aliases = models.JSONField("别名", default=list, blank=True, help_text="来源中出现的其他写法，可被搜索")
    # Optimistic locking in the admin, as for cases (see portal/admin/forms.py).
    version = models.PositiveIntegerField("版本号", default=1, editable=False)

    class Meta:
        verbose_name = "获奖单位"
        verbose_name_plural = "获奖单位"
        ordering = ["prefecture__order", "name"]
        constraints = [
            not_blank("name", "unit_name_not_blank"),
            models.CheckConstraint(
                condition=Q(level__in=["prefecture", "county", "township", "village"]),
                name="unit_level_valid",
            ),
            # A county-level unit must name its county; a prefecture-level one must not.
            models.CheckConstraint(
                condition=~Q(level="prefecture") | Q(county=""), name="unit_prefecture_level_has_no_county"
            ),
            models.CheckConstraint(
                condition=Q(level="prefecture") | Q(GreaterThan(Length(Trim("county")), 0)),
                name="unit_below_prefecture_has_county",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.version = next_version(self, kwargs.get("update_fields"))
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("awards:unit", kwargs={"pk": self.pk})

    @property
    def place(self) -> str:
        return "".join(p for p in (self.prefecture.name, self.county, self.township) if p)


class OrganizingAward(models.Model):
    notice = models.ForeignKey(
        Notice, on_delete=models.PROTECT, related_name="organizing_awards", verbose_name="通报"
    )
    tier = models.ForeignKey(
        AwardTier, on_delete=models.PROTECT, related_name="organizing_awards", verbose_name="奖项类别"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="organizing_awards", verbose_name="单位"
    )
    order = models.PositiveSmallIntegerField("附件中的序号")

    class Meta:
        verbose_name = "优秀组织单位"
        verbose_name_plural = "优秀组织单位"
        ordering = ["notice", "order"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "unit"], name="organizing_award_unique_unit"),
            models.UniqueConstraint(fields=["notice", "order"], name="organizing_award_unique_order"),
            models.CheckConstraint(condition=Q(order__gte=1), name="organizing_award_order_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.unit.name}（{self.notice.number} 优秀组织单位）"

    unique_error_message = readable_unique_error
