"""The pages a user feels, by URL — so a scenario works as soon as its page is merged.

Everything another area may still rename lives at the top of this file: the URLs, the
list filters and the fields of the exchange form.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from bench.context import BenchData
from bench.http import Reply, Session, next_page_link

REFERENCE = "/t/{slug}/bench/reference"
HOME = "/t/{slug}/"
EXCHANGES = "/t/{slug}/exchanges/"
HISTORY = "/t/{slug}/exchanges/history"
EXPORT = "/t/{slug}/exchanges/export.csv"
NEW_EXCHANGE = "/t/{slug}/exchanges/new"
SEARCH_CONTACTS = "/t/{slug}/search/contacts"
SEARCH_TIERS = "/t/{slug}/search/tiers"
SEARCH_EVERYTHING = "/t/{slug}/search/everything"
API_EXCHANGES = "/api/v1/exchanges/"  # the REST API (docs/API.md), with a token
API_PAGE = {"limit": 50}  # the rows of a list page, as on the All exchanges page

DEEP_PAGES = 20
CONTACT_PREFIXES = ("a", "be", "mar", "lef", "dupr", "hél", "jean", "fra", "élo", "ménard")
TIERS_PREFIXES = ("g", "bo", "ate", "menu", "trans", "hôtel", "lefè", "bâti", "ébé", "sarl")
# The header box: names and words of the comments (common, rare) and of the objects.
EVERYTHING_TEXTS = ("mar", "devis", "lefè", "réclamation", "hôtel", "facture", "jean",
                    "chantier", "zzq", "relance")


def filtered_query(data: BenchData) -> dict[str, str]:
    """Exchanges "to do" of the last twelve months (list filters: see exchange_list)."""
    return {"status": "todo", "date_from": (data.today - timedelta(days=365)).isoformat(),
            "date_to": data.today.isoformat()}


def export_query(data: BenchData) -> dict[str, str]:
    """The most recent ~100,000 exchanges, by date."""
    return {"date_from": data.export_from.isoformat()}


def exchange_form(data: BenchData, author: int, rng: random.Random) -> list[tuple[str, str]]:
    """A full exchange: two contacts, two collaborators notified, a task and an event.

    Field names are those of the exchange form (ct/blueprints/exchanges/forms.py);
    update them here if the form changes.
    """
    tiers_id, contacts = data.pick_tiers(rng)
    others = [m for m in data.members if m != author]
    when = datetime.now().replace(second=0, microsecond=0)
    meeting = when + timedelta(days=rng.randint(1, 20), hours=2)
    return [
        ("tiers_id", str(tiers_id)),
        *[("contact_ids", str(c)) for c in contacts[:2]],
        ("occurred_at", when.strftime("%Y-%m-%dT%H:%M")),
        ("mode_id", str(rng.choice(data.modes))),
        ("object_id", str(rng.choice(data.objects))),
        *[("collaborator_ids", str(m)) for m in rng.sample(others, min(2, len(others)))],
        ("notify_collaborators", "y"),
        ("comment", "Appel du client : il souhaite une nouvelle proposition chiffrée "
                    "avant la réunion de chantier. Relance prévue."),
        ("status", "todo"),
        ("add_task", "y"),
        ("task_label", "Envoyer la proposition révisée"),
        ("task_assignee_id", str(author)),
        ("task_due_date", (when + timedelta(days=7)).strftime("%Y-%m-%d")),
        ("add_event", "y"),
        ("event_title", "Rendez-vous sur le chantier"),
        ("event_start", meeting.strftime("%Y-%m-%dT%H:%M")),
        ("event_end", (meeting + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")),
        ("event_assignee_ids", str(author)),
        ("event_location", "Besançon"),
        ("event_reminder_amount", "1"),
        ("event_reminder_unit", "hours"),
        ("form_token", ""),
    ]


@dataclass
class Scenario:
    name: str
    probe: str  # a URL answering 404 means the page is not merged yet
    action: Callable[[Session, int], Reply]
    kind: str = "read"  # read | search | write
    ok: Callable[[Reply], bool] = lambda r: r.status < 400
    htmx_probe: bool = False


def _get(url: str, htmx: bool = False):
    return lambda session, n: session.get(url, htmx=htmx)


def _rotating(base: str, prefixes: tuple[str, ...]):
    def action(session: Session, n: int) -> Reply:
        return session.get(f"{base}?{urlencode({'q': prefixes[n % len(prefixes)]})}", htmx=True)
    return action


def deep_page_url(session: Session, first_page: str, pages: int = DEEP_PAGES) -> str | None:
    """The URL reached by following "Next page" ``pages`` times from ``first_page``."""
    url = first_page
    for _ in range(pages):
        reply = session.get(url)
        if reply.status != 200:
            return None
        link = next_page_link(reply.text)
        if link is None:
            return None
        url = link
    return url


def deep_api_page_url(session: Session, first_page: str,
                      pages: int = DEEP_PAGES) -> str | None:
    """The URL reached by following the API's ``next`` cursor ``pages`` times from
    ``first_page`` (``session`` carries a token)."""
    url = first_page
    for _ in range(pages):
        reply = session.get(url)
        if reply.status != 200:
            return None
        cursor = json.loads(reply.body).get("next")
        if not cursor:
            return None
        url = f"{first_page}&{urlencode({'cursor': cursor})}"
    return url


def build(data: BenchData, session: Session) -> list[Scenario]:
    """Every scenario (the reference first). ``session`` prepares the deep page."""
    slug = data.slug
    url = {name: template.format(slug=slug) for name, template in {
        "reference": REFERENCE, "home": HOME, "exchanges": EXCHANGES, "history": HISTORY,
        "new": NEW_EXCHANGE, "contacts": SEARCH_CONTACTS, "tiers": SEARCH_TIERS,
        "everything": SEARCH_EVERYTHING}.items()}
    filtered = f"{url['exchanges']}?{urlencode(filtered_query(data))}"
    big = f"{url['history']}?{urlencode({'tiers': data.big_tiers_id})}"
    deep = deep_page_url(session, url["exchanges"]) or f"{url['exchanges']}?cursor=unreachable"
    rngs: dict[int, random.Random] = {}

    def create(session: Session, n: int) -> Reply:
        rng = rngs.setdefault(id(session), random.Random(n))
        author = data.members[session.number - 1]
        return session.post(url["new"], exchange_form(data, author, rng), htmx=True)

    return [
        Scenario("reference", url["reference"], _get(url["reference"])),
        Scenario("home", url["home"], _get(url["home"])),
        Scenario("exchanges: first page", url["exchanges"], _get(url["exchanges"])),
        Scenario("exchanges: filtered", filtered, _get(filtered)),
        Scenario(f"exchanges: page {DEEP_PAGES + 1}", deep, _get(deep)),
        Scenario("big tiers: exchanges tab", big, _get(big, htmx=True), htmx_probe=True),
        Scenario("search contacts", f"{url['contacts']}?q=mar",
                 _rotating(url["contacts"], CONTACT_PREFIXES), kind="search", htmx_probe=True),
        Scenario("search tiers", f"{url['tiers']}?q=gar",
                 _rotating(url["tiers"], TIERS_PREFIXES), kind="search", htmx_probe=True),
        Scenario("search everything", f"{url['everything']}?q=devis",
                 _rotating(url["everything"], EVERYTHING_TEXTS), kind="search",
                 htmx_probe=True),
        Scenario("exchange pop-up", url["new"], _get(url["new"], htmx=True), htmx_probe=True),
        Scenario("create exchange", url["new"], create, kind="write",
                 ok=lambda r: r.status < 400 and r.status != 422),
    ]


def export_url(data: BenchData) -> str:
    return f"{EXPORT.format(slug=data.slug)}?{urlencode(export_query(data))}"
