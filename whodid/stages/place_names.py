"""What a name says about the places it may mean: pure functions over gazetteer candidates.

- ``own_name``: a name is the place's own (with or without its Arabic article, "St." or
  "Saint"), not one of its GeoNames alternate names;
- ``own_names_first``: the towns that have a name as their own before those that merely have it
  as an alternate;
- ``cities_before_their_areas``: a city before the area it gives its name to;
- ``of_kind``: the candidates of the kind a toponym's words ask for;
- ``country_of_demonym``: the country a demonym names ("Briton"), not a town spelt like it;
- ``home_area_before_country``: a first-level area of the article's own country before a
  foreign country of its name ("Georgia" among Florida and Alaska);
- ``best_candidates``: the candidate the ranker chooses for each toponym, after the above.
"""

from __future__ import annotations

from collections import Counter
from functools import cache

from whodid.knowledge.gazetteer import GazetteerEntry, GazetteerIndex, ascii_fold
from whodid.knowledge.gazetteer.ranker import PlaceContext, Ranker, ToponymForm
from whodid.knowledge.rules import packaged, tsv_rows


def own_name(entry: GazetteerEntry, key: str) -> bool:
    """True when ``key`` is the place's own name (or a name of our alias table), with or
    without its Arabic article ("Qamishli" for Al Qamishli), not one of its GeoNames alternate
    names ("Cup" is also Carupano, "Garden City" also Singapore)."""
    own = ascii_fold(entry.name.split(",")[0])
    return entry.population == 0 or entry.feature in ("country", "continent", "region") or \
        own == key or ascii_fold(entry.admin1 or "") == key or spelling_of(key, own)


ARTICLES = ("al ", "al-", "el ", "el-", "ad-", "ar-", "as-", "ash-", "at-", "az-", "an-")


# Abbreviated first words of place names and what they stand for ("St. Petersburg").
ABBREVIATIONS = (("st. ", "saint "), ("st ", "saint "), ("ste. ", "sainte "),
                 ("ste ", "sainte "), ("mt. ", "mount "), ("mt ", "mount "), ("ft. ", "fort "),
                 ("ft ", "fort "))


def spelling_of(key: str, own: str) -> bool:
    """True when ``key`` is ``own`` without its Arabic article or with it ("Qamishli" for Al
    Qamishli), or with its first word abbreviated or written out ("St. Petersburg" for Saint
    Petersburg, "Mount Vernon" for Mt. Vernon); never a near spelling ("Minneota" is a village,
    not "Minnesota")."""
    own = _written_out(next((own[len(a):] for a in ARTICLES if own.startswith(a)), own))
    key = _written_out(next((key[len(a):] for a in ARTICLES if key.startswith(a)), key))
    return own == key


def _written_out(name: str) -> str:
    """Return a folded name with an abbreviated first word written out ("saint petersburg")."""
    return next((full + name[len(short):] for short, full in ABBREVIATIONS
                 if name.startswith(short)), name)


def own_names_first(candidates: list[GazetteerEntry], key: str, index: GazetteerIndex
                    ) -> list[GazetteerEntry]:
    """Return the candidates without the towns that have the name only as an alternate one,
    when a town has it as its own ("Salisbury" is the English town, not Harare that was once
    called so; "Venice" not Dayton); a name of our alias table keeps all."""
    if key in index.alias_countries or not any(
            e.feature == "city" and own_name(e, key) and e.population > 0 for e in candidates):
        return candidates
    return [e for e in candidates if e.feature != "city" or own_name(e, key)]


def of_kind(candidates: list[GazetteerEntry], kind: str | None) -> list[GazetteerEntry]:
    """Return the candidates of the kind a toponym's words ask for, when it has any, else all
    (cities before their areas: ``cities_before_their_areas``)."""
    wanted = [e for e in candidates if e.feature == kind]
    return wanted or cities_before_their_areas(candidates)


def cities_before_their_areas(candidates: list[GazetteerEntry]) -> list[GazetteerEntry]:
    """Return the candidates without an area whose namesake city lies in it and is its own
    name or its largest city: "Deir ez-Zor", "Mosul" and "New York" mean the city
    (GeoNames-style), "Louisiana" still the state, and "Minnesota" the state though the village
    of Minneota has it for an alternate name."""
    def namesake(area: GazetteerEntry, city: GazetteerEntry) -> bool:
        return city.feature == "city" and (city.country, city.admin1) == (
            area.country, area.admin1) and (city.population >= area.population or ascii_fold(
                city.name.split(",")[0]) == ascii_fold(area.name))

    kept = [e for e in candidates if not (e.feature in ("admin1", "admin2") and any(
        namesake(e, c) for c in candidates))]
    return kept or candidates


