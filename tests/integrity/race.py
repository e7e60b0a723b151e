"""Two people pressing the same button at once: real threads, each with its own database
connection and its own copy of the record (as two browsers that loaded the same page), released
together, each committing its own transaction."""

import threading
from dataclasses import dataclass

from django.db import connections


@dataclass
class Outcome:
    value: object = None
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def race(*actions, timeout: float = 30) -> list[Outcome]:
    """Run each action in a thread of its own, all released at the same moment; return what
    each returned or raised, in the order given."""
    barrier = threading.Barrier(len(actions))
    outcomes = [Outcome() for _ in actions]

    def run(index, action):
        try:
            barrier.wait(timeout)
            outcomes[index].value = action()
        except BaseException as error:
            outcomes[index].error = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
        assert not thread.is_alive(), "a racer is stuck: a lock was never released"
    return outcomes


def one_winner(outcomes: list[Outcome], loser_says: str) -> Outcome:
    """Exactly one action succeeded; every other was refused with a ``DomainError`` whose
    message contains ``loser_says`` (never an ``IntegrityError`` or any other failure)."""
    from config.errors import DomainError

    winners = [o for o in outcomes if o.ok]
    losers = [o for o in outcomes if not o.ok]
    assert len(winners) == 1, [repr(o.error) for o in outcomes]
    for loser in losers:
        assert isinstance(loser.error, DomainError), repr(loser.error)
        assert loser_says in loser.error.message, loser.error.message
    return winners[0]
