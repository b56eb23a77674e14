"""People's names for the demo network: given and family names by region, drawn as real names are.

An international network mixes cultures, but a name mostly keeps one: a
person's family name comes from their given name's region five times in six,
from anywhere otherwise. Regions are weighted roughly like the network of a
data scientist who has lived in two or three countries. About 640 given and
500 family names make a 2,000-person network with hundreds of first names and,
once the generator skips a name already taken, no two people called the same.
A few names carry diacritics so search and email folding get exercised.
"""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass
from itertools import accumulate


@dataclass(frozen=True, slots=True)
class Region:
    weight: float
    given: tuple[str, ...]
    family: tuple[str, ...]


# fmt: off
REGIONS = (
    Region(14, (  # English-speaking: Britain, Ireland, North America, Australia
        "Olivia", "James", "Emma", "Liam", "Charlotte", "Noah", "Amelia", "Oliver", "Grace", "Henry", "Siobhan",
        "Declan", "Aoife", "Callum", "Eilidh", "Ruth", "Samuel", "Hannah", "Isaac", "Naomi", "Ethan", "Chloe",
        "Jack", "Ella", "Harry", "Sophie", "George", "Lucy", "Thomas", "Megan", "William", "Abigail", "Daniel",
        "Emily", "Matthew", "Rebecca", "Benjamin", "Sarah", "Joseph", "Laura", "Andrew", "Rachel", "Michael",
        "Jessica", "Christopher", "Katherine", "David", "Eleanor", "Patrick", "Niamh", "Ciarán", "Fiona", "Rory",
        "Imogen", "Owen", "Bethany", "Connor", "Molly", "Tyler", "Madison", "Gareth", "Rhiannon", "Alistair",
    ), (
        "Smith", "Johnson", "Williams", "Brown", "Taylor", "Walsh", "Murphy", "O'Brien", "MacLeod", "Campbell",
        "Jones", "Davies", "Evans", "Wilson", "Thompson", "Wright", "Robinson", "Hughes", "Clarke", "Hall",
        "Green", "Baker", "Harris", "Lewis", "Walker", "Wood", "Turner", "Cooper", "Ward", "Morris", "King",
        "Kelly", "Byrne", "Ryan", "O'Connor", "Doyle", "McCarthy", "Fraser", "Stewart", "Anderson", "Mitchell",
        "Parker", "Bennett", "Reid", "Sullivan", "Foster", "Gallagher", "Price", "Hayes", "Lloyd",
    )),
    Region(10, (  # Spain and Spanish-speaking America
        "Sofía", "Mateo", "Valentina", "Santiago", "Camila", "Diego", "Lucía", "Joaquín", "Ximena", "Andrés",
        "Marisol", "Alejandro", "Carmen", "Javier", "Isabel", "Pablo", "Elena", "Sergio", "Paula", "Álvaro",
        "Marta", "Raúl", "Alba", "Hugo", "Nerea", "Iker", "Daniela", "Sebastián", "Mariana", "Emiliano",
        "Renata", "Nicolás", "Florencia", "Tomás", "Catalina", "Agustín", "Guadalupe", "Fernando", "Pilar",
        "Gonzalo", "Rocío", "Ignacio", "Adriana", "Felipe", "Carolina", "Jorge", "Natalia", "Esteban", "Luciana",
        "Martín", "Itziar", "Maite",
    ), (
        "García", "Martínez", "Rodríguez", "López", "Hernández", "González", "Pérez", "Sánchez", "Ramírez",
        "Torres", "Flores", "Rivera", "Gómez", "Díaz", "Morales", "Ortiz", "Castillo", "Jiménez", "Ruiz",
        "Vargas", "Romero", "Navarro", "Domínguez", "Gutiérrez", "Mendoza", "Herrera", "Medina", "Aguilar",
        "Vega", "Castro", "Rojas", "Moreno", "Álvarez", "Muñoz", "Delgado", "Guerrero", "Salazar", "Cabrera",
        "Fuentes", "Paredes", "Echeverría", "Iglesias",
    )),
    Region(6, (  # Portugal and Brazil
        "João", "Beatriz", "Thiago", "Larissa", "Rafael", "Inês", "Gabriela", "Pedro", "Ana", "Lucas",
        "Fernanda", "Gustavo", "Leonardo", "Juliana", "Bruno", "Rodrigo", "Patrícia", "Diogo", "Rita", "Tiago",
        "Joana", "Miguel", "Leonor", "Afonso", "Matilde", "Duarte", "Bianca", "Caio", "Letícia", "Vinícius",
        "Aline", "Renato", "Tatiana", "Marcelo", "Priscila", "André", "Vitória", "Enzo", "Luana", "Murilo",
        "Yasmin", "Heitor", "Lívia",
    ), (
        "Silva", "Santos", "Oliveira", "Costa", "Ferreira", "Almeida", "Carvalho", "Gomes", "Ribeiro", "Barbosa",
        "Souza", "Pereira", "Lima", "Araújo", "Rocha", "Martins", "Cardoso", "Teixeira", "Correia", "Mendes",
        "Nunes", "Soares", "Vieira", "Monteiro", "Moura", "Azevedo", "Pinto", "Lopes", "Fonseca", "Machado",
        "Cavalcanti", "Freitas", "Nascimento", "Batista", "Dias",
    )),
    Region(7, (  # France, Belgium, Switzerland, Quebec
        "Camille", "Louis", "Chloé", "Théo", "Léa", "Manon", "Julien", "Élodie", "Mathilde", "Antoine",
        "Margaux", "Baptiste", "Clémence", "Guillaume", "Juliette", "Maxime", "Arthur", "Pauline", "Nicolas",
        "Céline", "Romain", "Aurélie", "Adrien", "Océane", "Quentin", "Anaïs", "Florian", "Noémie", "Étienne",
        "Sylvie", "Benoît", "Amandine", "Mathieu", "Justine", "Rémi", "Gaëlle", "Olivier", "Capucine", "Yannick",
        "Solène", "Gaspard", "Héloïse",
    ), (
        "Martin", "Bernard", "Dubois", "Lefebvre", "Moreau", "Laurent", "Simon", "Michel", "Leroy", "Roux",
        "David", "Bertrand", "Morel", "Fournier", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine",
        "Rousseau", "Vincent", "Faure", "Mercier", "Blanc", "Guérin", "Boyer", "Garnier", "Chevalier", "Perrin",
        "Gauthier", "Lemaire", "Renard", "Marchand", "Tremblay", "Gagnon", "Côté",
    )),
    Region(10, (  # Germany, Austria, the Netherlands, the Nordic countries
        "Lukas", "Lena", "Jonas", "Anneke", "Sven", "Ingrid", "Øyvind", "Freja", "Mikael", "Astrid", "Felix",
        "Maximilian", "Leon", "Marie", "Paul", "Johanna", "Niklas", "Katharina", "Tobias", "Anja", "Julia",
        "Moritz", "Greta", "Jan", "Lotte", "Daan", "Sanne", "Bram", "Femke", "Joris", "Eva", "Ruben", "Maartje",
        "Lars", "Sigrid", "Erik", "Maja", "Henrik", "Linnea", "Nils", "Elin", "Magnus", "Karin", "Oskar", "Ebba",
        "Jukka", "Aino", "Mikko", "Saara", "Jörg", "Ute", "Wiebke", "Thijs",
    ), (
        "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Hoffmann", "Schulz",
        "Koch", "Richter", "Klein", "Wolf", "Neumann", "Zimmermann", "Krüger", "Hartmann", "de Vries",
        "van Dijk", "Jansen", "Bakker", "Visser", "Smit", "de Jong", "van den Berg", "Mulder", "Bos",
        "Andersson", "Johansson", "Nilsen", "Hansen", "Virtanen", "Lindqvist", "Karlsson", "Eriksson", "Larsen",
        "Pedersen", "Nieminen", "Korhonen", "Lund", "Holm", "Brandt", "Vogel",
    )),
    Region(6, (  # Italy and Greece
        "Giulia", "Lorenzo", "Chiara", "Matteo", "Eleni", "Nikos", "Francesca", "Alessandro", "Martina",
        "Andrea", "Federica", "Davide", "Sara", "Riccardo", "Elisa", "Gabriele", "Valeria", "Simone", "Alessia",
        "Stefano", "Ilaria", "Marco", "Silvia", "Giorgio", "Emanuele", "Giovanni", "Roberta", "Paolo", "Serena",
        "Dimitris", "Georgios", "Maria", "Konstantinos", "Katerina", "Yannis", "Despina", "Panagiotis",
        "Anastasia", "Christos", "Ioanna", "Zoë",
    ), (
        "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco",
        "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Giordano", "Rizzo", "Lombardi", "Moretti", "Barbieri",
        "Fontana", "Santoro", "Caruso", "Papadopoulos", "Georgiou", "Nikolaou", "Pappas", "Vlachos",
        "Dimitriou", "Oikonomou", "Karagiannis", "Christodoulou", "Alexiou",
    )),
    Region(8, (  # Central and Eastern Europe, the Baltics, the Balkans
        "Agnieszka", "Tomasz", "Katarzyna", "Piotr", "Olena", "Dmytro", "Irina", "Sergei", "Milan", "Jana",
        "Ondřej", "Zsófia", "Bence", "Rasa", "Andrius", "Magdalena", "Krzysztof", "Paweł", "Joanna", "Michał",
        "Aleksandra", "Łukasz", "Jakub", "Zuzana", "Petr", "Tereza", "Lucie", "Tamás", "Réka", "Dávid",
        "Eszter", "Andrei", "Ioana", "Mihai", "Bogdan", "Oksana", "Taras", "Yulia", "Anton", "Daria", "Nikola",
        "Ivana", "Marko", "Milica", "Luka", "Tanja", "Goran", "Katarina", "Dimitri", "Ilse", "Jānis", "Liga",
    ), (
        "Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kamiński", "Lewandowski", "Zieliński", "Szymański",
        "Dąbrowski", "Kozłowski", "Shevchenko", "Kovalenko", "Bondarenko", "Tkachenko", "Petrov", "Smirnov",
        "Novák", "Svoboda", "Dvořák", "Černý", "Horváth", "Nagy", "Kovács", "Tóth", "Szabó", "Kazlauskas",
        "Jankauskas", "Jovanović", "Petrović", "Nikolić", "Popescu", "Ionescu", "Popa", "Horvat", "Kovačević",
        "Babić", "Bērziņš", "Tamm",
    )),
    Region(8, (  # Turkey, the Arab world, Iran, Israel
        "Elif", "Emre", "Zeynep", "Mehmet", "Layla", "Omar", "Fatima", "Yusuf", "Amira", "Karim", "Nour",
        "Tariq", "Dariush", "Shirin", "Reza", "Yael", "Avi", "Noa", "Eitan", "Leila", "Ahmet", "Ayşe", "Burak",
        "Selin", "Can", "Deniz", "Mustafa", "Ece", "Hassan", "Rania", "Khalid", "Salma", "Ali", "Mariam",
        "Youssef", "Hana", "Samir", "Dina", "Rami", "Farid", "Nasrin", "Arash", "Parisa", "Kian", "Mina",
        "Tamar", "Yosef", "Shira", "Ori", "Maya",
    ), (
        "Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Aydın", "Öztürk", "Arslan", "Doğan", "Haddad",
        "Khalil", "Nasser", "Mansour", "Ibrahim", "Saleh", "Aziz", "Farouk", "Hamdan", "El-Amin", "Darwish",
        "Rahimi", "Hosseini", "Tehrani", "Ahmadi", "Karimi", "Moradi", "Jafari", "Sadeghi", "Cohen", "Levi",
        "Mizrahi", "Friedman", "Peretz", "Biton", "Avraham", "Katz", "Shapiro", "Golan",
    )),
    Region(10, (  # South Asia
        "Priya", "Arjun", "Ananya", "Rohan", "Kavya", "Vikram", "Deepa", "Sanjay", "Aisha", "Imran", "Lakshmi",
        "Karthik", "Meera", "Rahul", "Farhan", "Nusrat", "Tanvir", "Anjali", "Sunil", "Divya", "Aditya", "Pooja",
        "Nikhil", "Sneha", "Varun", "Shreya", "Amit", "Neha", "Rajesh", "Swati", "Harish", "Isha", "Manoj",
        "Kiran", "Suresh", "Aarav", "Diya", "Ishaan", "Riya", "Vivek", "Nandini", "Gaurav", "Pallavi",
        "Siddharth", "Tara", "Zoya", "Ayesha", "Bilal", "Sana", "Hamza", "Fahad", "Nadia", "Arif", "Sadia",
        "Dilshan", "Nimali", "Roshan", "Tharindu",
    ), (
        "Patel", "Sharma", "Singh", "Gupta", "Iyer", "Reddy", "Nair", "Krishnan", "Chatterjee", "Banerjee",
        "Rahman", "Hossain", "Khan", "Qureshi", "Malik", "Mehta", "Joshi", "Desai", "Kulkarni", "Rao", "Menon",
        "Pillai", "Bose", "Das", "Mukherjee", "Verma", "Agarwal", "Kapoor", "Chopra", "Bhatt", "Shah", "Ahmed",
        "Chowdhury", "Siddiqui", "Hussain", "Perera", "Fernando", "Jayasinghe", "Thapa", "Shrestha",
    )),
    Region(10, (  # China, Japan, Korea
        "Wei", "Mei", "Jun", "Xin", "Hao", "Yan", "Lin", "Yuki", "Haruto", "Sakura", "Kenji", "Aiko", "Ren",
        "Min-jun", "Seo-yeon", "Ji-ho", "Hye-jin", "Jing", "Lei", "Xiaoming", "Yu", "Fang", "Ying", "Jie",
        "Ming", "Tao", "Hui", "Zhen", "Qing", "Hiroshi", "Takumi", "Yui", "Daiki", "Haruka", "Sota", "Misaki",
        "Kaito", "Emi", "Shota", "Nanami", "Ji-woo", "Soo-ah", "Hyun-woo", "Eun-ji", "Dong-hyun", "Ye-jin",
        "Seung-min", "Da-eun", "Xiaoyu", "Ruolan",
    ), (
        "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma", "Zhu",
        "Hu", "Guo", "He", "Gao", "Luo", "Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto",
        "Nakamura", "Kobayashi", "Kato", "Yoshida", "Yamada", "Kim", "Lee", "Park", "Choi", "Jung", "Kang",
        "Cho", "Yoon", "Jang", "Han",
    )),
    Region(5, (  # Southeast Asia
        "Thanh", "Linh", "Minh", "Huong", "Maricel", "Jose", "Putri", "Budi", "Siti", "Arief", "Anh", "Tuan",
        "Lan", "Quang", "Mai", "Hieu", "Trang", "Duc", "Ngoc", "Phuong", "Jericho", "Angelica", "Mark",
        "Kristine", "Rhea", "Joshua", "Dewi", "Agus", "Rina", "Andi", "Nurul", "Hafiz", "Aisyah", "Farah",
        "Somchai", "Nattapong", "Siriporn", "Kanya", "Arthit", "Pim", "Wirat", "Suda", "Thiha", "Aung", "Kyaw",
    ), (
        "Nguyen", "Tran", "Le", "Pham", "Hoang", "Vu", "Dang", "Bui", "Do", "Ngo", "Reyes", "Cruz", "Bautista",
        "Ramos", "Aquino", "Villanueva", "dela Cruz", "Wijaya", "Santoso", "Setiawan", "Hidayat", "Kusuma",
        "Pratama", "Saputra", "Lim", "Tan", "Ong", "Abdullah", "Ismail", "Chaiyaporn", "Srisuk", "Wongsakul",
        "Boonmee", "Htun", "Win",
    )),
    Region(7, (  # Africa
        "Chinedu", "Ngozi", "Adebayo", "Folake", "Oluwaseun", "Amara", "Kwame", "Ama", "Kofi", "Abena",
        "Wanjiru", "Otieno", "Achieng", "Tendai", "Thandiwe", "Sipho", "Nomvula", "Tesfaye", "Selam", "Abebe",
        "Fatou", "Moussa", "Aminata", "Ibrahima", "Zainab", "Emeka", "Chiamaka", "Tunde", "Yetunde", "Ifeoma",
        "Obinna", "Kemi", "Yaw", "Efua", "Kojo", "Akosua", "Njeri", "Kipchoge", "Wambui", "Baraka", "Zawadi",
        "Juma", "Neema", "Lindiwe", "Thabo", "Lerato", "Bongani", "Naledi", "Tsegaye", "Hiwot", "Dawit",
        "Mekdes", "Mamadou", "Awa", "Ousmane", "Mariama", "Cheikh", "Kadiatou",
    ), (
        "Okafor", "Adeyemi", "Okonkwo", "Eze", "Balogun", "Mensah", "Owusu", "Boateng", "Asante", "Kamau",
        "Odhiambo", "Mwangi", "Njoroge", "Moyo", "Ndlovu", "Dlamini", "Nkosi", "Bekele", "Tadesse", "Haile",
        "Diallo", "Traoré", "Keïta", "Ndiaye", "Sow", "Adeleke", "Ogunleye", "Nwosu", "Obi", "Afolabi", "Appiah",
        "Darko", "Osei", "Ochieng", "Wekesa", "Kiprono", "Mutua", "Khumalo", "Mokoena", "Zulu", "Girma",
        "Alemu", "Bah", "Camara", "Cissé",
    )),
    Region(2, (  # Pacific peoples and Indigenous North America
        "Aroha", "Tane", "Keala", "Kai", "Malia", "Sione", "Tala", "Ayasha", "Dakota", "Nayeli", "Mere",
        "Wiremu", "Hemi", "Anahera", "Rangi", "Leilani", "Kekoa", "Noelani", "Mikaere", "Losana", "Viliami",
        "Tevita", "Sefa", "Kalani", "Tahu", "Marama", "Tamati", "Winona", "Kiona", "Takoda",
    ), (
        "Ngata", "Kahale", "Tupou", "Begay", "Yazzie", "Parata", "Whaanga", "Kealoha", "Makoa", "Fifita",
        "Taufa", "Faleolo", "Tuilagi", "Tso", "Benally", "Tsosie", "Nez", "Harjo", "Attakai", "Tawhiri",
    )),
)
# fmt: on
SAME_REGION = 5 / 6  # how often a family name comes from the given name's region
MIDDLE_INITIALS = 0.15  # share of the network's people known with a middle initial ("Ana K. Lima")
_CUTS = tuple(accumulate(region.weight for region in REGIONS))
_INITIALS = "ABCDEFGHJKLMNPRSTW"


