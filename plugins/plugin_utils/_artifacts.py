# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Artifact sets: which files a format produces, their bytes, and writing them atomically.

PRIVATE, controller-only. The byte-level encodings live in _render; this module maps the
``formats`` option of the render action onto file names and contents, masks secrets for diffs,
and keeps a content-addressed store so a config shared by many hosts is rendered once.
"""

from __future__ import annotations

import errno
import functools
import hashlib
import json
import os
import shutil
import tempfile
from xml.sax.saxutils import escape as xml_escape

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _admx, _firewall, _formats
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _render as r
from ansible_collections.aiohub.claude_desktop.plugins.module_utils.masking import CHANGED, MASK
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._secrets import scrub

# The formats and their files, from the one table (_formats.TABLE).
FORMATS = _formats.NAMES
OS_FORMATS = _formats.OS_FORMATS
FILE_NAMES = _formats.FILE_NAMES
MERGED_FILES = _formats.MERGED_FILES  # merged into what exists
SIGNED_NAME = _formats.BY_NAME["mobileconfig"].files[1]
# Offered beside the .reg: deletes the values the config sets, and only those.
REG_REMOVAL_NAME = _formats.BY_NAME["reg"].files[1]
# The perimeter hosts of the config (spec §6), beside the artifacts of every set the render action writes.
FIREWALL_NAME = "firewall-hosts.txt"


def secret_variants(secrets):
    """Each secret as it may appear encoded in an artifact (JSON, .reg, XML escaping)."""
    out = set()
    for s in secrets:
        out.add(s)
        out.add(json.dumps(s, ensure_ascii=False)[1:-1])
        out.add(s.replace("\\", "\\\\").replace('"', '\\"'))
        out.add(xml_escape(s))
    return sorted(out, key=len, reverse=True)


def artifact_text(name, data):
    """Readable text of an artifact for diffs (None for binary, e.g. a signed profile)."""
    if data is None:
        return None
    if data.startswith(b"\xff\xfe"):
        return data[2:].decode("utf-16-le").replace("\r\n", "\n")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def render_set(config, formats, options):
    """Render the requested formats: returns {relative path: (format, bytes)}.

    ``options``: scope (machine|user), identifier, organization, display_name, description,
    removal_disallowed, reg_delete (names to delete in the .reg), config_name, existing (a function
    returning the current bytes of a relative path or None, for formats that merge), signer
    (dict with cert_pem, key_pem, chain_pem or None).
    """
    out = {}
    existing = options.get("existing") or (lambda path: None)
    for fmt in formats:
        row = _formats.BY_NAME.get(fmt)
        if row is None:
            raise ValueError("unknown format %r; use one of %s" % (fmt, ", ".join(FORMATS)))
        for rel, data in row.render(config, options, existing):
            out[rel] = (fmt, data)
    return out


def add_firewall_hosts(files, config):
    """files with firewall-hosts.txt added (the HTTPS hosts the perimeter must allow, spec §6)."""
    files[FIREWALL_NAME] = ("firewall", _firewall.render_text(config))
    return files


def digest(config, formats, options):
    """Content address of an artifact set: config, formats, options and the renderer's own code."""
    h = hashlib.sha256()
    keep = {k: v for k, v in options.items() if k not in ("existing", "signer")}
    existing = options.get("existing")
    if existing:
        keep["existing"] = [hashlib.sha256(existing(p) or b"").hexdigest() for p in MERGED_FILES]
    if options.get("signer"):
        keep["signer"] = signer_digest(options["signer"])
    h.update(json.dumps([config, sorted(formats), keep], sort_keys=True, default=str).encode("utf-8"))
    h.update(_renderer_digest())
    return h.hexdigest()


def signer_digest(signer):
    """Digest of the signing files (PEM bytes, read from the controller): a new certificate or key gives a new set."""
    h = hashlib.sha256()
    for name in ("cert_pem", "key_pem", "chain_pem"):
        data = signer.get(name)
        if isinstance(data, str):
            data = data.encode("utf-8")
        h.update(name.encode("ascii") + b"\0" + (b"%d:" % len(data) + data if data is not None else b"-"))
    return h.hexdigest()


@functools.lru_cache(maxsize=None)
def _renderer_digest():
    """Digest of the renderers' source: a changed renderer never reuses stored artifacts."""
    h = hashlib.sha256()
    for module in (r, _admx, _firewall, _formats):
        with open(module.__file__, "rb") as f:
            h.update(f.read())
    return h.digest()


def holds_secret(data, secrets):
    text = artifact_text("", data)
    if text is None:
        return bool(secrets)
    return any(s in text for s in secret_variants(secrets))


def masked_text(name, data, secrets):
    text = artifact_text(name, data)
    if text is None:
        return "(binary content, %d bytes)\n" % len(data) if data is not None else ""
    return scrub(text, secret_variants(secrets))


