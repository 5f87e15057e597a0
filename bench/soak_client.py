"""One soak client: a logged-in admin of one tenant creating, editing, changing the
status of, deleting, searching and reading records, and logging what the server
acknowledged."""

from __future__ import annotations

import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import quote

from bench.context import BenchData
from bench.http import Reply, Session
from bench.scenarios import exchange_form

# Record kinds the soak writes: URL segment and whether the page exists in this build.
KINDS = ("contacts", "tiers", "exchanges")
_ID_IN_URL = re.compile(r"/(contacts|tiers|exchanges)/(\d+)")


@dataclass
class Log:
    """What one client saw. Merged across clients for the final checks."""

    acked_creates: Counter = field(default_factory=Counter)  # kind -> n
    acked_deletes: Counter = field(default_factory=Counter)
    uncertain: Counter = field(default_factory=Counter)  # writes with no answer
    last_value: dict = field(default_factory=dict)  # (kind, id) -> value last acknowledged
    created_ids: dict = field(default_factory=lambda: defaultdict(list))  # kind -> [ids]
    statuses: Counter = field(default_factory=Counter)  # (op, status) -> n
    server_errors: list = field(default_factory=list)  # (method, path, status)
    requests: int = 0

    def merge(self, other: Log) -> None:
        self.acked_creates += other.acked_creates
        self.acked_deletes += other.acked_deletes
        self.uncertain += other.uncertain
        self.last_value.update(other.last_value)
        for kind, ids in other.created_ids.items():
            self.created_ids[kind].extend(ids)
        self.statuses += other.statuses
        self.server_errors.extend(other.server_errors)
        self.requests += other.requests


class SoakClient:
    def __init__(self, session: Session, data: BenchData, marker: str, available: set[str],
                 seed: int):
        self.session, self.data, self.marker = session, data, marker
        self.available = available
        self.rng = random.Random(seed)
        self.log = Log()
        self.live: dict[str, list[int]] = defaultdict(list)  # created, not deleted
        self.serial = 0
        self.base = f"/t/{data.slug}"

    # -- plumbing ------------------------------------------------------------------
    def _send(self, op: str, method: str, path: str, form=None) -> Reply | None:
        self.log.requests += 1
        try:
            reply = (self.session.get(path) if method == "GET"
                     else self.session.post(path, form))
        except Exception as exc:  # timeout, reset: the write may or may not have happened
            self.session.close()
            self.log.statuses[(op, f"no answer ({type(exc).__name__})")] += 1
            return None
        self.log.statuses[(op, reply.status)] += 1
        if reply.status >= 500:
            self.log.server_errors.append((method, path, reply.status))
        return reply

    @staticmethod
    def _acked(reply: Reply | None) -> bool:
        """A plain form post succeeded: the server answered with a redirect (a 200 is the
        form or a confirmation shown again, with nothing written)."""
        return reply is not None and 300 <= reply.status < 400

    # -- operations ----------------------------------------------------------------
    def step(self) -> None:
        op = self.rng.choices(("read", "search", "create", "edit", "status", "delete"),
                              weights=(30, 20, 20, 12, 8, 10))[0]
        getattr(self, op)()

    def read(self) -> None:
        pages = [f"{self.base}/", f"{self.base}/contacts/", f"{self.base}/agenda/"]
        if "exchanges" in self.available:
            pages.append(f"{self.base}/exchanges/")
        for kind in self.available:
            if self.live[kind]:
                pages.append(f"{self.base}/{kind}/{self.rng.choice(self.live[kind])}")
        self._send("read", "GET", self.rng.choice(pages))

    def search(self) -> None:
        q = quote(self.rng.choice(("ma", "lef", "hél", "dup", "soak", "jean")))
        paths = [f"{self.base}/search/contacts?q={q}", f"{self.base}/contacts/?q={q}"]
        if "search-tiers" in self.available:
            paths.append(f"{self.base}/search/tiers?q={q}")
        self._send("search", "GET", self.rng.choice(paths))

    def create(self) -> None:
        kind = self.rng.choice(sorted(self.available & set(KINDS)))
        self.serial += 1
        form = self._form(kind, f"{self.serial}")
        reply = self._send(f"create {kind}", "POST", f"{self.base}/{kind}/new", form)
        if reply is None:
            self.log.uncertain[kind] += 1
        elif self._acked(reply):
            self.log.acked_creates[kind] += 1
            where = reply.headers.get("location") or reply.headers.get("hx-redirect") or ""
            found = _ID_IN_URL.search(where)
            if found and found.group(1) == kind:
                record_id = int(found.group(2))
                self.live[kind].append(record_id)
                self.log.created_ids[kind].append(record_id)

    def edit(self) -> None:
        kind = self.rng.choice([k for k in ("contacts", "tiers") if k in self.available])
        if not self.live[kind]:
            return self.read()
        record_id = self.rng.choice(self.live[kind])
        self.serial += 1
        value = f"modifié {self.serial}"
        form = self._form(kind, str(self.serial), edited=value)
        reply = self._send(f"edit {kind}", "POST", f"{self.base}/{kind}/{record_id}/edit", form)
        if self._acked(reply):
            self.log.last_value[(kind, record_id)] = value

    def status(self) -> None:
        if "exchanges" not in self.available or not self.live["exchanges"]:
            return self.search()
        record_id = self.rng.choice(self.live["exchanges"])
        status = self.rng.choice(("closed", "in_progress", "todo"))
        reply = self._send("status exchanges", "POST",
                           f"{self.base}/exchanges/{record_id}/status", {"status": status})
        # The status block redrawn (200), or the card again after a plain post (3xx).
        if reply is not None and (reply.status == 200 or self._acked(reply)):
            self.log.last_value[("exchanges", record_id)] = status

    def delete(self) -> None:
        kinds = [k for k in KINDS if k in self.available and self.live[k]]
        if not kinds:
            return self.create()
        kind = self.rng.choice(kinds)
        record_id = self.live[kind].pop(self.rng.randrange(len(self.live[kind])))
        reply = self._send(f"delete {kind}", "POST", f"{self.base}/{kind}/{record_id}/delete",
                           {})
        if reply is None:
            self.log.uncertain[kind] += 1
        elif self._acked(reply):
            self.log.acked_deletes[kind] += 1
            self.log.last_value.pop((kind, record_id), None)
        else:
            self.live[kind].append(record_id)  # refused: still there

    # -- forms -----------------------------------------------------------------------
    def _form(self, kind: str, serial: str, edited: str | None = None):
        if kind == "contacts":
            tiers_id, _contacts = self.data.pick_tiers(self.rng)
            return {"first_name": f"Client {serial}", "last_name": self.marker,
                    "job_title": edited or "Acheteuse", "email": f"soak{serial}@exemple.fr",
                    "phone": "01 23 45 67 89", "tiers_id": str(tiers_id), "notes": "Créé"}
        if kind == "tiers":
            return {"name": f"{self.marker} Société {serial}", "kinds": "customer",
                    "town": edited or "Besançon", "country": "France", "active": "y",
                    "confirm_duplicate": "1"}
        form = exchange_form(self.data, self.data.members[0], self.rng)
        return [(k, f"[{self.marker}] {v}" if k == "comment" else v) for k, v in form]
