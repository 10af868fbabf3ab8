# Written by hand: the change stamp's table and its one row.

import django.db.models.functions.datetime
from django.db import migrations, models


def create_the_row(apps, schema_editor):
    """The one row, counting this migration as the first change (whatever the database held
    before, pages cached under no stamp at all are not reused)."""
    ChangeStamp = apps.get_model("negotiations", "ChangeStamp")
    ChangeStamp.objects.using(schema_editor.connection.alias).get_or_create(
        pk=1, defaults={"counter": 1, "changed_at": django.db.models.functions.datetime.Now()}
    )


class Migration(migrations.Migration):

    dependencies = [
        ('negotiations', '0009_evidence_judgements'),
    ]

    operations = [
        migrations.CreateModel(
            name='ChangeStamp',
            fields=[
                ('id', models.PositiveSmallIntegerField(default=1, editable=False, primary_key=True, serialize=False)),
                ('counter', models.BigIntegerField(default=0, help_text='How many committed transactions changed the knowledge base, for example 42.', verbose_name='changes')),
                ('changed_at', models.DateTimeField(help_text="When the last of them was committed, by the database's clock.", verbose_name='last changed')),
            ],
            options={
                'verbose_name': 'change stamp',
                'verbose_name_plural': 'change stamp',
                'constraints': [models.CheckConstraint(condition=models.Q(('id', 1)), name='change_stamp_one_row')],
            },
        ),
        migrations.RunPython(create_the_row, migrations.RunPython.noop),
    ]
