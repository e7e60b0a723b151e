import datetime

import factory
from factory.django import DjangoModelFactory

from exclusions.models import Exclusion


class SuspensionFactory(DjangoModelFactory):
    """A suspension that stands (notified earlier; built directly, without its deadlines)."""

    class Meta:
        model = Exclusion

    kind = "suspension"
    start_date = datetime.date(2025, 11, 3)
    sessions = 10
    description = "Assault on a member of staff"
    parents_told_on = factory.SelfAttribute("start_date")
    parents_told_how = "Phone, then letter"
    board_told_on = factory.SelfAttribute("start_date")
