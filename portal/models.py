"""The portal's own data: the library version the page cache keys on (portal/cache.py)."""

from django.db import models


class LibraryVersion(models.Model):
    """One row (pk 1): a token replaced, in the database, after every editorial write.

    Every cached page is stored with the token current when its request began and served only while
    the token is unchanged. Kept in the database, not in Redis or in a process, so an edit made while
    Redis is frozen or down, or in a worker that gunicorn then replaces (HUP, max_requests), still
    invalidates every page on every app server once Redis answers again.
    """

    token = models.CharField("版本标记", max_length=32)
    changed_at = models.DateTimeField("更改时间", null=True, blank=True)

    class Meta:
        verbose_name = "案例库版本"
        verbose_name_plural = "案例库版本"

    def __str__(self) -> str:
        return self.token
