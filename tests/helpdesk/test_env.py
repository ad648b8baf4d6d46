import pytest
from django.core.exceptions import ImproperlyConfigured

from helpdesk.env import env_bool, env_choice, env_int, env_list, env_secret, env_url


def test_it_reads_booleans_in_common_spellings() -> None:
    assert env_bool("X", environ={"X": "yes"}) is True
    assert env_bool("X", environ={"X": "Off"}) is False
    assert env_bool("X", True, environ={}) is True


def test_it_refuses_a_boolean_it_cannot_read() -> None:
    with pytest.raises(ImproperlyConfigured, match="X must be a boolean"):
        env_bool("X", environ={"X": "maybe"})


def test_it_refuses_non_integers_and_out_of_range_integers() -> None:
    with pytest.raises(ImproperlyConfigured, match="X must be an integer, got 'ten'"):
        env_int("X", 1, environ={"X": "ten"})
    with pytest.raises(ImproperlyConfigured, match="X must be at least 1, got 0"):
        env_int("X", 1, minimum=1, environ={"X": "0"})
    assert env_int("X", 5, environ={"X": " 7 "}) == 7


def test_it_splits_lists_and_drops_blanks() -> None:
    assert env_list("X", environ={"X": "a, b,,c "}) == ["a", "b", "c"]


def test_it_reads_a_secret_from_a_file(tmp_path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("s3cret\n")
    assert env_secret("KEY", environ={"KEY_FILE": str(secret)}) == "s3cret"


def test_it_refuses_a_secret_set_twice_or_unreadable(tmp_path) -> None:
    with pytest.raises(ImproperlyConfigured, match="either KEY or KEY_FILE"):
        env_secret("KEY", environ={"KEY": "a", "KEY_FILE": "/x"})
    with pytest.raises(ImproperlyConfigured, match="cannot be read"):
        env_secret("KEY", environ={"KEY_FILE": str(tmp_path / "missing")})


def test_it_checks_url_schemes_and_choices() -> None:
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL must be a URL starting with"):
        env_url("REDIS_URL", schemes=("redis",), environ={"REDIS_URL": "http://x"})
    with pytest.raises(ImproperlyConfigured, match="must be one of a, b"):
        env_choice("X", "a", ("a", "b"), environ={"X": "c"})
