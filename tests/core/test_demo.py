"""`make run` loads demo data into an empty database; every demo account can sign in."""

from lms.core.demo import DEMO_PASSWORD


def test_demo_data_loads_once_and_the_demo_accounts_sign_in(runner, client):
    first = runner.invoke(args=["lms", "seed-demo", "--if-empty"])
    assert first.exit_code == 0, first.output
    again = runner.invoke(args=["lms", "seed-demo", "--if-empty"])
    assert "跳过" in again.output
    for login in ("W0001", "M0001", "T0001", "A0001", "13900000021"):
        response = client.post("/login", data={"login": login, "password": DEMO_PASSWORD})
        assert response.status_code == 302, login
        assert client.get("/").status_code == 200, login
        client.post("/logout")
