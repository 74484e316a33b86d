def test_it_serves_health(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["migrations"] == "ok"


def test_it_builds_the_personas(personas):
    assert personas.unit_a.status == "operating"
    assert personas.enterprise_a.division.prefecture.code == "610800"
