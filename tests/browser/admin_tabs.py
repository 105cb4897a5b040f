"""Signed-in admin tabs for browser tests: a staff user's session cookie put into the browser."""

from __future__ import annotations

import importlib

from django.conf import settings
from django.contrib.auth.models import Group, Permission, User
from django.test import Client

from cases.editorial import EDITOR_GROUP, PUBLISHER_GROUP
from tests.browser.conftest import Site


def ensure_roles() -> None:
    """The two role groups as migration 0003 makes them (a transactional test's flush removes them)."""
    roles = importlib.import_module("cases.migrations.0003_editorial_roles")
    if Group.objects.filter(name__in=[EDITOR_GROUP, PUBLISHER_GROUP]).count() == 2:
        return
    codes = [(a, f"view_{m}") for a, m in roles.VIEW_ONLY]
    codes += [(a, f"{action}_{m}") for a, m in roles.EDITABLE for action in ("view", "add", "change")]
    editor = [Permission.objects.get(content_type__app_label=a, codename=c) for a, c in codes]
    editor += [Permission.objects.get(content_type__app_label=a, codename=c) for a, c in roles.EXTRA]
    publisher = editor + [
        Permission.objects.get(content_type__app_label=a, codename=c) for a, c in roles.PUBLISH
    ]
    Group.objects.get_or_create(name=EDITOR_GROUP)[0].permissions.set(editor)
    Group.objects.get_or_create(name=PUBLISHER_GROUP)[0].permissions.set(publisher)


def staff(role: str) -> User:
    ensure_roles()
    user = User.objects.create_user(f"{role}-{User.objects.count()}", password=None, is_staff=True)
    user.groups.add(Group.objects.get(name={"editor": EDITOR_GROUP, "publisher": PUBLISHER_GROUP}[role]))
    return user


def signed_in(browser, live_server, user, width: int, height: int = 900) -> Site:
    client = Client()
    client.force_login(user)
    tab = Site(browser, live_server, width=width, height=height)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    tab.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )
    return tab


def exported_rows() -> tuple[list, list[list]]:
    """The case list as the admin exports it (header, rows), built by the resource itself."""
    from cases.editorial.resources import CaseResource

    data = CaseResource().export()
    return list(data.headers), [list(row) for row in data]
