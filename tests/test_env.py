import pytest

from config.env import ImproperlyConfiguredEnv, env_bool, env_database, env_int, env_str


def test_env_bool_is_strict(monkeypatch):
    monkeypatch.setenv("FLAG", "true")
    assert env_bool("FLAG", default=False) is True
    monkeypatch.setenv("FLAG", "False")
    assert env_bool("FLAG", default=True) is False
    monkeypatch.setenv("FLAG", "ja")
    with pytest.raises(ImproperlyConfiguredEnv):
        env_bool("FLAG", default=False)
    monkeypatch.delenv("FLAG")
    assert env_bool("FLAG", default=True) is True


def test_env_int_and_required_str(monkeypatch):
    monkeypatch.setenv("NUMBER", "12x")
    with pytest.raises(ImproperlyConfiguredEnv):
        env_int("NUMBER", default=1)
    monkeypatch.delenv("REQUIRED_THING", raising=False)
    with pytest.raises(ImproperlyConfiguredEnv):
        env_str("REQUIRED_THING")


def test_database_url_parsing(monkeypatch):
    monkeypatch.setenv("DB", "postgres://app:p%40ss@db.example.nl:6543/regio?sslmode=require")
    db = env_database("DB", default="postgres://x@y/z")
    assert (db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], db["NAME"]) == (
        "app",
        "p@ss",
        "db.example.nl",
        "6543",
        "regio",
    )
    assert db["OPTIONS"] == {"sslmode": "require"}
    monkeypatch.setenv("DB", "mysql://app@db/regio")
    with pytest.raises(ImproperlyConfiguredEnv):
        env_database("DB", default="")
