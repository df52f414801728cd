from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_email_preference'),
    ]

    operations = [
        migrations.AddField(
            model_name='emailpreference',
            name='connection_emails',
            field=models.BooleanField(default=True, verbose_name='news about exemplar connection requests'),
        ),
    ]
