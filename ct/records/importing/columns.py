"""Which column of the file gives which field: matched by header name, French or English.

Headers are compared folded ("Téléphone", "TELEPHONE" and "telephone" are the same) with
punctuation as spaces ("e-mail" = "e mail"). Columns that match no field are ignored and
listed on the preview, so a typo in a header is seen before anything is imported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from ct.core.text import fold
from ct.models import contact as contact_model
from ct.models import tiers as tiers_model
from ct.models.import_run import KIND_CONTACTS, KIND_TIERS

EMAIL = ("email", "e mail", "mail", "courriel", "adresse email", "adresse e mail",
         "adresse mail", "email address", "adresse courriel")
PHONE = ("telephone", "tel", "phone", "phone number", "telephone fixe", "numero de telephone",
         "fixe", "ligne directe", "direct line")
NOTES = ("notes", "note", "commentaire", "commentaires", "comment", "comments", "remarques",
         "observations")
CUSTOMER_CODE = ("code client", "customer code", "code tiers", "client code", "ref client",
                 "reference client")


@dataclass(frozen=True)
class Field:
    name: str
    label: object  # lazy string shown on the preview
    aliases: tuple[str, ...]
    max_length: int | None = None
    check: str | None = None  # "email", "phone", "kinds"


TIERS_FIELDS = (
    Field("name", _l("Name"), ("nom", "name", "raison sociale", "nom du tiers", "nom tiers",
                               "societe", "company", "company name", "entreprise", "tiers",
                               "third party", "organisation", "organization"),
          tiers_model.NAME_MAX),
    Field("customer_code", _l("Customer code"), CUSTOMER_CODE + ("code",), tiers_model.CODE_MAX),
    Field("kinds", _l("Type"), ("type", "types", "kind", "kinds", "nature", "categorie",
                                "category"), check="kinds"),
    Field("email", _l("Email"), EMAIL, tiers_model.EMAIL_MAX, "email"),
    Field("phone", _l("Phone"), PHONE, tiers_model.PHONE_MAX, "phone"),
    Field("website", _l("Website"), ("site web", "site", "website", "web", "url",
                                     "site internet"), tiers_model.URL_MAX),
    Field("street", _l("Street"), ("adresse", "address", "street", "rue", "adresse postale"),
          tiers_model.STREET_MAX),
    Field("postcode", _l("Postcode"), ("code postal", "cp", "postcode", "postal code", "zip",
                                       "zip code"), tiers_model.POSTCODE_MAX),
    Field("town", _l("Town"), ("ville", "town", "city", "commune", "localite"),
          tiers_model.TOWN_MAX),
    Field("country", _l("Country"), ("pays", "country"), tiers_model.COUNTRY_MAX),
    Field("notes", _l("Notes"), NOTES, tiers_model.NOTES_MAX),
)

CONTACT_FIELDS = (
    Field("first_name", _l("First name"), ("prenom", "first name", "firstname", "given name"),
          contact_model.NAME_MAX),
    Field("last_name", _l("Last name"), ("nom", "last name", "lastname", "surname",
                                         "nom de famille", "family name"),
          contact_model.NAME_MAX),
    Field("job_title", _l("Job title"), ("fonction", "job title", "poste", "title", "titre",
                                         "job", "role"), contact_model.JOB_MAX),
    Field("email", _l("Email"), EMAIL, tiers_model.EMAIL_MAX, "email"),
    Field("phone", _l("Phone"), PHONE, tiers_model.PHONE_MAX, "phone"),
    Field("mobile", _l("Mobile"), ("mobile", "portable", "tel portable", "telephone portable",
                                   "mobile phone", "cell", "cell phone", "gsm"),
          tiers_model.PHONE_MAX, "phone"),
    Field("tiers", _l("Third party"), ("tiers", "societe", "company", "entreprise",
                                       "raison sociale", "organisation", "organization",
                                       "third party", "nom du tiers", "company name"),
          tiers_model.NAME_MAX),
    Field("tiers_code", _l("Customer code"), CUSTOMER_CODE, tiers_model.CODE_MAX),
    Field("notes", _l("Notes"), NOTES, contact_model.NOTES_MAX),
)

FIELDS = {KIND_TIERS: TIERS_FIELDS, KIND_CONTACTS: CONTACT_FIELDS}
# At least one of these must have a column; a row must fill at least one of them.
REQUIRED = {KIND_TIERS: ("name",), KIND_CONTACTS: ("first_name", "last_name")}


class HeaderError(ValueError):
    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass
class ColumnMap:
    kind: str
    positions: dict[str, int]  # field name -> index of its column in the file
    headers: dict[str, str]  # field name -> the header as written in the file
    ignored: list[str] = field(default_factory=list)

    @property
    def fields(self) -> list[Field]:
        return [f for f in FIELDS[self.kind] if f.name in self.positions]

    def values(self, cells: list[str]) -> dict[str, str]:
        """The row's cells by field name (missing trailing cells read as empty)."""
        return {
            name: cells[index] if index < len(cells) else ""
            for name, index in self.positions.items()
        }


def header_key(header: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(header)).split())


def map_columns(kind: str, header: list[str]) -> ColumnMap:
    """Match the file's header to the fields of ``kind``; HeaderError if unusable."""
    by_alias = {alias: f for f in FIELDS[kind] for alias in f.aliases}
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    ignored: list[str] = []
    for index, title in enumerate(header):
        target = by_alias.get(header_key(title))
        if target is None:
            if title:
                ignored.append(title)
            continue
        if target.name in positions:
            raise HeaderError(_l(
                "The columns “%(first)s” and “%(second)s” both give the %(field)s: keep "
                "only one of them.",
                first=headers[target.name], second=title, field=str(target.label).lower(),
            ))
        positions[target.name] = index
        headers[target.name] = title
    required = REQUIRED[kind]
    if not any(name in positions for name in required):
        expected = [f for f in FIELDS[kind] if f.name in required]
        names = ", ".join(f"“{alias}”" for f in expected for alias in f.aliases[:3])
        raise HeaderError(_l(
            "The file has no column for the name. The first line must name the columns, "
            "for example %(names)s.", names=names,
        ))
    return ColumnMap(kind, positions, headers, ignored)
