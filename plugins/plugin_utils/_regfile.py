# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A parser for Windows registry export files (.reg), as regedit writes and reads them.

PRIVATE, controller-only, stdlib. Version 5 files ("Windows Registry Editor Version 5.00", UTF-16LE
with a BOM or UTF-8) and REGEDIT4 files; any number of keys, key deletions ([-KEY]), comments
(;), the default value (@), value deletions ("name"=-), REG_SZ strings ("..." with \\\\ and \\"
escapes), dword:, hex: and hex(N): data with line continuations (a trailing backslash).
Hive names are normalised to their long form (HKLM -> HKEY_LOCAL_MACHINE).
"""

from __future__ import annotations

TYPES = {0: "REG_NONE", 1: "REG_SZ", 2: "REG_EXPAND_SZ", 3: "REG_BINARY", 4: "REG_DWORD", 5: "REG_DWORD_BIG_ENDIAN",
         7: "REG_MULTI_SZ", 11: "REG_QWORD"}
SHORT_HIVES = {"HKLM": "HKEY_LOCAL_MACHINE", "HKCU": "HKEY_CURRENT_USER", "HKU": "HKEY_USERS", "HKCR": "HKEY_CLASSES_ROOT",
               "HKCC": "HKEY_CURRENT_CONFIG"}
HEADERS = ("Windows Registry Editor Version 5.00", "REGEDIT4")


class RegFileError(ValueError):
    """The file is not a .reg file regedit would import; the message names the line."""


class RegValue(object):
    __slots__ = ("name", "type", "data", "line")

    def __init__(self, name, type_, data, line):
        self.name, self.type, self.data, self.line = name, type_, data, line

    def __repr__(self):
        return "RegValue(%r, %r, %r)" % (self.name, self.type, self.data)


def decode_text(data):
    """The text of a .reg file: UTF-16 with a BOM (regedit's export), else UTF-8 (with or without BOM)."""
    if data.startswith(b"\xff\xfe"):
        return data[2:].decode("utf-16-le")
    if data.startswith(b"\xfe\xff"):
        return data[2:].decode("utf-16-be")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RegFileError("not UTF-16 (no BOM) and not UTF-8 (byte %d)" % exc.start)


def normalise_key(path):
    hive, sep, rest = path.partition("\\")
    hive = SHORT_HIVES.get(hive.upper(), hive.upper())
    return hive + sep + rest


def _logical_lines(text):
    """(line number, text) with hex continuations joined and comments dropped."""
    out, buf, start = [], None, 0
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        line = raw.strip() if buf is not None else raw.rstrip()
        if buf is None:
            if not line.strip() or line.lstrip().startswith(";"):
                continue
            buf, start = line, number
        else:
            buf += line
        if buf.endswith("\\") and "=hex" in buf.lower():
            buf = buf[:-1]
            continue
        out.append((start, buf))
        buf = None
    if buf is not None:
        out.append((start, buf))
    return out


def _read_quoted(text, pos, number):
    """A quoted string from text[pos] == '"': (unescaped text, index after the closing quote)."""
    out = []
    i = pos + 1
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
            continue
        if ch == '"':
            return "".join(out), i + 1
        out.append(ch)
        i += 1
    raise RegFileError("line %d: unterminated string" % number)


def _hex_bytes(text, number):
    text = text.replace(" ", "").replace("\t", "")
    if not text:
        return b""
    try:
        return bytes(int(part, 16) for part in text.split(",") if part != "")
    except ValueError:
        raise RegFileError("line %d: bad hex data" % number)


def _data(text, number):
    """(type name, data) of the text after '='. None data for a deletion."""
    if text == "-":
        return "DELETE", None
    if text.startswith('"'):
        value, end = _read_quoted(text, 0, number)
        if text[end:].strip():
            raise RegFileError("line %d: text after the closing quote" % number)
        return "REG_SZ", value
    lowered = text.lower()
    if lowered.startswith("dword:"):
        digits = text[6:].strip()
        if not digits or len(digits) > 8:
            raise RegFileError("line %d: dword needs 1 to 8 hex digits" % number)
        try:
            return "REG_DWORD", int(digits, 16)
        except ValueError:
            raise RegFileError("line %d: bad dword" % number)
    if lowered.startswith("hex:"):
        return "REG_BINARY", _hex_bytes(text[4:], number)
    if lowered.startswith("hex(") and "):" in lowered:
        code, rest = text[4:].split("):", 1)
        try:
            kind = int(code, 16)
        except ValueError:
            raise RegFileError("line %d: bad hex type" % number)
        raw = _hex_bytes(rest, number)
        name = TYPES.get(kind, "REG_TYPE_%d" % kind)
        if kind in (1, 2):
            return name, raw.decode("utf-16-le", "replace").rstrip("\x00")
        if kind == 7:
            return name, [s for s in raw.decode("utf-16-le", "replace").split("\x00") if s]
        if kind == 11 and len(raw) == 8:
            return name, int.from_bytes(raw, "little")
        return name, raw
    raise RegFileError("line %d: unsupported value data" % number)


def parse(data):
    """Parse .reg bytes: a list of (key path, deleted, [RegValue]) in file order. Raises RegFileError."""
    text = decode_text(data)
    lines = _logical_lines(text)
    if not lines or lines[0][1].strip() not in HEADERS:
        raise RegFileError("not a .reg file (the first line must be %r)" % HEADERS[0])
    keys, current = [], None
    for number, line in lines[1:]:
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            path = stripped[1:-1]
            deleted = path.startswith("-")
            current = (normalise_key(path[1:] if deleted else path), deleted, [])
            keys.append(current)
            continue
        if current is None:
            raise RegFileError("line %d: a value before the first [key] line" % number)
        if stripped.startswith("@="):
            name, rest = "", stripped[2:]
        elif stripped.startswith('"'):
            name, end = _read_quoted(stripped, 0, number)
            rest = stripped[end:].lstrip()
            if not rest.startswith("="):
                raise RegFileError("line %d: expected = after the value name" % number)
            rest = rest[1:].lstrip()
        else:
            raise RegFileError("line %d: expected \"name\"=value, @=value or [key]" % number)
        type_, value = _data(rest, number)
        current[2].append(RegValue(name, type_, value, number))
    return keys
