from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataQualityConfig(AppConfig):
    name = "portal.dataquality"
    label = "dataquality"
    verbose_name = _("Data quality")

    def ready(self):
        from django.db.backends.signals import connection_created

        from . import receivers, similarity

        connection_created.connect(similarity.register_on_sqlite,
                                   dispatch_uid="dataquality_similarity")
        receivers.connect()
