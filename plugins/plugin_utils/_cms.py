# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The content of a signed configuration profile (CMS SignedData, RFC 5652), as
``openssl smime -verify -noverify -inform DER`` prints it.

PRIVATE, controller-only. cryptography (41-50) signs PKCS#7 and loads its certificates but has no
API that returns the encapsulated content, so the few ASN.1 elements on the way to it are read here
(DER and the BER indefinite lengths some signers write). The signature is NOT verified: adopting a
profile reads what it would install; trusting its signer is the MDM's and the Mac's job. The signer
certificates are read with cryptography (``load_der_pkcs7_certificates``) to name them in the report.
"""

from __future__ import annotations

import base64
import re

OID_SIGNED_DATA = bytes.fromhex("2a864886f70d010702")
OID_DATA = bytes.fromhex("2a864886f70d010701")
_PEM = re.compile(rb"-----BEGIN (?:PKCS7|CMS)-----(.*?)-----END (?:PKCS7|CMS)-----", re.S)


class CmsError(ValueError):
    pass


def _header(data, pos):
    """(tag, constructed, content start, content length or None for indefinite)."""
    if pos + 2 > len(data):
        raise CmsError("truncated ASN.1 element")
    tag = data[pos]
    pos += 1
    if tag & 0x1F == 0x1F:
        raise CmsError("multi-byte ASN.1 tags are not used by CMS")
    first = data[pos]
    pos += 1
    if first == 0x80:
        return tag, bool(tag & 0x20), pos, None
    if first & 0x80:
        count = first & 0x7F
        if count == 0 or count > 4 or pos + count > len(data):
            raise CmsError("bad ASN.1 length")
        length = int.from_bytes(data[pos:pos + count], "big")
        pos += count
    else:
        length = first
    if pos + length > len(data):
        raise CmsError("ASN.1 element runs past the end of the file")
    return tag, bool(tag & 0x20), pos, length


def _element(data, pos):
    """(tag, content start, content end, position after the element)."""
    tag, constructed, start, length = _header(data, pos)
    if length is not None:
        return tag, start, start + length, start + length
    if not constructed:
        raise CmsError("indefinite length on a primitive element")
    cur = start
    while True:
        if data[cur:cur + 2] == b"\x00\x00":
            return tag, start, cur, cur + 2
        cur = _element(data, cur)[3]


def _children(data, start, end):
    out, cur = [], start
    while cur < end:
        if data[cur:cur + 2] == b"\x00\x00":
            break
        tag, s, e, nxt = _element(data, cur)
        out.append((tag, s, e))
        cur = nxt
    return out


def _octets(data, tag, start, end):
    if tag == 0x04:
        return data[start:end]
    if tag == 0x24:  # constructed OCTET STRING (BER): the chunks in order
        return b"".join(_octets(data, t, s, e) for t, s, e in _children(data, start, end))
    raise CmsError("encapsulated content is not an OCTET STRING")


def is_signed(data):
    return data[:1] == b"\x30" or data.lstrip()[:17] in (b"-----BEGIN PKCS7-", b"-----BEGIN CMS---")


def der_of(data):
    match = _PEM.search(data)
    if match:
        try:
            return base64.b64decode(b"".join(match.group(1).split()))
        except ValueError:
            raise CmsError("the PEM block is not base64")
    return data


def signed_content(data):
    """The bytes a CMS SignedData (DER, BER or PEM) carries. Raises CmsError."""
    der = der_of(data)
    tag, start, end, dummy = _element(der, 0)
    if tag != 0x30:
        raise CmsError("not a CMS ContentInfo")
    parts = _children(der, start, end)
    if len(parts) < 2 or parts[0][0] != 0x06 or der[parts[0][1]:parts[0][2]] != OID_SIGNED_DATA or parts[1][0] != 0xA0:
        raise CmsError("not CMS SignedData")
    inner = _children(der, parts[1][1], parts[1][2])
    if not inner or inner[0][0] != 0x30:
        raise CmsError("SignedData is not a SEQUENCE")
    fields = _children(der, inner[0][1], inner[0][2])
    if len(fields) < 3 or fields[2][0] != 0x30:
        raise CmsError("SignedData has no encapsulated content")
    encap = _children(der, fields[2][1], fields[2][2])
    if not encap or der[encap[0][1]:encap[0][2]] != OID_DATA:
        raise CmsError("the encapsulated content is not id-data")
    if len(encap) < 2 or encap[1][0] != 0xA0:
        raise CmsError("detached signature: the profile's content is not in the file")
    content = _children(der, encap[1][1], encap[1][2])
    if not content:
        raise CmsError("empty encapsulated content")
    return _octets(der, *content[0])


def signers(data):
    """Subjects of the certificates in the SignedData (cryptography), [] when none can be read."""
    import warnings

    try:
        from cryptography.hazmat.primitives.serialization import pkcs7

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a BER-streamed profile: cryptography warns, then reads it
            certs = pkcs7.load_der_pkcs7_certificates(der_of(data))
    except Exception:  # noqa: BLE001 - naming the signer is a courtesy, never a failure
        return []
    return [c.subject.rfc4514_string() for c in certs]
