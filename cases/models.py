"""Cases, their sections, themes and the record of corrections made to the source."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from awards.models import AwardTier, Notice, Unit, next_version, not_blank, readable_unique_error
from cases.search import apply_search, batched


class BatchedIndexQuerySet(models.QuerySet):
    """A bulk delete (the admin's 删除所选, a script) re-indexes the affected cases once, not once
    per row."""

    def delete(self):
        with batched():
            return super().delete()


class Theme(models.Model):
    slug = models.SlugField("网址标识", max_length=64, unique=True)
    name = models.CharField("主题", max_length=32, unique=True)
    description = models.TextField("说明", blank=True)
    order = models.PositiveSmallIntegerField("显示顺序", default=0)

    objects = BatchedIndexQuerySet.as_manager()

    class Meta:
        verbose_name = "主题"
        verbose_name_plural = "主题"
        ordering = ["order", "slug"]
        constraints = [not_blank("name", "theme_name_not_blank")]

    def __str__(self) -> str:
        return self.name


class CaseQuerySet(BatchedIndexQuerySet):
    def published(self):
        return self.filter(status=Case.Status.PUBLISHED)

    def in_notice_order(self):
        return self.order_by("notice__issued_on", "tier__order", "number")

    def search(self, query: str | None):
        """These cases narrowed to ``query`` and ordered by relevance (see cases.search;
        ``apply_search`` also says whether the query was cut or only partly matched)."""
        return apply_search(self, query).queryset


class Case(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="cases", verbose_name="通报")
    tier = models.ForeignKey(
        AwardTier, on_delete=models.PROTECT, related_name="cases", verbose_name="奖项类别"
    )
    number = models.PositiveSmallIntegerField("附件中的序号")
    title = models.CharField("案例标题", max_length=255, help_text="以通报附件名单的写法为准")
    title_in_compendium = models.CharField(
        "汇编中的标题", max_length=255, blank=True, help_text="案例汇编正文标题与附件名单不同时填写"
    )
    title_aliases = models.JSONField(
        "标题的其他写法", default=list, blank=True, help_text="目录等处的写法，可被搜索"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="cases", verbose_name="获奖单位")
    page = models.PositiveSmallIntegerField("汇编页码", null=True, blank=True)
    slug = models.SlugField("网址标识", max_length=64, unique=True)
    summary = models.TextField("导语", blank=True)
    themes = models.ManyToManyField(Theme, related_name="cases", blank=True, verbose_name="主题")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.DRAFT)
    created = models.DateTimeField("创建时间", auto_now_add=True)
    updated = models.DateTimeField("更新时间", auto_now=True)
    # Optimistic locking: the admin form carries the version it was loaded with and a save
    # based on an older version is refused (see portal/admin/forms.py). Never goes down.
    version = models.PositiveIntegerField("版本号", default=1, editable=False)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = "案例"
        verbose_name_plural = "案例"
        ordering = ["notice", "tier__order", "number"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "tier", "number"], name="case_unique_number_per_tier"),
            models.CheckConstraint(condition=Q(number__gte=1), name="case_number_positive"),
            models.CheckConstraint(condition=Q(status__in=["draft", "published"]), name="case_status_valid"),
            not_blank("title", "case_title_not_blank"),
            not_blank("slug", "case_slug_not_blank"),
        ]
        indexes = [
            # Counting the published matches of a broad search reads the ids from this index
            # alone instead of every case row.
            models.Index(fields=["id"], condition=Q(status="published"), name="case_published_ids"),
        ]
        permissions = [("publish_case", "可以发布或撤回案例")]

    def __str__(self) -> str:
        return f"{self.tier.name}第{self.number}号：{self.title}"

    unique_error_message = readable_unique_error

    def save(self, *args, **kwargs):
        if not self._state.adding:
            # After the stored number, not this copy's: a part saved since (cases.versioning)
            # raised it, and the counter never goes down.
            self.version = next_version(self, kwargs.get("update_fields"))
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def citation_label(self) -> str:
        return f"{self.notice.number} 附件{self.tier.attachment_number} 第{self.number}号"

    @property
    def display_compendium_title(self) -> str:
        return (
            self.title_in_compendium
            if self.title_in_compendium and self.title_in_compendium != self.title
            else ""
        )


class CaseSection(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sections", verbose_name="案例")
    order = models.PositiveSmallIntegerField("顺序")
    heading = models.CharField("标题", max_length=255, blank=True, help_text="如 一、背景；导语部分留空")
    paragraphs = models.JSONField(
        "段落", default=list, help_text="段落列表；（一）等小标题与“图1 …”图注各自成段"
    )

    objects = BatchedIndexQuerySet.as_manager()

    class Meta:
        verbose_name = "案例章节"
        verbose_name_plural = "案例章节"
        ordering = ["case", "order"]
        constraints = [
            models.UniqueConstraint(fields=["case", "order"], name="section_unique_order_per_case"),
        ]

    def __str__(self) -> str:
        return self.heading or "导语"

    unique_error_message = readable_unique_error

    @property
    def anchor(self) -> str:
        return f"s{self.order}"


class Erratum(models.Model):
    class Kind(models.TextChoices):
        SPELLING = "spelling", "异写"
        TITLE = "title", "标题差异"
        PUNCTUATION = "punctuation", "标点规范"
        CONVERSION = "conversion", "转换错误"

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="errata", verbose_name="通报")
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="errata", verbose_name="案例"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="errata", verbose_name="单位"
    )
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    location = models.CharField("出处", max_length=255, help_text="如 目录第125页、正文第3段")
    original = models.TextField("原文")
    corrected = models.TextField("采用的写法")
    reason = models.TextField("理由")

    class Meta:
        verbose_name = "勘误"
        verbose_name_plural = "勘误"
        ordering = ["notice", "id"]
        constraints = [
            not_blank("location", "erratum_location_not_blank"),
            not_blank("reason", "erratum_reason_not_blank"),
            models.CheckConstraint(
                condition=~Q(original=models.F("corrected")), name="erratum_changes_something"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.location}：{self.original} → {self.corrected}"


class CaseChange(models.Model):
    """A change to a case's content held for a publisher, or a refused submission kept on record.

    ``payload`` is the whole content the submitter wants (not a delta), in the shape of
    ``cases.editorial.payload.case_snapshot``::

        {"fields": {"title": str, "unit": unit id, ...}, "themes": [theme id, ...],
         "sections": [{"id": id or None (new), "order": int, "heading": str, "paragraphs": [str]}],
         "errata": [{"id": id or None, "kind": str, "location": str, ...}]}

    Sections and errata left out of ``payload`` are deleted when it is published. ``base`` is the
    live content when the change was submitted: publishing is refused when the live content no
    longer equals it (someone changed the case since), so nothing is overwritten silently.
    Written only by the services in cases.editorial.services.
    """

    class State(models.TextChoices):
        PENDING = "pending", "待审核"
        PUBLISHED = "published", "已发布"
        RETURNED = "returned", "已退回"
        CONFLICT = "conflict", "编辑冲突（未保存）"

    class Source(models.TextChoices):
        FORM = "form", "案例表单"
        REVERT = "revert", "恢复历史版本"
        SECTION = "section", "章节"
        ERRATUM = "erratum", "勘误"
        IMPORT = "import", "表格导入"

    # No database constraint: like the version history, the record of changes outlives a deleted
    # case and is found again when the case is recovered (same id).
    case = models.ForeignKey(
        Case,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="changes",
        verbose_name="案例",
    )
    state = models.CharField("状态", max_length=16, choices=State.choices, default=State.PENDING)
    source = models.CharField("来源", max_length=16, choices=Source.choices, default=Source.FORM)
    summary = models.CharField("说明", max_length=255, blank=True)
    payload = models.JSONField("提交的内容")
    base = models.JSONField("提交时的公开内容")
    based_on_version = models.PositiveIntegerField("基于的版本号")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="提交人",
    )
    submitted_at = models.DateTimeField("提交时间", default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审核人",
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    note = models.TextField("审核意见", blank=True, help_text="退回时写给编辑的说明")
    # The history entry that published it (django-reversion), for the 差异 of what went live.
    revision = models.ForeignKey(
        "reversion.Revision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发布记录",
    )

    class Meta:
        verbose_name = "待审核的修改"
        verbose_name_plural = "待审核的修改"
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["pending", "published", "returned", "conflict"]),
                name="case_change_state_valid",
            ),
            # Decided means someone decided, and only decided changes have a decision.
            models.CheckConstraint(
                condition=Q(state__in=["published", "returned"], decided_at__isnull=False)
                | Q(state__in=["pending", "conflict"], decided_at__isnull=True),
                name="case_change_decided_when_decided",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "case"], name="case_change_state_case"),
        ]

    def __str__(self) -> str:
        return f"{self.get_state_display()}：{self.summary or '修改'}（#{self.pk}）"

    @property
    def is_pending(self) -> bool:
        return self.state == self.State.PENDING


class SearchDocument(models.Model):
    """What the search index holds for one case (kept current by cases.search.signal_handlers).

    On PostgreSQL ``vector`` is the weighted tsvector of the segmented text, with a GIN index; on
    SQLite the same tokens live in the FTS5 table ``cases_search_fts`` (created by the migration).
    """

    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, primary_key=True, related_name="search_document", verbose_name="案例"
    )
    vector = SearchVectorField("检索向量", null=True, editable=False)
    head = SearchVectorField("标题与单位检索向量", null=True, editable=False)
    terms = models.JSONField("主要词语", default=dict, blank=True, help_text="用于计算相关案例的词语权重")
    related = models.JSONField("相关案例", default=list, blank=True, help_text="按文本相似度排序的案例 id")
    updated = models.DateTimeField("索引时间", auto_now=True)

    class Meta:
        verbose_name = "检索索引"
        verbose_name_plural = "检索索引"

    def __str__(self) -> str:
        return f"检索索引：{self.case_id}"


class Feedback(models.Model):
    """A reader's report of an error on a page (纠错), for staff only: never shown on a public page.

    Written only through ``cases.feedback.feedback_create`` (length limits, cleaning, rate limit).
    """

    # Never on the public site: the editorial policy lets every role with the model permission handle it.
    public_content = False

    MESSAGE_MAX = 1000
    CONTACT_MAX = 100
    PAGE_MAX = 200

    class Status(models.TextChoices):
        NEW = "new", "新"
        HANDLED = "handled", "已处理"

    case = models.ForeignKey(
        Case,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback",
        verbose_name="案例",
    )
    page = models.CharField("页面", max_length=PAGE_MAX, blank=True, help_text="读者纠错时所在页面的地址")
    message = models.TextField("问题描述")
    contact = models.CharField("联系方式", max_length=CONTACT_MAX, blank=True, help_text="读者自愿留下")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.NEW)
    reply = models.TextField("处理说明", blank=True, help_text="仅工作人员可见，不会公开")
    # An HMAC of the reader's address (never the address itself): enough to count their reports.
    client_key = models.CharField("来源标识", max_length=64, editable=False)
    # The same for the reader's wider network (IPv4 /24, IPv6 /48): a limit per network as well.
    network_key = models.CharField("来源网络标识", max_length=64, editable=False, default="")
    created = models.DateTimeField("提交时间", auto_now_add=True)
    updated = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "纠错反馈"
        verbose_name_plural = "纠错反馈"
        ordering = ["-created", "-id"]
        constraints = [
            not_blank("message", "feedback_message_not_blank"),
            models.CheckConstraint(condition=Q(status__in=["new", "handled"]), name="feedback_status_valid"),
        ]
        indexes = [
            # The rate limit counts one address's recent reports.
            models.Index(fields=["client_key", "created"], name="feedback_client_recent"),
            models.Index(fields=["created"], name="feedback_created"),
            models.Index(fields=["network_key", "created"], name="feedback_network_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()}：{self.message[:30]}"


class LoadRevision(models.Model):
    """Marks a revision ``load_library`` recorded while loading: its versions hold the values loaded
    from the notice's data, which ``load_library --update`` may replace. No other revision counts as
    loaded (an update's, an editor's, ``createinitialrevisions``'), whatever its comment says."""

    revision = models.OneToOneField(
        "reversion.Revision", on_delete=models.CASCADE, related_name="load_mark", verbose_name="版本记录"
    )

    class Meta:
        verbose_name = "载入时记录的版本"
        verbose_name_plural = "载入时记录的版本"

    def __str__(self):
        return f"载入时记录的版本 #{self.revision_id}"
