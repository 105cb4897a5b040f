"""纠错反馈 (issue 14): readers' error reports, and the staff roles that handle them.

Both editorial roles (案例编辑, 审核发布) may read reports and change their status and reply note.
"""

from django.contrib.auth.management import create_permissions
import django.db.models.deletion
import django.db.models.functions.text
import django.db.models.lookups
from django.db import migrations, models


ROLES = ("案例编辑", "审核发布")
CODENAMES = ("view_feedback", "change_feedback")


def grant_roles(apps, schema_editor):
    # Permissions are normally created after all migrations ran; a fresh database needs them now.
    app_config = apps.get_app_config("cases")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = list(Permission.objects.filter(content_type__app_label="cases", codename__in=CODENAMES))
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.add(*permissions)


def revoke_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="cases", codename__in=CODENAMES)
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0009_editorial_pending_versions'),
    ]

    operations = [
        migrations.CreateModel(
            name='Feedback',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('page', models.CharField(blank=True, help_text='读者纠错时所在页面的地址', max_length=200, verbose_name='页面')),
                ('message', models.TextField(verbose_name='问题描述')),
                ('contact', models.CharField(blank=True, help_text='读者自愿留下', max_length=100, verbose_name='联系方式')),
                ('status', models.CharField(choices=[('new', '新'), ('handled', '已处理')], default='new', max_length=16, verbose_name='状态')),
                ('reply', models.TextField(blank=True, help_text='仅工作人员可见，不会公开', verbose_name='处理说明')),
                ('client_key', models.CharField(editable=False, max_length=64, verbose_name='来源标识')),
                ('created', models.DateTimeField(auto_now_add=True, verbose_name='提交时间')),
                ('updated', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('case', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='feedback', to='cases.case', verbose_name='案例')),
            ],
            options={
                'verbose_name': '纠错反馈',
                'verbose_name_plural': '纠错反馈',
                'ordering': ['-created', '-id'],
                'indexes': [models.Index(fields=['client_key', 'created'], name='feedback_client_recent'), models.Index(fields=['created'], name='feedback_created')],
                'constraints': [models.CheckConstraint(condition=django.db.models.lookups.GreaterThan(django.db.models.functions.text.Length(django.db.models.functions.text.Trim('message')), 0), name='feedback_message_not_blank'), models.CheckConstraint(condition=models.Q(('status__in', ['new', 'handled'])), name='feedback_status_valid')],
            },
        ),
        migrations.RunPython(grant_roles, revoke_roles),
    ]
