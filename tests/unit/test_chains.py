"""The search for chains of engines between two languages, over the pairs a desk serves."""

from __future__ import annotations

from workflow.chains import all_real, chains

# Apertium as `scripts/setup.sh` installs it (True: a real engine), plus a demo en→ar model.
SERVED = {("en", "es"): True, ("es", "en"): True, ("es", "fr"): True, ("fr", "es"): True,
          ("es", "pt"): True, ("pt", "es"): True, ("es", "it"): True, ("it", "es"): True,
          ("en", "ca"): True, ("ca", "en"): True, ("en", "ar"): False}


def test_the_shortest_chain_of_real_engines_comes_first() -> None:
    assert chains(SERVED, "en", "fr")[0] == ["en", "es", "fr"]
    assert chains(SERVED, "en", "pt")[0] == ["en", "es", "pt"]
    assert chains(SERVED, "ca", "it") == [["ca", "en", "es", "it"]]


def test_a_chain_with_a_demo_hop_comes_after_every_real_one() -> None:
    found = chains(SERVED, "es", "ar")
    assert found[0] == ["es", "en", "ar"] and not all_real(SERVED, found[0])
    served = {**SERVED, ("es", "de"): True, ("de", "ar"): True, ("fr", "ar"): False}
    assert chains(served, "en", "ar")[0] == ["en", "es", "de", "ar"]  # real, though longer


def test_english_is_the_preferred_bridge_between_chains_of_equal_length() -> None:
    served = {("fr", "en"): True, ("en", "de"): True, ("fr", "ca"): True, ("ca", "de"): True}
    assert chains(served, "fr", "de") == [["fr", "en", "de"], ["fr", "ca", "de"]]


def test_no_chain_visits_a_language_twice_nor_goes_past_three_hops() -> None:
    served = {("a", "b"): True, ("b", "c"): True, ("c", "d"): True, ("d", "e"): True,
              ("b", "a"): True}
    assert chains(served, "a", "d") == [["a", "b", "c", "d"]]
    assert chains(served, "a", "e") == []


def test_a_direct_pair_is_not_a_chain() -> None:
    assert chains({("en", "es"): True}, "en", "es") == []
