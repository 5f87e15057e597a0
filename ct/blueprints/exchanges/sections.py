"""The folded sections of the exchange form (date and author, document and project,
collaborators, confidential comment, follow-up task, event): what each one holds in a few
words for its summary line, and which ones open.

A section opens when one of its fields has an error (the message must be seen next to
its field) and, for a follow-up, when it is switched on. The pop-up's script rewrites the
summary lines as the fields change, with the same rules (ct/static/app.js).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import format_datetime, format_time, gettext, pgettext

from ct.blueprints.exchanges.timeutil import local_now

TEXT_MAX = 40  # a typed text is cut in a summary line: the line stays one line
FIELDS = {
    "when": ("occurred_at", "made_by_id"),
    "links": ("document_id", "project_id", "product_ids"),
    "team": ("collaborator_ids", "notify_collaborators"),
    "confidential": ("confidential_comment", "confidential_group_id"),
}
FOLLOW_UPS = ("task", "event")


@dataclass
class Section:
    value: str  # "" when nothing is set: the template then says "none"
    opened: bool


def _label(options, chosen) -> str:
    return next((label for value, label in options if value == chosen), "")


def _labels(options, chosen) -> list[str]:
    chosen = set(chosen or [])
    return [label for value, label in options if value in chosen]


def _cut(text: str | None) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= TEXT_MAX else text[:TEXT_MAX - 1] + "…"


def _when(form, choices, me_id) -> list[str]:
    parts = []
    moment = form.occurred_at.data
    if moment is not None:
        if moment.date() == local_now().date():
            parts.append(gettext("today at %(time)s", time=format_time(moment, "short")))
        else:
            parts.append(format_datetime(moment, "short"))
    if "made_by_id" in form and form.made_by_id.data is not None:
        chosen = form.made_by_id.data
        parts.append(gettext("me") if chosen == me_id else _label(choices.members, chosen))
    return parts


def _values(form, choices, tc, me_id) -> dict[str, list[str]]:
    values = {
        "when": _when(form, choices, me_id),
        "links": [_label(tc.document_options, form.document_id.data),
                  _label(choices.projects, form.project_id.data),
                  *(_labels(choices.products, form.product_ids.data)
                    if "product_ids" in form else [])],
    }
    if "collaborator_ids" in form:
        values["team"] = _labels(choices.members, form.collaborator_ids.data)
        if values["team"] and form.notify_collaborators.data:
            values["team"].append(gettext("notified by email"))
    if "confidential_comment" in form:
        values["confidential"] = [_cut(form.confidential_comment.data),
                                  _label(choices.groups, form.confidential_group_id.data)]
    for name, text in (("task", "task_label"), ("event", "event_title")):
        if f"add_{name}" in form:
            switched_on = bool(form[f"add_{name}"].data)
            values[name] = [_cut(form[text].data) or pgettext("a follow-up", "to fill in")] \
                if switched_on else []
    return values


def form_sections(form, choices, tc, me_id) -> dict[str, Section]:
    """Each section of this form by name (the ones the tenant hides are missing)."""
    sections = {}
    for name, parts in _values(form, choices, tc, me_id).items():
        if name in FOLLOW_UPS:
            fields = [n for n in form._fields if n.startswith(f"{name}_")]
            opened = bool(form[f"add_{name}"].data)
        else:
            fields = [n for n in FIELDS[name] if n in form]
            opened = False
        opened = opened or any(form[n].errors for n in fields)
        sections[name] = Section(", ".join(p for p in parts if p), opened)
    return sections
