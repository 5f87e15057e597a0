"""``ct.fields.QuickSelect`` writes the same <select> as WTForms' own widget."""

from werkzeug.datastructures import MultiDict
from wtforms import Form, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import Select

from ct.fields import QuickSelect

CHOICES = [SelectChoice(value, label) for value, label in (
    ("", "All"), ("1", 'Dupont & "Fils" <SA>'), ("2", ""), ("todo", "À traiter"),
    (True, "Oui"))]


def render(widget, selected: str, **render_kw) -> str:
    class F(Form):
        field = SelectField("Field", choices=CHOICES, validate_choice=False, widget=widget)

    form = F(MultiDict({"field": selected}))
    if render_kw:
        form.field.choices = [SelectChoice(c.value, c.label, render_kw=render_kw)
                              for c in CHOICES]
    return str(form.field(**{"aria-invalid": "true"}))


def test_the_same_html_as_wtforms():
    for selected in ("", "1", "todo", "True", "absent"):
        quick = render(QuickSelect(), selected)
        assert quick == render(Select(), selected)
    assert '<option selected value="1">Dupont &amp; &#34;Fils&#34; &lt;SA&gt;</option>' in (
        render(QuickSelect(), "1"))
    assert '<option value="2">2</option>' in render(QuickSelect(), "")  # no label: its value
    # Options with their own attributes take WTForms' path.
    assert render(QuickSelect(), "1", disabled=True) == render(Select(), "1", disabled=True)
