"""Swedish names, streets, towns and mail domains for the demo company.

First names and surnames are common in Sweden (SCB's name statistics list them among the most
frequent); every combination with an address, a number or an e-mail address is invented. Postal
codes use the town's real three-digit prefix and two invented digits. Mail domains end in
``.example`` (RFC 2606), so no generated address can reach a real mailbox.
"""

from __future__ import annotations


def _words(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(text.split()))


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.strip().splitlines() if line.strip())


FEMALE_NAMES = _words(
    """
    Anna Eva Maria Karin Kristina Lena Kerstin Sara Emma Ingrid Marie Malin Jenny Birgitta
    Inger Annika Linda Susanne Elin Monica Hanna Ulla Johanna Carina Elisabeth Katarina Sofia
    Margareta Åsa Helena Ida Camilla Julia Gunilla Cecilia Anneli Ewa Sandra Siv Therese Agneta
    Anita Louise Barbro Gun Viktoria Lisa Frida Jessica Britt Matilda Alice Maja Elsa Astrid
    Wilma Ebba Agnes Saga Alva Selma Freja Vera Signe Stella Alma Olivia Ella Nora Klara Tilde
    Elvira Lova Moa Ellen Tyra Märta Greta Edith Svea Ester Ingegerd Gunnel Yvonne Marianne
    Eva-Lena Ann-Marie Mona Berit Elsie Rut Gudrun Solveig Märit Vivianne Majvor Britta Gerd
    Lilian Dagny Doris Aina Elna Iris Tove Emelie Josefin Amanda Rebecka Hedvig Ronja Linnea
    Evelina Petra Pernilla Veronica Madeleine Charlotte Ulrika Maria-Helena Fatima Amina Leila
    Sanna Nina Mia Tina Jeanette Lotta Helén Anette Maud Eivor Sonja Inga Ylva Gunhild Karolina
    """
)

MALE_NAMES = _words(
    """
    Lars Mikael Anders Johan Per Erik Karl Peter Jan Thomas Daniel Fredrik Hans Bengt Mats
    Nils Magnus Stefan Jonas Mattias Bo Sven Andreas Leif Björn Göran Martin Ulf Alexander
    Christer Roger Kjell Håkan Marcus Rolf Tommy Stig Gunnar Henrik Oskar Niklas Robert Patrik
    Emil Kent Rickard Joakim Viktor Jörgen Åke Arne Lennart Ingvar Kurt Rune Sten Tord Bertil
    William Liam Noah Hugo Lucas Adam Elias Oliver Alfred Vincent Theo Axel Nils Arvid Melvin
    Ludvig Viggo Olle Harry Gustav Charlie Sixten Edvin Albin Elton Isak Frans Loke Sigge
    Birger Evert Folke Gösta Holger Ivar Ragnar Sture Torsten Valter Yngve Åke Östen Eskil
    Tage Sune Gert Conny Lasse Janne Pelle Kalle Robin Sebastian Tobias Simon Jesper Jimmy
    Mohammed Ali Ahmed Omar Hassan Yusuf Ibrahim Karim Mehmet Milan Goran Zoran Juha Pekka
    Kristoffer Filip Anton Samuel Felix Jacob Linus Love Otto Wilhelm Carl Einar Algot Tor
    """
)

LAST_NAMES = _words(
    """
    Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson
    Pettersson Jonsson Jansson Hansson Bengtsson Jönsson Lindberg Jakobsson Magnusson
    Lindström Olofsson Lindqvist Lindgren Berg Axelsson Bergström Lundberg Lind Lundgren
    Lundqvist Mattsson Berglund Fredriksson Sandberg Henriksson Forsberg Sjöberg Wallin
    Ali Engström Mohamed Eklund Danielsson Lundin Håkansson Björk Bergman Gunnarsson Holm
    Wikström Samuelsson Isaksson Fransson Bergqvist Nyström Holmberg Arvidsson Löfgren
    Söderberg Nyberg Blomqvist Claesson Nordström Mårtensson Lundström Ahmed Viklund
    Björklund Eliasson Pålsson Berggren Sandström Lund Nordin Ström Åberg Hermansson Ekström
    Holmgren Sundberg Hedlund Dahlberg Hellström Sjögren Abrahamsson Martinsson Öberg
    Andreasson Falk Månsson Blom Åkesson Strand Hassan Jonasson Ekberg Dahl Sundström
    Nordqvist Hedberg Lindholm Göransson Ivarsson Lindell Söderström Norberg Malmberg Jensen
    Mohammadi Sjöström Jakobsson Lindblom Ekman Hansen Nieminen Bergkvist Korhonen Holmström
    Ekholm Östlund Lundell Lindahl Engberg Sundqvist Törnqvist Wiklund Nord Berglöf
    Hägglund Boström Nylund Ågren Granberg Lundholm Kristiansson Backman Forsman Grahn
    Brandt Borg Sundin Lindkvist Almqvist Palm Roos Nyman Åström Zetterberg Rosén Sjölund
    Östberg Hallberg Edlund Wallén Jeppsson Nyqvist Rydberg Kjellberg Ekdahl Stenberg
    Friberg Höglund Lindroth Hägg Lund Karlström Öhman Carlsson Nilsson-Berg Persson-Lind
    Rasmusson Sjödin Skoglund Westberg Wahlström Dahlgren Bäckström Lundmark Fors Melin
    Bengtsson-Holm Hedman Nyholm Vesterlund Ohlsson Stål Kling Ljung Stenström Sahlin Hjalmarsson
    Wallgren Bergh Ekelund Moberg Andersen Lilja Ahlberg Svärd Jovanović Popović Yilmaz Kaya
    Nguyen Rahimi Hosseini Khalil Abdi Omar Farah Warsame Virtanen Mäkinen Kowalski Nowak
    """
)

