"""Settings read from an environment, and a bad value named with its variable."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from workflow.settings import load


def test_the_ct2_cache_follows_the_models_folder_unless_set() -> None:
    assert load({"LINGUADESK_MODELS_DIR": "/srv/models"}).ct2_cache_dir == Path(
        "/srv/models/.ct2")
    assert load({"LINGUADESK_CT2_CACHE": "/cache"}).ct2_cache_dir == Path("/cache")


def test_lists_and_durations_are_parsed() -> None:
    s = load({"LINGUADESK_TRUSTED_HOSTS": " a.example , b.example,",
              "LINGUADESK_SESSION_MAX_AGE": "2w",
              "LINGUADESK_PUBLIC_URL": "https://news.example.org/"})
    assert s.trusted_hosts == ("a.example", "b.example")
    assert s.session_max_age == timedelta(weeks=2)
    assert s.public_url == "https://news.example.org"


@pytest.mark.parametrize("name, value", [("LINGUADESK_SESSION_IDLE_TIMEOUT", "soon"),
                                         ("LINGUADESK_LEASE_SECONDS", "ten")])
def test_a_bad_value_is_refused_with_the_variable_named(name: str, value: str) -> None:
    with pytest.raises(ValueError, match=name):
        load({name: value})
