"""The picture bank for security preferences: names and ids only (drawings live in the UI).

Recovery shows the 16 pictures a parent chose (8 liked, 8 disliked) and asks for the liked ones,
so the bank needs enough pictures that the 16 reveal little: 40 here, at least 36 required.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Picture:
    id: str
    en: str
    es: str


PICTURES: tuple[Picture, ...] = tuple(
    Picture(i, en, es)
    for i, en, es in [
        ("apple", "Apple", "Manzana"),
        ("anchor", "Anchor", "Ancla"),
        ("bicycle", "Bicycle", "Bicicleta"),
        ("boat", "Boat", "Barco"),
        ("book", "Book", "Libro"),
        ("bus", "School bus", "Autobús escolar"),
        ("butterfly", "Butterfly", "Mariposa"),
        ("cactus", "Cactus", "Cactus"),
        ("car", "Car", "Carro"),
        ("castle", "Castle", "Castillo"),
        ("cat", "Cat", "Gato"),
        ("cloud", "Cloud", "Nube"),
        ("cup", "Cup", "Taza"),
        ("dog", "Dog", "Perro"),
        ("fish", "Fish", "Pez"),
        ("flower", "Flower", "Flor"),
        ("guitar", "Guitar", "Guitarra"),
        ("hat", "Hat", "Sombrero"),
        ("heart", "Heart", "Corazón"),
        ("house", "House", "Casa"),
        ("key", "Key", "Llave"),
        ("kite", "Kite", "Papalote"),
        ("lamp", "Lamp", "Lámpara"),
        ("leaf", "Leaf", "Hoja"),
        ("moon", "Moon", "Luna"),
        ("mountain", "Mountain", "Montaña"),
        ("mushroom", "Mushroom", "Hongo"),
        ("pencil", "Pencil", "Lápiz"),
        ("pizza", "Pizza", "Pizza"),
        ("rain", "Rain", "Lluvia"),
        ("rocket", "Rocket", "Cohete"),
        ("shoe", "Shoe", "Zapato"),
        ("snowman", "Snowman", "Muñeco de nieve"),
        ("star", "Star", "Estrella"),
        ("sun", "Sun", "Sol"),
        ("tree", "Tree", "Árbol"),
        ("train", "Train", "Tren"),
        ("umbrella", "Umbrella", "Paraguas"),
        ("whale", "Whale", "Ballena"),
        ("clock", "Clock", "Reloj"),
    ]
)

PICTURE_IDS = frozenset(p.id for p in PICTURES)
BY_ID = {p.id: p for p in PICTURES}
LIKED_COUNT = 8
DISLIKED_COUNT = 8
