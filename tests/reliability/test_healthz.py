"""/healthz: the trivial view (load balancers; the load benchmark's ceiling) answers without the database."""

from django.test import Client


def test_healthz_answers_ok_without_database(django_assert_num_queries, db):
    with django_assert_num_queries(0):
        response = Client().get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