STREETS = _lines(
    """
    Storgatan
    Drottninggatan
    Kungsgatan
    Skolgatan
    Kyrkogatan
    Järnvägsgatan
    Parkgatan
    Nygatan
    Trädgårdsgatan
    Östra Långgatan
    Västra Storgatan
    Stationsvägen
    Björkvägen
    Tallvägen
    Granvägen
    Ekvägen
    Lönnvägen
    Aspvägen
    Lindvägen
    Almvägen
    Rönnvägen
    Bokvägen
    Lärkvägen
    Svalvägen
    Trastvägen
    Sparvvägen
    Vallmovägen
    Prästgårdsvägen
    Skogsvägen
    Ringvägen
    Strandvägen
    Sjövägen
    Solvägen
    Backvägen
    Ängsvägen
    Kvarnvägen
    Smedjegatan
    Hantverkargatan
    Bryggaregatan
    Fabriksgatan
    Industrigatan
    Torggatan
    Brogatan
    Hamngatan
    Nästgatan
    Vasagatan
    Esplanaden
    Allégatan
    Villavägen
    Gamla vägen
    Bergsgatan
    Södra vägen
    Norra vägen
    Mossvägen
    Ängsgatan
    Klockarvägen
    Idrottsvägen
    Vintergatan
    Blåklintsvägen
    Prästvägen
    Kaptensgatan
    Postvägen
    Mejerivägen
    Sågvägen
    Lingonvägen
    Blåbärsvägen
    Hagvägen
    Åsvägen
    Hagagatan
    Sveavägen
    """
)

#: Town, its real three-digit postal-code prefix and a weight (roughly its population share).
TOWNS: tuple[tuple[str, str, int], ...] = tuple(
    (" ".join(parts[1:-1]), parts[0], int(parts[-1]))
    for parts in (
        line.split()
        for line in _lines(
            """
        113 Stockholm 40
        118 Stockholm 20
        124 Bandhagen 6
        131 Nacka 6
        141 Huddinge 6
        147 Tumba 4
        151 Södertälje 5
        169 Solna 5
        175 Järfälla 4
        183 Täby 4
        191 Sollentuna 4
        194 Upplands Väsby 3
        211 Malmö 18
        222 Lund 7
        231 Trelleborg 2
        252 Helsingborg 8
        261 Landskrona 2
        262 Ängelholm 2
        281 Hässleholm 2
        291 Kristianstad 4
        302 Halmstad 5
        311 Falkenberg 2
        352 Växjö 5
        371 Karlskrona 4
        392 Kalmar 4
        411 Göteborg 30
        431 Mölndal 4
        434 Kungsbacka 4
        442 Kungälv 2
        451 Uddevalla 3
        461 Trollhättan 3
        503 Borås 6
        541 Skövde 3
        551 Jönköping 7
        582 Linköping 9
        602 Norrköping 8
        611 Nyköping 3
        621 Visby 3
        632 Eskilstuna 6
        652 Karlstad 6
        703 Örebro 9
        722 Västerås 9
        753 Uppsala 14
        761 Norrtälje 3
        781 Borlänge 3
        791 Falun 3
        802 Gävle 6
        824 Hudiksvall 2
        831 Östersund 4
        852 Sundsvall 5
        871 Härnösand 2
        891 Örnsköldsvik 3
        903 Umeå 7
        931 Skellefteå 4
        941 Piteå 2
        972 Luleå 5
        981 Kiruna 2
        """
        )
    )
)

#: Municipalities and care companies' home towns (customer organisations).
MUNICIPALITIES = tuple(dict.fromkeys(town for town, _, _ in TOWNS if town != "Bandhagen"))

MAIL_DOMAINS = (
    "brevlada.example",
    "hemmail.example",
    "norrpost.example",
    "fjallmail.example",
    "epost.example",
    "telenet.example",
    "webbpost.example",
)

TITLES = (
    "Enhetschef hemtjänst",
    "Verksamhetschef äldreomsorg",
    "Biståndshandläggare",
    "Inköpare",
    "IT-samordnare",
    "Sjuksköterska, larmcentral",
    "Upphandlare",
    "Digitaliseringsstrateg",
    "Medicinskt ansvarig sjuksköterska",
    "Ekonomiansvarig",
)

_ASCII = str.maketrans(
    {"å": "a", "ä": "a", "ö": "o", "é": "e", "ć": "c", "č": "c", "ü": "u", "Å": "A", "Ä": "A"}
    | {"Ö": "O", "É": "E"}
)


def ascii_slug(text: str, sep: str = ".") -> str:
    """Lower-case ASCII for e-mail addresses: ``Åsa Öberg`` -> ``asa.oberg``."""
    return sep.join(text.translate(_ASCII).lower().replace("-", " ").split())
