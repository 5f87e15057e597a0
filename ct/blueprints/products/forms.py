"""The product form: a reference unique in the tenant, a label, an optional price."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField
from wtforms.validators import ValidationError

from ct.extensions import db
from ct.models import Product
from ct.models.document import LABEL_MAX, REFERENCE_MAX
from ct.web.record_fields import AmountField, text_field

DUPLICATE = _l("Another product already has this reference.")


class ProductForm(FlaskForm):
    reference = text_field(_l("Reference"), REFERENCE_MAX, required=True)
    label = text_field(_l("Label"), LABEL_MAX, required=True)
    price = AmountField(_l("Price"), minimum=Decimal(0))
    active = BooleanField(_l("Active (offered in exchanges)"), default=True)

    def __init__(self, *args, product: Product | None = None, **kwargs):
        super().__init__(*args, obj=product, **kwargs)
        self.product = product

    def validate_reference(self, field):
        if self.reference_taken():
            raise ValidationError(DUPLICATE)

    def reference_taken(self) -> bool:
        query = select(Product.id).where(Product.reference == self.reference.data)
        if self.product is not None and self.product.id is not None:
            query = query.where(Product.id != self.product.id)
        return db.session.scalar(query.limit(1)) is not None

    def fill(self, product: Product) -> None:
        product.reference = self.reference.data
        product.label = self.label.data
        product.price = self.price.data
        product.active = self.active.data