def artifact_secrets(fmt, data):
    """Every secret string an artifact on disk holds, read from its parsed content by the model's
    secret marks (JSON held in strings decoded), or None when the bytes do not parse."""
    import plistlib

    from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._secrets import secret_values

    if fmt == "admx":
        return set()  # generated from the model alone: no values
    try:
        if data.startswith(b"\xff\xfe") or data.startswith(b"Windows Registry"):
            parsed = r.parse_reg(data)[1]
        elif data.lstrip()[:1] == b"<":
            parsed = plistlib.loads(data)
        else:
            parsed = json.loads(data.decode("utf-8-sig"))
    except Exception:
        return None
    found, stack = set(), [parsed]
    while stack:
        item = stack.pop()
        if isinstance(item, str) and item.strip()[:1] in ("[", "{"):
            try:
                stack.append(json.loads(item))
            except ValueError:
                pass
        elif isinstance(item, dict):
            decoded = {}
            for key, value in item.items():
                try:
                    decoded[key] = json.loads(value) if isinstance(value, str) and value.strip()[:1] in ("[", "{") else value
                except ValueError:
                    decoded[key] = value
            found.update(secret_values(decoded))
            stack.extend(decoded.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def masked_pair(name, fmt, before, after, secrets):
    """Texts of an artifact before and after for a diff, secrets masked on both sides: the old
    file's own secrets too (read from its content), and a secret of the new file that the old one
    did not hold shows as ``******** (changed)`` (a rotated key is visible in --check --diff)."""
    if before is None:
        return "", masked_text(name, after, secrets)
    old = artifact_secrets(fmt, before)
    if old is None and artifact_text(name, before) is not None:
        before_text = "(%d bytes that do not parse as %s: not shown, they may hold a key)\n" % (len(before), fmt)
    else:
        before_text = masked_text(name, before, sorted(set(secrets) | (old or set())))
    text = artifact_text(name, after)
    if text is None:
        return before_text, masked_text(name, after, secrets)
    changed = set(secret_variants([s for s in secrets if old is not None and s not in old]))
    for variant in secret_variants(secrets):  # longest first
        if variant in text:
            text = text.replace(variant, CHANGED if variant in changed else MASK)
    return before_text, text


DIR_MODE = 0o755


def makedirs(directory, mode=DIR_MODE):
    """Create directory and its missing parents with an explicit mode (never the caller's umask)."""
    if os.path.isdir(directory):
        return
    parent = os.path.dirname(directory)
    if parent and parent != directory:
        makedirs(parent, mode)
    try:
        os.mkdir(directory, mode)
    except FileExistsError:
        if not os.path.isdir(directory):
            raise
        return
    os.chmod(directory, mode)


def read_existing(path):
    """The bytes of a file on the controller, or None when there is none (what a write would replace)."""
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        return None


def write_atomic(path, data, mode):
    """Write bytes to path via a temporary file in the same directory and a rename."""
    directory = os.path.dirname(path)
    makedirs(directory)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix="-" + os.path.basename(path))
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def link_or_copy(src, dst):
    """Place the stored artifact at dst (hard link, else copy), atomically."""
    directory = os.path.dirname(dst)
    makedirs(directory)
    tmp = os.path.join(directory, ".tmp-link-" + os.path.basename(dst))
    if os.path.lexists(tmp):
        os.unlink(tmp)
    try:
        os.link(src, tmp)
    except OSError as exc:
        if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK):
            raise
        shutil.copy2(src, tmp)
    os.replace(tmp, dst)


def store_set(store_dir, key, files, secrets):
    """Write an artifact set once into store_dir/key (atomic directory rename). Returns (dir, created)."""
    final = os.path.join(store_dir, key)
    if os.path.isdir(final):
        return final, False
    makedirs(store_dir, 0o700)
    os.chmod(store_dir, 0o700)
    tmp = tempfile.mkdtemp(dir=store_dir, prefix=".tmp-")
    for rel, (fmt, data) in files.items():
        write_atomic(os.path.join(tmp, rel), data, 0o600 if holds_secret(data, secrets) else 0o644)
    try:
        os.rename(tmp, final)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)  # another worker stored the same set first
        if not os.path.isdir(final):
            raise
        return final, False
    return final, True


def reg_delete(existing, config):
    """Names for "name"=- lines: those the .reg rendered earlier (``existing``, its bytes or None) set
    or deleted and the config no longer sets. That file is the collection's record of what it
    delivered under the key; every other value there (another tool's) is left alone."""
    try:
        previous = set(r.parse_reg(existing)[1]) if existing else set()
    except ValueError:
        previous = set()
    return sorted(previous - set(config))


def place(dest, files, stored, modes, check, diffs, secrets):
    """Link each stored artifact into dest; True when anything differed. ``diffs``: a list to append the
    masked diffs to, or None."""
    changed = False
    for rel in sorted(files):
        path = os.path.join(dest, rel)
        mode = modes[rel]
        try:
            st = os.stat(path)
        except FileNotFoundError:
            st = None
        if st is not None and stored is not None:
            src = os.stat(os.path.join(stored, rel))
            if (st.st_ino, st.st_dev) == (src.st_ino, src.st_dev) and st.st_mode & 0o777 == mode:
                continue  # already the stored artifact
        data = files[rel][1]
        before = read_existing(path) if st is not None else None
        if before == data and st.st_mode & 0o777 == mode:
            continue
        changed = True
        if not check:
            makedirs(os.path.dirname(path))
            link_or_copy(os.path.join(stored, rel), path)
            os.chmod(path, mode)
        if diffs is not None:
            texts = masked_pair(rel, files[rel][0], before, data, secrets)  # a rotated key: "******** (changed)"
            diffs.append({"before_header": path, "after_header": path, "before": texts[0], "after": texts[1]})
    return changed
