"""Submit Wagtail admin page forms the way a trainer's browser does: every
field the form renders, with its current value, plus the trainer's changes."""

from html.parser import HTMLParser


class _FormFields(HTMLParser):
    def __init__(self, form_id):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.depth = 0
        self.fields = {}
        self._select = None
        self._multiple = False
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if attrs.get("id") == self.form_id:
                self.inside = True
            return
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            default = "on" if kind == "checkbox" else ""
            self.fields[name] = attrs.get("value") or default
        elif tag == "select" and name:
            self._select = name
            self._multiple = "multiple" in attrs
            if not self._multiple:
                self.fields.setdefault(name, "")
        elif tag == "option" and self._select:
            if "selected" in attrs:
                value = attrs.get("value", "")
                if self._multiple:
                    self.fields.setdefault(self._select, []).append(value)
                else:
                    self.fields[self._select] = value
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data


def page_form_data(client, url, **changes):
    """The fields of the admin page form at ``url`` as rendered, updated with
    ``changes``."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    parser = _FormFields("page-edit-form")
    parser.feed(response.content.decode())
    assert parser.fields, "no page form found"
    data = dict(parser.fields)
    data.update(changes)
    return data
