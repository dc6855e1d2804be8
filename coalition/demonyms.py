"""How news articles name a country besides its ISO name: short names, adjectives and demonyms, capitals.

Neither the Country model, django-countries nor pycountry gives adjectives or demonyms, so this is a small
curated table (Europe, its neighbours, NATO, the G20 and countries often in the sources); a country not in it is
found by its ISO name alone. The capital is there because articles use it for the government (“Washington”,
“Moscow”).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class CountryNames:
    """Other names of one country: short forms, adjectives and demonyms, and its capital."""

    names: tuple[str, ...] = ()
    adjectives: tuple[str, ...] = ()
    capital: str = ""


def _row(names: str, adjectives: str, capital: str) -> CountryNames:
    return CountryNames(tuple(filter(None, names.split(";"))), tuple(filter(None, adjectives.split(";"))), capital)


# ISO code: other names; adjectives and demonyms (semicolon-separated); capital.
COUNTRY_NAMES: dict[str, CountryNames] = {
    code: _row(*row)
    for code, row in {
        "AL": ("", "Albanian;Albanians", "Tirana"),
        "AM": ("", "Armenian;Armenians", "Yerevan"),
        "AR": ("", "Argentine;Argentinian;Argentinians", "Buenos Aires"),
        "AT": ("", "Austrian;Austrians", "Vienna"),
        "AU": ("", "Australian;Australians", "Canberra"),
        "AZ": ("", "Azerbaijani;Azerbaijanis", "Baku"),
        "BA": ("Bosnia", "Bosnian;Bosnians", "Sarajevo"),
        "BE": ("", "Belgian;Belgians", "Brussels"),
        "BG": ("", "Bulgarian;Bulgarians", "Sofia"),
        "BR": ("", "Brazilian;Brazilians", "Brasília"),
        "BY": ("", "Belarusian;Belarusians", "Minsk"),
        "CA": ("", "Canadian;Canadians", "Ottawa"),
        "CH": ("", "Swiss", "Bern"),
        "CN": ("", "Chinese", "Beijing"),
        "CY": ("", "Cypriot;Cypriots", "Nicosia"),
        "CZ": ("Czech Republic", "Czech;Czechs", "Prague"),
        "DE": ("", "German;Germans", "Berlin"),
        "DK": ("", "Danish;Danes", "Copenhagen"),
        "EE": ("", "Estonian;Estonians", "Tallinn"),
        "ES": ("", "Spanish;Spaniards", "Madrid"),
        "FI": ("", "Finnish;Finns", "Helsinki"),
        "FR": ("", "French;Frenchman;Frenchmen", "Paris"),
        "GB": ("UK;U.K.;Britain;Great Britain", "British;Briton;Britons", "London"),
        "GE": ("", "Georgian;Georgians", "Tbilisi"),
        "GR": ("", "Greek;Greeks", "Athens"),
        "HR": ("", "Croatian;Croats;Croatians", "Zagreb"),
        "HU": ("", "Hungarian;Hungarians", "Budapest"),
        "ID": ("", "Indonesian;Indonesians", "Jakarta"),
        "IE": ("", "Irish", "Dublin"),
        "IL": ("", "Israeli;Israelis", "Jerusalem"),
        "IN": ("", "Indian;Indians", "New Delhi"),
        "IR": ("", "Iranian;Iranians", "Tehran"),
        "IS": ("", "Icelandic;Icelanders", "Reykjavík"),
        "IT": ("", "Italian;Italians", "Rome"),
        "JP": ("", "Japanese", "Tokyo"),
        "KP": ("", "North Korean;North Koreans", "Pyongyang"),
        "KR": ("", "South Korean;South Koreans", "Seoul"),
        "KZ": ("", "Kazakh;Kazakhs", "Astana"),
        "LT": ("", "Lithuanian;Lithuanians", "Vilnius"),
        "LU": ("", "Luxembourgish;Luxembourgers", "Luxembourg"),
        "LV": ("", "Latvian;Latvians", "Riga"),
        "MD": ("", "Moldovan;Moldovans", "Chișinău"),
        "ME": ("", "Montenegrin;Montenegrins", "Podgorica"),
        "MK": ("", "Macedonian;Macedonians", "Skopje"),
        "MT": ("", "Maltese", "Valletta"),
        "MX": ("", "Mexican;Mexicans", "Mexico City"),
        "NL": ("Holland", "Dutch", "Amsterdam"),
        "NO": ("", "Norwegian;Norwegians", "Oslo"),
        "NZ": ("", "New Zealander;New Zealanders", "Wellington"),
        "PL": ("", "Polish;Poles", "Warsaw"),
        "PT": ("", "Portuguese", "Lisbon"),
        "RO": ("", "Romanian;Romanians", "Bucharest"),
        "RS": ("", "Serbian;Serbs", "Belgrade"),
        "RU": ("Russian Federation", "Russian;Russians", "Moscow"),
        "SA": ("", "Saudi;Saudis", "Riyadh"),
        "SE": ("", "Swedish;Swedes", "Stockholm"),
        "SI": ("", "Slovenian;Slovene;Slovenes", "Ljubljana"),
        "SK": ("", "Slovak;Slovaks", "Bratislava"),
        "TR": ("Turkey;Turkiye", "Turkish;Turks", "Ankara"),
        "UA": ("", "Ukrainian;Ukrainians", "Kyiv"),
        "US": ("United States;US;U.S.;USA;America", "American;Americans", "Washington"),
        "ZA": ("", "South African;South Africans", "Pretoria"),
    }.items()
}


def country_names(code: str, name: str) -> list[str]:
    """Return every name by which articles may mention the country: its ISO name, other names and adjectives."""
    row = COUNTRY_NAMES.get(code, CountryNames())
    return [name, *row.names, *row.adjectives, *([row.capital] if row.capital else [])]
