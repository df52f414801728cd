from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class OrganisationsConfig(AppConfig):
    name = "nps.organisations"
    verbose_name = "Organisations"

    def ready(self) -> None:
        from nps.organisations.models import Organisation, Succession, directory_changed

        post_save.connect(directory_changed, sender=Organisation, dispatch_uid="directory-saved")
        post_delete.connect(directory_changed, sender=Organisation, dispatch_uid="directory-deleted")
        post_save.connect(directory_changed, sender=Succession, dispatch_uid="directory-succession-saved")
        post_delete.connect(directory_changed, sender=Succession, dispatch_uid="directory-succession-deleted")
        m2m_changed.connect(directory_changed, sender=Organisation.members.through, dispatch_uid="directory-members")
