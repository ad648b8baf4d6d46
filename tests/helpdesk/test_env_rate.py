import pytest
from django.core.exceptions import ImproperlyConfigured

from helpdesk.env import env_rate


def test_it_reads_a_rate_as_requests_per_window_in_seconds() -> None:
    assert env_rate("R", "20/min", environ={}) == (20, 60)
    assert env_rate("R", "20/min", environ={"R": "5/hour"}) == (5, 3600)
    assert env_rate("R", "20/min", environ={"R": "100/s"}) == (100, 1)


@pytest.mark.parametrize("value", ["20", "0/min", "-1/min", "x/min", "20/fortnight", "/min"])
def test_it_refuses_a_rate_it_cannot_read(value: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="R must be a rate"):
        env_rate("R", "20/min", environ={"R": value})
