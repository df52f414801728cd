"""Choices about connection emails now live in accounts.EmailPreference: carry each opt-out across, then drop the
community's own table."""

from django.db import migrations


def carry_opt_outs_to_accounts(apps, schema_editor):
    Old = apps.get_model('community', 'EmailPreference')
    New = apps.get_model('accounts', 'EmailPreference')
    for email in Old.objects.filter(connection_emails=False).values_list('email', flat=True):
        New.objects.update_or_create(email=email.strip().lower(), defaults={'connection_emails': False})


def carry_opt_outs_back(apps, schema_editor):
    Old = apps.get_model('community', 'EmailPreference')
    New = apps.get_model('accounts', 'EmailPreference')
    for email in New.objects.filter(connection_emails=False).values_list('email', flat=True):
        Old.objects.update_or_create(email=email, defaults={'connection_emails': False})


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_emailpreference_connection_emails'),
        ('community', '0001_initial'),
    ]

    operations = [
        migrations.RunPython(carry_opt_outs_to_accounts, carry_opt_outs_back),
        migrations.DeleteModel(
            name='EmailPreference',
        ),
    ]
