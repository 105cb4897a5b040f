"""Submit admin forms as a browser would: read the page's HTML form (CSRF token included), change
some fields, and post exactly what a browser would send. Used with
``Client(enforce_csrf_checks=True)``, so a form without a valid token fails as it would live."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

TEXT_TYPES = {"text", "hidden", "number", "email", "url", "password", "date", "search", "tel", ""}


@dataclass
class Form:
    attrs: dict
    fields: list[tuple[str, str]] = field(default_factory=list)
    buttons: list[tuple[str, str, str]] = field(default_factory=list)  # (name, value, label)
    selects: dict[str, list[tuple[str, bool]]] = field(default_factory=dict)  # name -> [(value, selected)]
    multiple: set[str] = field(default_factory=set)

    def data(self, changes: dict | None = None, button: str | None = None) -> dict:
        """The POST data: every successful control, with ``changes`` applied (a list value sets
        all values of a name; None removes it); ``button`` is the label or name of the button
        clicked (its name/value are sent)."""
        values: dict[str, list[str]] = {}
        for name, value in self.fields:
            values.setdefault(name, []).append(value)
        for name, options in self.selects.items():
            chosen = [v for v, selected in options if selected]
            if not chosen and options and name not in self.multiple:
                chosen = [options[0][0]]
            values[name] = values.get(name, []) + chosen
        if button is not None:
            match = [b for b in self.buttons if button in (b[0], b[1], b[2])]
            assert match, f"no button {button!r} in {self.buttons}"
            name, value, _ = match[0]
            if name:
                values.setdefault(name, []).append(value)
        for name, value in (changes or {}).items():
            if value is None:
                values.pop(name, None)
            else:
                values[name] = [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]
        return {name: vals if len(vals) != 1 else vals[0] for name, vals in values.items()}


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._option: list | None = None
        self._textarea: list | None = None
        self._button: list | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = Form(attrs=a)
            self.forms.append(self._form)
            return
        form = self._form
        if form is None or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in TEXT_TYPES:
                form.fields.append((name, a.get("value", "")))
            elif kind in ("checkbox", "radio") and "checked" in a:
                form.fields.append((name, a.get("value", "on")))
            elif kind == "submit":
                form.buttons.append((name, a.get("value", ""), a.get("value", "")))
        elif tag == "input" and a.get("type", "").lower() == "submit":
            form.buttons.append(("", a.get("value", ""), a.get("value", "")))
        elif tag == "select" and name:
            self._select = name
            form.selects.setdefault(name, [])
            if "multiple" in a:
                form.multiple.add(name)
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value"), "selected" in a, []]
        elif tag == "textarea" and name:
            self._textarea = [name, []]
        elif tag == "button":
            self._button = [name or "", a.get("value", ""), []]

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "option" and self._option is not None:
            value, selected, text = self._option
            self._form.selects[self._select].append((value if value is not None else "".join(text), selected))
            self._option = None
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            content = "".join(text)
            self._form.fields.append((name, content[1:] if content.startswith("\n") else content))
            self._textarea = None
        elif tag == "button" and self._button is not None:
            name, value, text = self._button
            self._form.buttons.append((name, value, "".join(text).strip()))
            self._button = None

    def handle_data(self, data):
        for open_ in (self._option, self._textarea, self._button):
            if open_ is not None:
                open_[-1].append(data)


def forms_of(html: str) -> list[Form]:
    parser = _Parser()
    parser.feed(html)
    return parser.forms


def post_form(client, response, *, changes=None, button=None, form_id=None, files=None, url=None):
    """Post the page's POST form (the one with ``form_id``, else the first POST form with a CSRF
    token) back to where it points, as a browser would."""
    html = response.content.decode()
    forms = [
        f
        for f in forms_of(html)
        if f.attrs.get("method", "get").lower() == "post"
        and f.attrs.get("id") != "logout-form"
        and not f.attrs.get("action", "").endswith("/logout/")
    ]
    if form_id is not None:
        forms = [f for f in forms if f.attrs.get("id") == form_id]
    else:
        forms = [f for f in forms if any(n == "csrfmiddlewaretoken" for n, _ in f.fields)] or forms
    assert forms, f"no POST form on {response.request['PATH_INFO']}"
    form = forms[0]
    data = form.data(changes, button)
    data.update(files or {})
    target = url or form.attrs.get("action") or response.request["PATH_INFO"]
    return client.post(target, data)
