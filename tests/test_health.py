import pytest


@pytest.mark.django_db
def test_health_answers_without_sign_in_when_database_and_redis_answer(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "redis": "ok"}
