"""``{% librarymemo "name" vary1 vary2 %}…{% endlibrarymemo %}``: a fragment rendered once per library version.

The fragment must depend only on the published library and on the values it varies on (for example
the reader's text size): it is kept in this process's memory (portal.memo) and served to every
request until the library changes.

``{% librarymemo "name" vary1 skip=expression %}`` renders the fragment for this request alone, keeping
nothing, when ``expression`` is true (a staff preview of a draft: not the published library).
"""

from django import template

from portal import memo

register = template.Library()


class LibraryMemoNode(template.Node):
    def __init__(self, nodelist, name, vary, skip=None):
        self.nodelist = nodelist
        self.name = name
        self.vary = vary
        self.skip = skip

    def render(self, context):
        if self.skip is not None and self.skip.resolve(context):
            return self.nodelist.render(context)
        key = tuple(str(v.resolve(context)) for v in self.vary)
        return memo.get(("fragment", self.name.resolve(context)), key, lambda: self.nodelist.render(context))


@register.tag
def librarymemo(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("librarymemo needs a fragment name")
    skip = None
    if bits[-1].startswith("skip="):
        skip = parser.compile_filter(bits.pop()[len("skip=") :])
    nodelist = parser.parse(("endlibrarymemo",))
    parser.delete_first_token()
    return LibraryMemoNode(
        nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]], skip
    )
