"""SVG sanitiser: keeps drawing elements and presentation attributes, drops
everything that can run script or load something from elsewhere (A13).

Parsing goes through defusedxml with entity declarations and external
references forbidden, so expansion and fetching never happen (A14); a plain
DOCTYPE line (SVG fonts carry one) is allowed and dropped."""

import re
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET  # noqa: S405 - only to build and serialise

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"

ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)

ALLOWED_ELEMENTS = frozenset(
    [
        "svg",
        "g",
        "defs",
        "desc",
        "title",
        "symbol",
        "use",
        "image",
        "switch",
        "path",
        "rect",
        "circle",
        "ellipse",
        "line",
        "polyline",
        "polygon",
        "text",
        "tspan",
        "textPath",
        "linearGradient",
        "radialGradient",
        "stop",
        "pattern",
        "clipPath",
        "mask",
        "marker",
        "filter",
        "feBlend",
        "feColorMatrix",
        "feComponentTransfer",
        "feComposite",
        "feConvolveMatrix",
        "feDiffuseLighting",
        "feDisplacementMap",
        "feDistantLight",
        "feDropShadow",
        "feFlood",
        "feFuncA",
        "feFuncB",
        "feFuncG",
        "feFuncR",
        "feGaussianBlur",
        "feImage",
        "feMerge",
        "feMergeNode",
        "feMorphology",
        "feOffset",
        "fePointLight",
        "feSpecularLighting",
        "feSpotLight",
        "feTile",
        "feTurbulence",
        "font",
        "font-face",
        "font-face-src",
        "font-face-name",
        "glyph",
        "missing-glyph",
        "hkern",
        "vkern",
        "style",
        "a",
        "view",
        "metadata",
    ]
)
SAFE_HREF = re.compile(
    r"^(#[\w.:-]*|data:image/(png|jpeg|gif|webp);base64,[\w+/=\s]*)$"
)
DANGEROUS_VALUE = re.compile(
    r"(javascript|vbscript|livescript)\s*:|data\s*:\s*text", re.I
)
EXTERNAL_URL = re.compile(r"url\s*\(\s*['\"]?\s*(?!#)", re.I)
STYLE_DANGER = re.compile(r"@import|expression\s*\(|behavior\s*:|-moz-binding", re.I)
CONTROL = re.compile(r"[\x00-\x20]+")


class SVGRejected(Exception):
    pass


@dataclass
class SanitiseReport:
    removed_elements: dict = field(default_factory=dict)
    removed_attributes: dict = field(default_factory=dict)
    # Editor bookkeeping (sodipodi:, inkscape:, ...) is dropped quietly.
    foreign_attributes: int = 0

    @property
    def changed(self):
        return bool(
            self.removed_elements or self.removed_attributes or self.foreign_attributes
        )

    @property
    def active_content_removed(self):
        return bool(self.removed_elements or self.removed_attributes)

    def summary(self):
        parts = [f"<{name}> x{count}" for name, count in self.removed_elements.items()]
        parts += [
            f"{name}= x{count}" for name, count in self.removed_attributes.items()
        ]
        return ", ".join(parts)


def _local(tag):
    if not isinstance(tag, str):  # comments and processing instructions
        return None, None
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return namespace, local
    return "", tag


def _foreign(name):
    namespace, _local_name = _local(name)
    return namespace not in ("", XLINK_NS, XML_NS)


def _attribute_ok(name, value):
    namespace, local = _local(name)
    if local.lower().startswith("on"):
        return False
    squeezed = CONTROL.sub("", value)
    if DANGEROUS_VALUE.search(squeezed):
        return False
    if local == "href":
        return bool(SAFE_HREF.match(value.strip()))
    if local == "style" and (EXTERNAL_URL.search(value) or STYLE_DANGER.search(value)):
        return False
    return not EXTERNAL_URL.search(value)


def sanitise(data: bytes) -> tuple[bytes, SanitiseReport]:
    """Return the SVG with active content removed (the original bytes when
    nothing had to go). Raises SVGRejected when it is not a readable SVG."""
    try:
        root = SafeET.fromstring(
            data, forbid_dtd=False, forbid_entities=True, forbid_external=True
        )
    except DefusedXmlException as exc:
        raise SVGRejected("dtd") from exc
    except (ET.ParseError, ValueError) as exc:
        raise SVGRejected("parse") from exc
    namespace, local = _local(root.tag)
    if local != "svg" or namespace not in ("", SVG_NS):
        raise SVGRejected("root")
    report = SanitiseReport()

    def clean(element):
        for child in list(element):
            child_ns, child_local = _local(child.tag)
            drop = child_local is None or (
                child_ns not in ("", SVG_NS) or child_local not in ALLOWED_ELEMENTS
            )
            if (
                not drop
                and child_local == "style"
                and (
                    EXTERNAL_URL.search(child.text or "")
                    or STYLE_DANGER.search(child.text or "")
                    or DANGEROUS_VALUE.search(child.text or "")
                )
            ):
                drop = True
            if drop:
                if child_local is not None:
                    key = child_local
                    report.removed_elements[key] = (
                        report.removed_elements.get(key, 0) + 1
                    )
                # Keep the text that followed the removed element.
                element.remove(child)
                continue
            clean(child)
        clean_attributes(element)

    def clean_attributes(element):
        for name, value in list(element.attrib.items()):
            if _foreign(name):
                report.foreign_attributes += 1
                del element.attrib[name]
            elif not _attribute_ok(name, value):
                _, attr_local = _local(name)
                report.removed_attributes[attr_local] = (
                    report.removed_attributes.get(attr_local, 0) + 1
                )
                del element.attrib[name]

    # Comments and processing instructions are not kept by the parser.
    clean_attributes(root)
    clean(root)
    if not report.changed:
        return data, report
    return ET.tostring(root, encoding="utf-8", xml_declaration=True), report
