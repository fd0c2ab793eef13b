"""Open an HTML file in headless Chromium (Debian's `chromium`): its DOM and a screenshot's pixels."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import tempfile
import zlib

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
                  "--no-first-run", "--disable-extensions", "--force-device-scale-factor=1"]


def chromium():
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise RuntimeError("chromium is missing: run scripts/ensure-system-deps.sh (Debian package chromium)")
    return path


def _run(args, profile):
    return subprocess.run([chromium(), *CHROMIUM_FLAGS, "--user-data-dir=" + profile, *args], capture_output=True,
                          text=True, timeout=120, check=False)


def dump_dom(html_path):
    with tempfile.TemporaryDirectory() as profile:
        run = _run(["--dump-dom", "file://" + os.path.abspath(html_path)], profile)
    if run.returncode != 0 or "<html" not in run.stdout:
        raise RuntimeError("chromium --dump-dom failed: %s" % run.stderr[-2000:])
    return run.stdout


def screenshot(html_path, png_path, width=1280, height=1600):
    with tempfile.TemporaryDirectory() as profile:
        run = _run(["--screenshot=" + str(png_path), "--window-size=%d,%d" % (width, height), "file://" + os.path.abspath(html_path)], profile)
    if not os.path.exists(png_path):
        raise RuntimeError("chromium --screenshot wrote nothing: %s" % run.stderr[-2000:])
    return read_png(png_path)


def read_png(path):
    """(width, height, rows of (r, g, b) tuples) for an 8-bit RGB/RGBA PNG, standard library only."""
    with open(path, "rb") as handle:
        data = handle.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", chunk[:10])
            assert depth == 8 and colour in (2, 6), "unsupported PNG type"
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, prev, i = [], bytearray(stride), 0
    for dummy in range(height):
        filt, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b = prev[x]
            c = prev[x - channels] if x >= channels else 0
            if filt == 1:
                line[x] = (line[x] + a) & 0xFF
            elif filt == 2:
                line[x] = (line[x] + b) & 0xFF
            elif filt == 3:
                line[x] = (line[x] + (a + b) // 2) & 0xFF
            elif filt == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append([tuple(line[x:x + 3]) for x in range(0, stride, channels)])
        prev = line
    return width, height, rows


def count_colour(image, rgb, tolerance=6):
    """Pixels within tolerance of rgb (e.g. a state badge's colour)."""
    dummy, dummy, rows = image
    r0, g0, b0 = rgb
    return sum(1 for row in rows for (r, g, b) in row if abs(r - r0) <= tolerance and abs(g - g0) <= tolerance and abs(b - b0) <= tolerance)


def hex_rgb(text):
    text = text.lstrip("#")
    return tuple(int(text[i:i + 2], 16) for i in (0, 2, 4))