def _region(rng: random.Random) -> Region:
    return REGIONS[bisect.bisect(_CUTS, rng.random() * _CUTS[-1])]


def pick_name(rng: random.Random) -> tuple[str, str]:
    """(given name, family name), mostly from one region."""
    region = _region(rng)
    given = region.given[int(rng.random() * len(region.given))]
    family_from = region if rng.random() < SAME_REGION else _region(rng)
    return given, family_from.family[int(rng.random() * len(family_from.family))]


@dataclass(frozen=True, slots=True)
class PersonName:
    given: str
    middle: str  # an initial with its dot ("K."), or ""
    family: str

    @property
    def first(self) -> str:
        """What the people table keeps as the given name: the given name and any middle initial."""
        return f"{self.given} {self.middle}" if self.middle else self.given

    @property
    def full(self) -> str:
        return f"{self.first} {self.family}"


class NameBook:
    """Names for the whole demo network, handed out block after block by one process.

    Blocks are generated apart (in worker processes too), so a block cannot
    see the names the others took; drawing every name here, in block order from
    one stream, keeps full names unique across the network and the same for a
    seed whatever the number of workers.
    """

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.taken: set[str] = set()

    def next_names(self, count: int) -> list[PersonName]:
        return [unique_name(self.rng, self.taken, middle_share=MIDDLE_INITIALS) for _ in range(count)]


def unique_name(rng: random.Random, taken: set[str], *, middle_share: float = 0.0) -> PersonName:
    """The name of someone not called like anyone in `taken`, which the name then joins.

    A few tries find a free name in a network of thousands; should all of them
    meet a namesake (a network far larger than the lists), the last is kept, as
    real networks hold a few namesakes.
    """
    for _attempt in range(20):
        given, family = pick_name(rng)
        middle = f"{_INITIALS[int(rng.random() * len(_INITIALS))]}." if rng.random() < middle_share else ""
        name = PersonName(given, middle, family)
        if name.full not in taken:
            break
    taken.add(name.full)
    return name
