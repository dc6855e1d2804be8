"""How news articles name a country besides its ISO name: short names, adjectives and demonyms.

Neither the Country model, django-countries nor pycountry gives adjectives or demonyms, so this is a small
curated table (Europe, its neighbours, NATO, the G20 and countries often in the sources); a country not in it is
found by its ISO name alone. Capitals are left out: an article's “Paris” is as often the summit's city as the
French government.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class CountryNames:
    """Other names of one country: short forms, and adjectives and demonyms."""

    names: tuple[str, ...] = ()
    adjectives: tuple[str, ...] = ()


def _row(names: str, adjectives: str) -> CountryNames:
    return CountryNames(tuple(filter(None, names.split(";"))), tuple(filter(None, adjectives.split(";"))))


# ISO code: other names; adjectives and demonyms (each semicolon-separated).
COUNTRY_NAMES: dict[str, CountryNames] = {
    code: _row(*row)
    for code, row in {
        "AL": ("", "Albanian;Albanians"),
        "AM": ("", "Armenian;Armenians"),
        "AR": ("", "Argentine;Argentinian;Argentinians"),
        "AT": ("", "Austrian;Austrians"),
        "AU": ("", "Australian;Australians"),
        "AZ": ("", "Azerbaijani;Azerbaijanis"),
        "BA": ("Bosnia", "Bosnian;Bosnians"),
        "BE": ("", "Belgian;Belgians"),
        "BG": ("", "Bulgarian;Bulgarians"),
        "BR": ("", "Brazilian;Brazilians"),
        "BY": ("", "Belarusian;Belarusians"),
        "CA": ("", "Canadian;Canadians"),
        "CH": ("", "Swiss"),
        "CN": ("", "Chinese"),
        "CY": ("", "Cypriot;Cypriots"),
        "CZ": ("Czech Republic", "Czech;Czechs"),
        "DE": ("", "German;Germans"),
        "DK": ("", "Danish;Danes"),
        "EE": ("", "Estonian;Estonians"),
        "ES": ("", "Spanish;Spaniards"),
        "FI": ("", "Finnish;Finns"),
        "FR": ("", "French;Frenchman;Frenchmen"),
        "GB": ("UK;U.K.;Britain;Great Britain", "British;Briton;Britons"),
        "GE": ("", "Georgian;Georgians"),
        "GR": ("", "Greek;Greeks"),
        "HR": ("", "Croatian;Croats;Croatians"),
        "HU": ("", "Hungarian;Hungarians"),
        "ID": ("", "Indonesian;Indonesians"),
        "IE": ("", "Irish"),
        "IL": ("", "Israeli;Israelis"),
        "IN": ("", "Indian;Indians"),
        "IR": ("", "Iranian;Iranians"),
        "IS": ("", "Icelandic;Icelanders"),
        "IT": ("", "Italian;Italians"),
        "JP": ("", "Japanese"),
        "KP": ("", "North Korean;North Koreans"),
        "KR": ("", "South Korean;South Koreans"),
        "KZ": ("", "Kazakh;Kazakhs"),
        "LT": ("", "Lithuanian;Lithuanians"),
        "LU": ("", "Luxembourgish;Luxembourgers"),
        "LV": ("", "Latvian;Latvians"),
        "MD": ("", "Moldovan;Moldovans"),
        "ME": ("", "Montenegrin;Montenegrins"),
        "MK": ("", "Macedonian;Macedonians"),
        "MT": ("", "Maltese"),
        "MX": ("", "Mexican;Mexicans"),
        "NL": ("Holland", "Dutch"),
        "NO": ("", "Norwegian;Norwegians"),
        "NZ": ("", "New Zealander;New Zealanders"),
        "PL": ("", "Polish;Poles"),
        "PT": ("", "Portuguese"),
        "RO": ("", "Romanian;Romanians"),
        "RS": ("", "Serbian;Serbs"),
        "RU": ("Russian Federation", "Russian;Russians"),
        "SA": ("", "Saudi;Saudis"),
        "SE": ("", "Swedish;Swedes"),
        "SI": ("", "Slovenian;Slovene;Slovenes"),
        "SK": ("", "Slovak;Slovaks"),
        "TR": ("Turkey;Turkiye", "Turkish;Turks"),
        "UA": ("", "Ukrainian;Ukrainians"),
        "US": ("United States;US;U.S.;USA;America", "American;Americans"),
        "ZA": ("", "South African;South Africans"),
    }.items()
}


def country_names(code: str, name: str) -> list[str]:
    """Return every name by which articles may mention the country: its ISO name, other names and adjectives."""
    row = COUNTRY_NAMES.get(code, CountryNames())
    return [name, *row.names, *row.adjectives]
