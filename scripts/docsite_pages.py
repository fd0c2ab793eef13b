"""Generate docs/docsite/rst/*.rst (antsibull-docs extra docs) from the Markdown pages in docs/.

The Markdown pages are the source (readable on GitHub and in the installed collection); pandoc
converts them, links between pages become :ref: links, and each page gets the label antsibull-docs
requires. Usage: docsite_pages.py [--check]   (--check fails when a generated page is stale)
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOCS = os.path.join(REPO, "docs")
RST = os.path.join(DOCS, "docsite", "rst")
# Markdown page -> docsite page name (as listed in docs/docsite/extra-docs.yml)
PAGES = {
    "quickstart.md": "quickstart", "mdm.md": "mdm", "windows-gpo-intune.md": "windows_gpo_intune",
    "local-config.md": "local_config", "awx.md": "awx", "troubleshooting.md": "troubleshooting", "adopt.md": "adopt",
    "windows.md": "windows", "keys.md": "keys",
}
LABEL = "ansible_collections.aiohub.claude_desktop.docsite.%s"
REPO_URL = "https://github.com/aiohub/ansible-collection-claude-desktop/blob/main/"


def _escape_table_row(line):
    """Escape a bare * outside ``literals`` in a grid-table row (pandoc leaves '*.domain' bare, which docutils
    reads as an unterminated emphasis), keeping each cell's width by giving up trailing spaces."""
    cells = line.split("|")
    for i, cell in enumerate(cells[1:-1], start=1):
        parts = cell.split("``")
        parts = [p if n % 2 else re.sub(r"(?<=[\s'(])\*(?=[.',)])", r"\\*", p) for n, p in enumerate(parts)]
        new = "``".join(parts)
        grown = len(new) - len(cell)
        if grown:
            if not new.endswith(" " * (grown + 1)):
                raise SystemExit("table cell too narrow to escape: %r" % cell.strip())
            new = new[:-grown]
        cells[i] = new
    return "|".join(cells)


def convert(md_name):
    text = subprocess.run(["pandoc", "--from", "gfm-gfm_auto_identifiers", "--to", "rst", "--wrap", "none", os.path.join(DOCS, md_name)],
                          check=True, capture_output=True, text=True).stdout

    def link(match):
        label, target = match.group(1).strip(), match.group(2)
        page = target.split("#")[0]
        if page in PAGES:
            return ":ref:`%s <%s>`" % (label, LABEL % PAGES[page])
        if "://" not in target:  # a repository file outside the docsite: link to it on GitHub
            path = os.path.normpath(os.path.join("docs", target.split("#")[0]))
            return "`%s <%s%s>`__" % (label, REPO_URL, path)
        return match.group(0)

    lines = text.split("\n")
    for number, line in enumerate(lines):
        if line.startswith("|") and "`__" in line:
            raise SystemExit("%s: a link inside a table cell cannot be rewritten without breaking the table "
                             "(line %d of the generated page); move it out of the table" % (md_name, number + 1))
    text = re.sub(r"`([^`<]+?)\s*<([^>`]+)>`__", link, text)
    text = "\n".join(_escape_table_row(line) if line.startswith("|") else line for line in text.split("\n"))
    return ".. _%s:\n\n%s" % (LABEL % PAGES[md_name], text)


def main():
    check = "--check" in sys.argv
    os.makedirs(RST, exist_ok=True)
    stale = []
    for md_name, page in sorted(PAGES.items()):
        path = os.path.join(RST, page + ".rst")
        text = convert(md_name)
        current = open(path, encoding="utf-8").read() if os.path.exists(path) else None
        if current != text:
            stale.append(path)
            if not check:
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
    if check and stale:
        sys.exit("stale docsite pages (run make docs): %s" % ", ".join(os.path.relpath(p, REPO) for p in stale))
    print("docsite pages: %s" % ("up to date" if not stale else "regenerated %d" % len(stale)))


if __name__ == "__main__":
    main()
