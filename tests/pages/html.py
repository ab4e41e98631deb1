"""Reading the pages back in tests: the text of each ``data-field`` under its row
(``data-code`` for an indicator, ``data-agency`` for an agency), links and sources."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""
    children: list["Element"] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]
        self.every: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(element)
        self.every.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(element)
        self.every.append(element)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        for element in self.stack:
            element.text += data


def parse(html: str) -> list[Element]:
    """Every element of the page, in document order (``text``: all text inside it)."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.every


def squash(text: str) -> str:
    return " ".join(text.split())


def rows(html: str, key: str) -> dict[str, dict[str, str]]:
    """``{row id: {data-field: text}}`` for the elements carrying ``key`` (``data-code``,
    ``data-agency``); a field's ``data-status``/``data-state`` is kept as ``field.status``."""
    found: dict[str, dict[str, str]] = {}
    for element in parse(html):
        if key not in element.attrs:
            continue
        values = found.setdefault(element.attrs[key], {})
        stack = list(element.children)
        while stack:
            child = stack.pop()
            name = child.attrs.get("data-field")
            if name:
                values[name] = squash(child.text)
                for extra in ("data-status", "data-state"):
                    if extra in child.attrs:
                        values[f"{name}.status"] = child.attrs[extra]
            stack.extend(child.children)
    return found


def links(html: str) -> list[str]:
    """Every URL the page would load or lead to: href, src, action, srcset."""
    out = []
    for element in parse(html):
        for name in ("href", "src", "action", "srcset", "xlink:href", "poster", "data"):
            if name in element.attrs:
                out.append(element.attrs[name])
    return out


def number_vi(value: float | None, digits: int = 1) -> str:
    """The pages' number format written out again, so that a change in either shows:
    ``1234.5`` -> ``1.234,5``; ``None`` -> ``–``."""
    if value is None:
        return "–"
    whole, _, fraction = f"{value:.{digits}f}".partition(".")
    groups = f"{int(whole):,}".replace(",", ".")
    return groups + ("," + fraction if fraction else "")


def percent(value: float | None) -> str:
    return "–" if value is None else number_vi(value) + "%"
