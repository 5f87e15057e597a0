"""Companies, people who log in, and the tenant's lists — with names the load benchmark
and the soak test know in advance (they log in with them)."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import datetime

from argon2 import PasswordHasher

from ct.core.permissions import PRESETS, ROLE_ADMIN, ROLE_MEMBER
from ct.core.text import fold
from ct.demo.names import FIRST_NAMES, LAST_NAMES
from ct.models.choices import DEFAULTS as CHOICE_DEFAULTS

BENCH_SLUG = "bench"
BENCH_NAME = "Établissements Bénard & Fils"
BENCH_MEMBERS = 20
BENCH_ADMINS = 4  # the first members; the others hold the member preset
SMALL_TENANTS = 99
SMALL_MEMBERS = 2  # an admin and a member
PASSWORD = "banc-essai-2026"


def small_slug(number: int) -> str:
    return f"petite-{number:02d}"


def member_email(slug: str, number: int) -> str:
    """The login of member ``number`` (1-based; the first ones are admins)."""
    return f"membre{number:02d}@{slug}.example"


@dataclass
class Member:
    id: int
    is_admin: bool


@dataclass
class TenantLists:
    """What a tenant's records point to: its members, groups and list entries."""

    members: list[Member] = field(default_factory=list)
    groups: list[int] = field(default_factory=list)
    modes: list[int] = field(default_factory=list)
    objects: list[int] = field(default_factory=list)
    document_kinds: list[tuple[int, str]] = field(default_factory=list)  # (id, code)

    @property
    def member_ids(self) -> list[int]:
        return [m.id for m in self.members]


_hash_cache: dict[str, str] = {}


def password_hash() -> str:
    """One argon2 hash (the library's default cost) shared by every generated user: each
    hash carries its own salt, so the same string verifies for all of them."""
    if PASSWORD not in _hash_cache:
        _hash_cache[PASSWORD] = PasswordHasher().hash(PASSWORD)
    return _hash_cache[PASSWORD]


def add_tenant(gen, slug: str, name: str, members: int, admins: int,
               created: datetime) -> tuple[int, TenantLists]:
    """The tenant row, its users and memberships, groups and default lists."""
    sink, ids, rng = gen.sink, gen.ids, gen.rng
    tenant_id = ids.next("tenants")
    sink.add("tenants", (tenant_id, name, slug, created, created))
    lists = TenantLists()
    for number in range(1, members + 1):
        user_id = ids.next("users")
        display = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        token = f"{rng.getrandbits(128):032x}"
        sink.add("users", (user_id, member_email(slug, number), display, "fr", password_hash(),
                           token, created, created))
        is_admin = number <= admins
        role = ROLE_ADMIN if is_admin else ROLE_MEMBER
        rights = json.dumps(list(PRESETS["admin" if is_admin else "member"]))
        membership_id = ids.next("memberships")
        sink.add("memberships", (membership_id, tenant_id, user_id, role, rights, True,
                                 created, created))
        lists.members.append(Member(membership_id, is_admin))
    _add_groups(gen, tenant_id, lists, created)
    _add_choices(gen, tenant_id, lists)
    return tenant_id, lists


def _add_groups(gen, tenant_id: int, lists: TenantLists, created: datetime) -> None:
    names = ["Commerciaux", "Direction", "Équipe technique"][: max(1, len(lists.members) // 5)]
    for name in names:
        group_id = gen.ids.next("groups")
        gen.sink.add("groups", (group_id, tenant_id, name, created, created))
        lists.groups.append(group_id)
        chosen = gen.rng.sample(lists.members, k=max(1, len(lists.members) // 3))
        for member in chosen:
            gen.sink.add("group_members", (gen.ids.next("group_members"), tenant_id, group_id,
                                           member.id))


def _add_choices(gen, tenant_id: int, lists: TenantLists) -> None:
    """The lists a new company gets at sign-up (Choice.seed_defaults)."""
    targets = {"mode": lists.modes, "object": lists.objects}
    for kind, entries in CHOICE_DEFAULTS.items():
        for position, (code, label, label_en) in enumerate(entries):
            choice_id = gen.ids.next("choices")
            gen.sink.add("choices", (choice_id, tenant_id, kind, code, label, label_en,
                                     position, True))
            if kind in targets:
                targets[kind].append(choice_id)
            elif kind == "document":
                lists.document_kinds.append((choice_id, code))


def email_of(first: str, last: str, domain: str, rng: random.Random) -> str:
    local = f"{fold(first)}.{fold(last)}".replace(" ", "-").replace("'", "")
    if rng.random() < 0.2:
        local += str(rng.randint(1, 99))
    return f"{local}@{domain}"