MIN_HOME_AREAS = 2  # first-level areas of its own country an article names besides the name


def home_area_before_country(candidates: list[GazetteerEntry], countries: Counter[str],
                             admin1s: Counter[tuple[str, str]]) -> list[GazetteerEntry]:
    """Return the candidates without a foreign country when one of them is a first-level area
    of the article's leading country (most named in ``countries``) and the article names at
    least MIN_HOME_AREAS other first-level areas of that country (``admin1s``): "Georgia"
    among Florida, Alaska and Hawaii is the state; with only "Tbilisi" around, the country."""
    if not countries:
        return candidates
    home = countries.most_common(1)[0][0]
    areas = [e for e in candidates if e.feature == "admin1" and e.country == home]
    if not areas:
        return candidates
    others = {a for (c, a), n in admin1s.items() if c == home and n > 0} - {
        e.admin1 or "" for e in areas}
    if len(others) < MIN_HOME_AREAS:
        return candidates
    return [e for e in candidates if not (e.feature == "country" and e.country != home)]


def famous_abroad(candidates: list[GazetteerEntry], countries: Counter[str],
                   min_population: int) -> bool:
    """True when the most populous town of a name is a city (``min_population``) of another
    country than the article's main one that the article names too (Manchester, England in
    a US-focused article that names Britain)."""
    towns = [e for e in candidates if e.feature == "city"]
    largest = max(towns, key=lambda e: e.population, default=None)
    return largest is not None and largest.population >= min_population and \
        largest.country != countries.most_common(1)[0][0] and countries[largest.country] > 0


def country_of_demonym(candidates: list[GazetteerEntry], country: str, index: GazetteerIndex,
                       alone: bool = True) -> list[GazetteerEntry]:
    """Return the candidates of a name the actors stage read as ``country`` (ISO alpha-3): the
    country's own entry among them, else, when none of them lies in that country and the name
    stands ``alone`` (a demonym: "a Briton", "a Canadian"; not the end of "North American"),
    the country itself rather than Britton or Canadian, Oklahoma; else all ("Vienna" may
    still be Vienna, Virginia)."""
    own = [e for e in candidates if e.feature == "country" and e.country == country]
    if own or not alone or any(e.country == country for e in candidates):
        return own or candidates
    geonameid = _country_ids().get(country)
    entry = index.by_id(geonameid) if geonameid is not None else None
    return [entry] if entry is not None else candidates


def country_entry(country: str, index: GazetteerIndex) -> GazetteerEntry | None:
    """Return the gazetteer's entry of a country by its ISO alpha-3 code."""
    geonameid = _country_ids().get(country)
    return index.by_id(geonameid) if geonameid is not None else None


@cache
def _country_ids() -> dict[str, int]:
    """Return the GeoNames id of each country by ISO alpha-3 (data/places/country_points.tsv)."""
    return {row["iso3"]: int(row["geonameid"])
            for row in tsv_rows(packaged("places/country_points.tsv"))}


def best_candidates(toponyms: dict[int, tuple[list[GazetteerEntry], str | None]],
                    forms: dict[int, ToponymForm], index: GazetteerIndex, ranker: Ranker,
                    context: PlaceContext) -> dict[int, GazetteerEntry]:
    """Return the candidate the ranker chooses under ``context`` for each toponym of ``forms``
    (by number), whose candidates and the kind its words ask for are in ``toponyms``: among
    its own names first, of its kind, and a home area before a foreign country.

    Toponyms written alike (the same candidates, name, kind, qualifier and area word) are
    ranked once: their features are the same, but for a toponym whose own point is the only
    one of its place among ``context.points`` (its proximity leaves that point out)."""
    counts = Counter(context.points.values())
    ranked: dict[tuple[object, ...], GazetteerEntry] = {}
    chosen: dict[int, GazetteerEntry] = {}
    for position, form in forms.items():
        candidates, kind = toponyms[position]
        point = context.points.get(position)
        own = position if point is not None and counts[point] == 1 else -1
        alike = (tuple(map(id, candidates)), form.key, kind, form.qualifier, form.area_word, own)
        if alike not in ranked:
            ranked[alike] = ranker.best(home_area_before_country(of_kind(own_names_first(
                candidates, form.key, index), kind), context.countries, context.admin1s),
                form, context)
        chosen[position] = ranked[alike]
    return chosen
