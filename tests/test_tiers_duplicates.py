"""The duplicate warning of a new third party catches names a letter or two apart and
emails at the same company domain, and stays quiet for names that only look alike
(trigram similarity: pg_trgm on PostgreSQL, the same function in Python on SQLite)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ct.core.tenancy import bound_tenant
from ct.core.text import company_key, similarity
from ct.extensions import db
from ct.models import Tiers
from ct.models.tiers import NAME_SIMILARITY

ALIKE = [
    ("Dupont Industries", "Dupond Industries"),
    ("Hôtel des Alpes", "Hôtel des Alps"),
    ("Dupont", "Dupond"),
    ("Durand", "Durant"),
    ("Garage Lenoir SARL", "Garage Lenoire"),
]
DIFFERENT = [
    ("Pharmacie du Centre", "Pharmacie de la Gare"),
    ("Hôtel du Lac", "Hôtel du Parc"),
    ("Transports Petit", "Transports Martin"),
    ("Bernard", "Bertrand"),
    ("Axa", "Axe"),
    ("Dupont Industries", "Martin Négoce"),
]


def add(app, tenant_id: int, name: str, email: str | None = None) -> int:
    with app.app_context(), bound_tenant(tenant_id):
        tiers = Tiers(name=name, email=email)
        db.session.add(tiers)
        db.session.commit()
        return tiers.id


def duplicates(app, tenant_id: int, name: str, email: str | None = None) -> list[str]:
    with app.app_context(), bound_tenant(tenant_id):
        return [t.name for t in Tiers.possible_duplicates(name, email)]


@pytest.mark.parametrize("known, typed", ALIKE + [(b, a) for a, b in ALIKE])
def test_a_name_a_letter_or_two_apart_is_a_possible_duplicate(app, tenants, known, typed):
    add(app, tenants.a.id, known)
    add(app, tenants.a.id, "Martin Négoce")
    assert duplicates(app, tenants.a.id, typed) == [known]


@pytest.mark.parametrize("known, typed", DIFFERENT + [(b, a) for a, b in DIFFERENT])
def test_names_that_only_look_alike_are_not(app, tenants, known, typed):
    add(app, tenants.a.id, known)
    assert duplicates(app, tenants.a.id, typed) == []


def test_the_closest_name_comes_first_and_another_company_is_never_shown(app, tenants):
    add(app, tenants.a.id, "Dupont Industries SA")
    add(app, tenants.a.id, "Dupond Industrie")
    add(app, tenants.b.id, "Dupond Industries")
    assert duplicates(app, tenants.a.id, "Dupond Industries") == [
        "Dupond Industrie", "Dupont Industries SA"]


@pytest.mark.parametrize("known, typed, warned", [
    ("contact@dupont-industries.fr", "ventes@dupont-industries.fr", True),
    ("contact@DUPONT-industries.fr", "contact@dupont-industries.fr", True),
    ("jean.dupont@gmail.com", "marie.martin@gmail.com", False),  # free mail says nothing
    ("contact@dupont-industries.fr", "contact@dupont-industries.com", False),
    ("contact@a_b.fr", "contact@axb.fr", False),  # LIKE's "_" is no wildcard here
])
def test_an_email_at_the_same_company_domain(app, tenants, known, typed, warned):
    add(app, tenants.a.id, "Quelque Part", email=known)
    assert duplicates(app, tenants.a.id, "Tout Autre Nom", typed) == (
        ["Quelque Part"] if warned else [])


def test_the_database_and_python_agree_on_similarity(app, tenants):
    for known, _typed in ALIKE + DIFFERENT:
        add(app, tenants.a.id, known)
    with app.app_context(), bound_tenant(tenants.a.id):
        for key in db.session.scalars(select(Tiers.name_key)):
            for typed in [t for _, t in ALIKE + DIFFERENT]:
                found = db.session.scalar(select(db.func.similarity(key, company_key(typed))))
                assert found == pytest.approx(similarity(key, company_key(typed)), abs=1e-6)
    assert 0 < NAME_SIMILARITY < 1


def test_the_tiers_form_warns_of_a_typo(app, client, auth, tenants):
    known = add(app, tenants.a.id, "Dupont Industries")
    auth.login(tenants.a.admin_email)
    base = f"/t/{tenants.a.slug}/tiers"
    body = client.post(f"{base}/new", data={"name": "Dupond Industries"}).get_data(as_text=True)
    assert 'id="tiers-duplicates"' in body and f'href="{base}/{known}"' in body
