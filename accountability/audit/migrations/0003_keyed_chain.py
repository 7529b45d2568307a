"""The keyed chain (format 2): HMAC-SM3 with a key id, sealed case content, the keyed head.

Rows written before this migration stay as they are, in format 1 (plain SM3, values in
clear): the table is append-only (the trigger of 0002 refuses UPDATE), and re-hashing them
under the key would be exactly the rewrite the chain exists to prevent. They are marked
format 1 here; verification checks them by the old rule, accepts them only before the
first keyed entry, and says how many there are ("只证明内部一致"); the audit pages apply
the content rule to them when they show them, so their values stay hidden too. The first
entry written afterwards links to the last old one. The head row gets its MAC now, under
the key configured when the migration runs.

There is no production deployment yet: the demo database is rebuilt by ``make run``.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def seal_head(apps, schema_editor):
    from accountability.audit.keys import current_key
    from accountability.audit.services import head_mac

    head_model = apps.get_model("audit", "AuditChainHead")
    key = current_key()
    for head in head_model.objects.all():
        head.key_id = key.key_id
        head.mac = head_mac(seq=head.seq, hash=head.hash, key=key)
        head.save(update_fields=["key_id", "mac"])


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_append_only_trigger'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='auditchainhead',
            name='key_id',
            field=models.CharField(blank=True, max_length=16),
        ),
        migrations.AddField(
            model_name='auditchainhead',
            name='mac',
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name='auditentry',
            name='actor_role',
            field=models.CharField(blank=True, max_length=32, verbose_name='操作人角色'),
        ),
        migrations.AddField(
            model_name='auditentry',
            name='case_number',
            field=models.CharField(blank=True, max_length=64, verbose_name='案件编号'),
        ),
        migrations.AddField(
            model_name='auditentry',
            name='format',
            field=models.PositiveSmallIntegerField(default=1, verbose_name='格式'),
        ),
        migrations.AlterField(
            model_name='auditentry',
            name='format',
            field=models.PositiveSmallIntegerField(default=2, verbose_name='格式'),
        ),
        migrations.AddField(
            model_name='auditentry',
            name='key_id',
            field=models.CharField(blank=True, max_length=16, verbose_name='密钥标识'),
        ),
        migrations.AddField(
            model_name='auditentry',
            name='sealed',
            field=models.JSONField(blank=True, default=dict, verbose_name='内容摘要'),
        ),
        migrations.AlterField(
            model_name='auditentry',
            name='action',
            field=models.CharField(max_length=32, verbose_name='事件类型'),
        ),
        migrations.AlterField(
            model_name='auditentry',
            name='actor',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人'),
        ),
        migrations.AlterField(
            model_name='auditentry',
            name='at',
            field=models.DateTimeField(verbose_name='时间'),
        ),
        migrations.AlterField(
            model_name='auditentry',
            name='hash',
            field=models.CharField(max_length=64, verbose_name='校验码(HMAC-SM3)'),
        ),
        migrations.AlterField(
            model_name='auditentry',
            name='prev_hash',
            field=models.CharField(max_length=64, verbose_name='前一条校验码'),
        ),
        migrations.AddIndex(
            model_name='auditentry',
            index=models.Index(fields=['action', 'seq'], name='audit_action_seq'),
        ),
        migrations.AddIndex(
            model_name='auditentry',
            index=models.Index(fields=['actor', 'seq'], name='audit_actor_seq'),
        ),
        migrations.AddIndex(
            model_name='auditentry',
            index=models.Index(fields=['case_number', 'seq'], name='audit_case_seq'),
        ),
        migrations.AddIndex(
            model_name='auditentry',
            index=models.Index(fields=['at'], name='audit_at'),
        ),
        migrations.RunPython(seal_head, migrations.RunPython.noop),
    ]
