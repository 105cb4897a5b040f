"""Admin operations as staff perform them in a browser (each one a GET of the page, then its form
posted back with the CSRF token it carries), and what the public site shows afterwards."""

from __future__ import annotations

import json
import re

from django.urls import reverse
from reversion.models import Version

from cases.models import Case

from .browser import forms_of, post_form


def url(name, *args):
    return reverse(f"admin:{name}", args=args)


def inline_prefix(form_page, pk) -> str:
    """The formset prefix of the inline row holding record ``pk`` (e.g. "sections-2")."""
    for form in forms_of(form_page.content.decode()):
        for name, value in form.fields:
            if name.endswith("-id") and value == str(pk) and "__prefix__" not in name:
                return name[: -len("-id")]
    raise AssertionError(f"no inline row for #{pk}")


def change_case(client, case, changes=None, *, edit=None):
    """Open the case form, apply ``changes`` (field name -> value) and ``edit(page)`` (returns
    more changes, e.g. inline rows), and save."""
    page = client.get(url("cases_case_change", case.pk))
    if page.status_code != 200:
        return page
    changes = dict(changes or {})
    if edit is not None:
        changes.update(edit(page))
    return post_form(client, page, changes=changes, form_id="case_form")


def change_record(client, obj, changes):
    opts = obj._meta
    page = client.get(url(f"{opts.app_label}_{opts.model_name}_change", obj.pk))
    if page.status_code != 200:
        return page
    return post_form(client, page, changes=changes, form_id=f"{opts.model_name}_form")


def delete_record(client, obj):
    opts = obj._meta
    page = client.get(url(f"{opts.app_label}_{opts.model_name}_delete", obj.pk), follow=True)
    if page.status_code != 200 or not page.request["PATH_INFO"].endswith("/delete/"):
        return page  # refused: sent back to the record
    return post_form(client, page)


def run_action(client, model, action, objects):
    """Tick the objects on the change list, choose ``action`` and run it (confirming a delete)."""
    opts = model._meta
    listing = client.get(url(f"{opts.app_label}_{opts.model_name}_changelist"), {"all": ""})
    if listing.status_code != 200:
        return listing
    html = listing.content.decode()
    if f'value="{action}"' not in html:
        return listing  # the action is not offered to this user
    response = post_form(
        client,
        listing,
        form_id="changelist-form",
        changes={"action": action, "_selected_action": [o.pk for o in objects]},
    )
    if action == "delete_selected" and response.status_code == 200:
        response = post_form(client, response)  # "是的，我确定"
    return response


def history_links(client, model, pk) -> list[str]:
    opts = model._meta
    page = client.get(url(f"{opts.app_label}_{opts.model_name}_history", pk))
    return re.findall(r'href="([^"]+)"', page.content.decode())


def revert(client, obj, version):
    opts = obj._meta
    page = client.get(url(f"{opts.app_label}_{opts.model_name}_revision", obj.pk, version.pk))
    if page.status_code != 200:
        return page
    return post_form(client, page)


def recover(client, model, version):
    opts = model._meta
    page = client.get(url(f"{opts.app_label}_{opts.model_name}_recover", version.pk))
    if page.status_code != 200:
        return page
    return post_form(client, page)


def deleted_version(model, pk) -> Version:
    return Version.objects.get_deleted(model).get(object_id=str(pk))


# The public side.


def public_page(reader, case) -> str | None:
    """The case's public page, or None when it is not public (404)."""
    response = reader.get(f"/cases/{case.slug}/")
    assert response.status_code in (200, 404), response.status_code
    return response.content.decode() if response.status_code == 200 else None


def api_finds(reader, text, case, *, shown=True) -> bool:
    """``GET /api/v1/cases/?q=<text>`` lists the case (and, with ``shown``, the listed case
    carries the text, e.g. as its title or unit: a search also lists partial matches)."""
    response = reader.get("/api/v1/cases/", {"q": text, "page_size": 100})
    assert response.status_code == 200
    items = [item for item in response.json()["results"] if item["id"] == case.pk]
    return bool(items) and (not shown or text in json.dumps(items[0], ensure_ascii=False))


def admin_search_finds(client, text, case) -> bool:
    """The admin list's search (the same search as the public site, over drafts too)."""
    listing = client.get(url("cases_case_changelist"), {"q": text})
    return case.pk in [c.pk for c in listing.context["cl"].result_list]


def fresh(case) -> Case | None:
    return Case.objects.filter(pk=case.pk).first()
