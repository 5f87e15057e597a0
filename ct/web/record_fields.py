"""Form fields of the records (contacts, documents, products) that several areas share:
plain one-line text, phone numbers, amounts typed the French way, and the third party
a record belongs to — always checked against the bound tenant, never trusted."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import StringField, TelField
from wtforms.validators import (
    DataRequired,
    Length,
    Optional,
    StopValidation,
    ValidationError,
)

from ct.core.tenancy import find
from ct.extensions import db
from ct.models.tiers import PHONE_MAX, Tiers
from ct.web.fields import IdField

TOO_LONG = _l("At most %(max)d characters.")
# Under this many third parties a form offers them all in a plain <select>; above,
# the select holds the chosen one and a search box refreshes its options.
FEW_TIERS = 200


def strip(value):
    return value.strip() if isinstance(value, str) else value


def single_line(form, field):
    """PostgreSQL refuses NUL bytes, and a name never holds a tab or a line break.
    Stops the field's other checks: a uniqueness query must not send a NUL either."""
    if field.data and any(ord(c) < 32 or ord(c) == 127 for c in field.data):
        raise StopValidation(_l("Use a single line of plain text."))


def plain_text(form, field):
    """Multi-line text: line breaks and tabs are fine, other control characters are not."""
    if field.data and any((ord(c) < 32 and c not in "\n\r\t") or ord(c) == 127
                          for c in field.data):
        raise StopValidation(_l("Remove the control characters from this text."))


def text_field(label, max_length, required: bool = False, **kwargs):
    first = DataRequired(_l("This field is required.")) if required else Optional()
    return StringField(
        label,
        validators=[first, Length(max=max_length, message=TOO_LONG), single_line],
        filters=[strip],
        **kwargs,
    )


PHONE_CHARS = re.compile(r"[0-9 +.\-()]+")


def phone_number(form, field):
    """Digits, spaces, + . - ( ) only, and 6 to 20 digits: what people really type."""
    if not field.data:
        return
    digits = sum(c.isdigit() for c in field.data)
    if not PHONE_CHARS.fullmatch(field.data) or not 6 <= digits <= 20:
        raise ValidationError(
            _l("Enter a phone number: 6 to 20 digits, with spaces, +, ., -, ( ) if you like.")
        )


def phone_field(label):
    return TelField(
        label,
        validators=[Optional(), Length(max=PHONE_MAX, message=TOO_LONG), phone_number],
        filters=[strip],
    )


# --- amounts ---------------------------------------------------------------------

AMOUNT_MAX = Decimal(10) ** 12  # Numeric(14, 2): twelve digits before the decimal point
_AMOUNT = re.compile(r"[+-]?\d+(\.\d+)?")
_IGNORED = re.compile(r"[\s\u00a0\u202f'’€$£]")


class AmountError(ValueError):
    pass


def parse_amount(text: str) -> Decimal:
    """'1 234,50', '1234.5', '1.234,50 €' → Decimal('1234.50'); AmountError otherwise.

    Spaces (also the non-breaking ones a French spreadsheet copies), apostrophes and
    currency signs are ignored. With both ',' and '.', the last one is the decimal mark.
    """
    cleaned = _IGNORED.sub("", text)
    if "," in cleaned and "." in cleaned:
        decimal_mark = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        cleaned = cleaned.replace("." if decimal_mark == "," else ",", "")
    cleaned = cleaned.replace(",", ".")
    if not _AMOUNT.fullmatch(cleaned):
        raise AmountError(_l("Enter an amount, such as 1 234,50."))
    try:
        value = Decimal(cleaned)
    except InvalidOperation as error:  # pragma: no cover - the pattern already refuses it
        raise AmountError(_l("Enter an amount, such as 1 234,50.")) from error
    if value.as_tuple().exponent < -2:
        raise AmountError(_l("At most two decimals."))
    if abs(value) >= AMOUNT_MAX:
        raise AmountError(_l("This amount is too large."))
    # "-0" is zero: never store a negative zero a price check would let through.
    return value.quantize(Decimal("0.01")) + 0


class AmountField(StringField):
    """An optional amount; shown back the way the reader's language writes it."""

    def __init__(self, label=None, validators=None, minimum: Decimal | None = None, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "decimal"})
        super().__init__(label, validators, **kwargs)
        self.minimum = minimum

    def process_formdata(self, valuelist):
        self.data = None
        text = (valuelist[0] or "").strip() if valuelist else ""
        if not text:
            return
        if len(text) > 40:
            raise ValueError(_l("Enter an amount, such as 1 234,50."))
        try:
            self.data = parse_amount(text)
        except AmountError as error:
            raise ValueError(error.args[0]) from None

    def pre_validate(self, form):
        if self.minimum is not None and self.data is not None and self.data < self.minimum:
            raise ValidationError(_l("Enter an amount of at least %(min)s.",
                                     min=format_decimal(self.minimum)))

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else format_decimal(self.data, format="0.00")


def format_amount(value: Decimal | None) -> str:
    """An amount for reading: '1 234,50' in French, '1,234.50' in English."""
    return "" if value is None else format_decimal(value, format="#,##0.00")


# --- the third party of a record -------------------------------------------------


class TiersField(IdField):
    """The id of a third party of the bound tenant, checked against the database.

    Another tenant's id is simply not found under the tenant scoping, which gives the
    same field error as an id that never existed. ``tiers`` holds the row once valid.
    """

    tiers: Tiers | None = None

    def __init__(self, label=None, required: bool = False, **kwargs):
        super().__init__(label, **kwargs)
        self.required = required

    def pre_validate(self, form):
        self.tiers = find(Tiers, self.data)
        if self.data is None:
            if self.required:
                raise ValidationError(_l("Choose a third party."))
        elif self.tiers is None:
            raise ValidationError(_l("Choose an existing third party."))


def tiers_options(selected_id: int | None) -> tuple[list[tuple[int, str]], bool]:
    """The third parties a form's select offers, and whether there are too many to list.

    Reads at most FEW_TIERS rows on the sort index: a tenant with 100,000 tiers costs
    the same as one with 10. The selected one is always offered if the tenant has it.
    """
    rows = db.session.execute(
        select(Tiers.id, Tiers.name).order_by(Tiers.sort_key, Tiers.id).limit(FEW_TIERS)
    ).all()
    many = len(rows) >= FEW_TIERS
    options = [] if many else [(row.id, row.name) for row in rows]
    if selected_id is not None and all(option_id != selected_id for option_id, _ in options):
        chosen = db.session.execute(
            select(Tiers.id, Tiers.name).where(Tiers.id == selected_id)
        ).first()
        if chosen is not None:
            options.insert(0, (chosen.id, chosen.name))
    return options, many
