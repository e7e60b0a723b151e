from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and organisations"

    def ready(self):
        from accounts.models import Organisation
        from accounts.signed_in import connect_signals
        from config.choices import read_again_when_changed

        connect_signals()
        read_again_when_changed(Organisation)  # services are organisations
