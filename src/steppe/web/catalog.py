"""Extracting the interface strings (templates and ``N_``/``_`` calls) for the catalogues.

``python -m steppe.web.catalog`` prints every msgid; the tests check that the ru and
kk catalogues translate each of them.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from babel.messages.extract import extract_from_dir

KEYWORDS = {"_": None, "N_": None, "gettext": None}


def msgids() -> set[str]:
    """Every translatable string of the portal and the PDF profile."""
    root = Path(str(resources.files("steppe.web")))
    method_map = [("templates/**.html", "jinja2"), ("**.py", "python")]
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(root), method_map, keywords=KEYWORDS,
            options_map={"templates/**.html": {"extensions": "jinja2.ext.i18n"}}):
        if isinstance(message, tuple):
            found.update(m for m in message if m)
        elif message:
            found.add(message)
    return found


if __name__ == "__main__":
    for text in sorted(msgids()):
        print(text)
