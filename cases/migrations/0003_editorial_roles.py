"""The two editorial roles as groups, reproducible on a fresh database.

案例编辑: view everything; add and change cases, sections, themes, units and errata (sections may be
deleted, as the case form removes them); no publishing, no deleting notices or cases, no users.
审核发布: everything an editor may do, plus ``cases.publish_case`` (publish and unpublish).
Superusers manage users, groups and login locks.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = "案例编辑"
PUBLISHER = "审核发布"

VIEW_ONLY = [
    ("awards", "notice"),
    ("awards", "awardtier"),
    ("awards", "prefecture"),
    ("awards", "organizingaward"),
]
EDITABLE = [
    ("cases", "case"),
    ("cases", "casesection"),
    ("cases", "theme"),
    ("cases", "erratum"),
    ("awards", "unit"),
]
EXTRA = [("cases", "delete_casesection")]
PUBLISH = [("cases", "publish_case")]


def _permission(apps, app_label, codename):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations ran; a fresh database needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    editor_codes = []
    for app_label, model in VIEW_ONLY:
        editor_codes.append((app_label, f"view_{model}"))
    for app_label, model in EDITABLE:
        editor_codes += [(app_label, f"{action}_{model}") for action in ("view", "add", "change")]
    editor_codes += EXTRA
    editor_permissions = [_permission(apps, a, c) for a, c in editor_codes]
    publisher_permissions = editor_permissions + [_permission(apps, a, c) for a, c in PUBLISH]

    editor, _ = Group.objects.get_or_create(name=EDITOR)
    editor.permissions.set(editor_permissions)
    publisher, _ = Group.objects.get_or_create(name=PUBLISHER)
    publisher.permissions.set(publisher_permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[EDITOR, PUBLISHER]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("awards", "0001_initial"),
        ("cases", "0002_case_version"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
