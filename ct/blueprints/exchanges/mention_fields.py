"""The @mentions of the exchange form: the ids the picker sends (``mention_ids``) and the
checks of who may be mentioned where (the rules: ct/exchanges/mentions.py).

A mixin of ``ExchangeForm``: a refused mention is an error next to the text that holds it
(the comment or the confidential comment), and the exchange is not saved.
"""

from __future__ import annotations

from flask import g
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

from ct.blueprints.exchanges.fields import active_many
from ct.exchanges.mentions import find_mentions, may_see
from ct.models.exchange_access import ConfidentialReader
from ct.web.fields import IdListField

NOT_A_MEMBER = _l("Mention members chosen from the suggestions.")


def cannot_see(name: str) -> str:
    return _("%(name)s cannot see this exchange (they see only their own): add them as a "
             "collaborator, or remove the mention.", name=name)


def cannot_read(name: str) -> str:
    return _("%(name)s may not read this confidential comment: share it with a group of "
             "theirs, or remove the mention.", name=name)


class MentionFields:
    mention_ids = IdListField(_l("Mentions"))
    exchange = None  # the exchange being edited (None: a new one), set by ``configure``

    def validate_mention_ids(self, field):
        try:
            self.mentioned = active_many(field.data)
        except ValidationError:
            self.mentioned = []
            raise ValidationError(NOT_A_MEMBER) from None

    def check_mentions(self) -> None:
        """Each mention against the exchange as it will be saved: its author, maker,
        collaborators and confidential group (the form's, else the exchange's)."""
        secret = self.confidential_comment.data if "confidential_comment" in self else None
        mentions = find_mentions(getattr(self, "mentioned", []), self.comment.data, secret)
        if not mentions:
            return
        old = self.exchange
        author_id = old.author_id if old else g.membership.id
        if "made_by_id" in self:
            made_by_id = self.made_by.id if self.made_by else g.membership.id
        else:
            made_by_id = old.made_by_id if old else author_id
        if "collaborator_ids" in self:
            collaborators = [m.id for m in self.collaborators]
        else:
            collaborators = [link.membership_id for link in old.collaborator_links] if old else []
        group_id = self.group.id if self.group else None
        for mention in mentions:
            member, name = mention.member, mention.member.user.display_name
            field = self.confidential_comment if mention.confidential else self.comment
            if not may_see(member, author_id, made_by_id, collaborators):
                field.errors = [*field.errors, cannot_see(name)]
            elif mention.confidential and not ConfidentialReader.of(member).may_read(
                    author_id, group_id):
                field.errors = [*field.errors, cannot_read(name)]

    def mentioned_members(self) -> list:
        return getattr(self, "mentioned", [])


def mention_ids_of(exchange) -> list[int]:
    """The members an exchange mentions, as its edit form sends them back: the active
    ones (a former member's mention goes with the next save)."""
    return [link.membership_id for link in exchange.mention_links if link.membership.active]
