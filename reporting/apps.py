from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Reporting"

    def ready(self):
        from accounts import home
        from reporting.home import home_page

        home.register(home_page)
