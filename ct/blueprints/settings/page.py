"""The settings page and its fragments: what every route of the blueprint renders."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import flash, make_response, redirect, url_for

from ct.blueprints.settings import history, lists, options
from ct.blueprints.settings.forms import (
    AddEntryForm,
    ImportEntriesForm,
    RenameEntryForm,
    SettingsForm,
)
from ct.models import Choice, Product, TenantSettings
from ct.web.htmx import is_htmx_request, render, render_block

TEMPLATE = "settings/index.html"


@dataclass
class ListEditor:
    """One editable list with its forms; a bound form carries the errors to show."""

    kind: str
    add_form: AddEntryForm | None = None
    import_form: ImportEntriesForm | None = None
    bound_rename: RenameEntryForm | None = None
    notice: str = ""
    entries: list[Choice] = field(init=False)

    def __post_init__(self):
        self.entries = lists.entries(self.kind)
        self.title, self.help = lists.EDITABLE[self.kind]
        self.add_form = self.add_form or AddEntryForm(self.kind, formdata=None)
        self.import_form = self.import_form or ImportEntriesForm(self.kind, formdata=None)

    def rename_form(self, entry: Choice) -> RenameEntryForm:
        if self.bound_rename is not None and self.bound_rename.entry is entry:
            return self.bound_rename
        return RenameEntryForm(self.kind, entry, formdata=None, obj=entry)


@dataclass
class ProductPicker:
    chosen: list[Product]
    results: list[Product] | None = None  # None: no search made
    q: str = ""
    error: str = ""
    notice: str = ""


def picker(q: str | None = None, error: str = "", notice: str = "") -> ProductPicker:
    settings = TenantSettings.current()
    chosen = options.chosen_products(settings)
    results = None
    if q is not None:
        results = options.search_products(q, [p.id for p in chosen])
    return ProductPicker(chosen, results, q or "", error, notice)


def full_page(status: int = 200, form: SettingsForm | None = None,
              product_picker: ProductPicker | None = None, editor: ListEditor | None = None):
    settings = TenantSettings.current()
    editors = [editor if editor is not None and editor.kind == kind else ListEditor(kind)
               for kind in lists.EDITABLE]
    return render(
        TEMPLATE,
        status=status,
        form=form or SettingsForm(formdata=None, obj=settings),
        picker=product_picker or picker(),
        editors=editors,
        history=history.recent(),
        products_max=options.PRODUCTS_MAX,
    )


def fragment(block: str, status: int = 200, **context):
    return make_response(render_block(TEMPLATE, block, **context), status)


def list_answer(editor: ListEditor, status: int = 200, notice: str = ""):
    """The list fragment for htmx; for a plain form, the page again (errors) or a redirect."""
    if is_htmx_request():
        editor.notice = notice
        return fragment("choice_list", status, editor=editor)
    if status >= 400:
        return full_page(status, editor=editor)
    flash(notice, "success")
    return redirect(url_for("settings.index", _anchor=f"list-{editor.kind}"), 303)


def picker_answer(product_picker: ProductPicker, status: int = 200):
    if is_htmx_request():
        return fragment("product_picker", status, picker=product_picker,
                        products_max=options.PRODUCTS_MAX)
    if status >= 400:
        return full_page(status, product_picker=product_picker)
    flash(product_picker.notice, "success")
    return redirect(url_for("settings.index", _anchor="product-picker"), 303)
