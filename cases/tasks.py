from celery import shared_task

from cases import reviews


@shared_task
def sweep_reviews_task() -> int:
    """Beat runs this daily: opens each quarter's reviews once, escalates overdue ones."""
    return reviews.sweep_reviews()
