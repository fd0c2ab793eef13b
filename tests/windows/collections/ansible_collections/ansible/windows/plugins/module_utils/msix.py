# -*- coding: utf-8 -*-
# TEST DOUBLE support: the files an MSIX-packaged Claude Desktop reads through its AppData merged view.
#
# What the spec states (../shared/spec/claude-desktop-3p.md):
#  * §1.5, generation 1: MSIX builds virtualised %APPDATA% writes, so the effective file was
#    %LOCALAPPDATA%\Packages\Claude_pzs8sxrjxfjjc\LocalCache\Roaming\Claude-3p\claude_desktop_config.json, and
#    the documented %APPDATA%\Claude-3p path "does not work on MSIX builds".
#  * §8 pitfall 14: AppData writes from inside the package are virtualised to %LOCALAPPDATA%\Packages\<family>\...
#    (still seen in 2.110.0.0); the package families are Claude_pzs8sxrjxfjjc and AnthropicPBC.Claude_fnn82j28hfe8t.
# The model (the merged view of MSIX AppData redirection, per file, copy-on-write):
#  * the packaged app opens %APPDATA%\X as <package>\LocalCache\Roaming\X and %LOCALAPPDATA%\X as
#    <package>\LocalCache\Local\X when that copy exists, else the real file (a copy the app wrote is the
#    "effective file" of §1.5: the real one is no longer seen);
#  * a folder's listing is the union of the real folder and its LocalCache copy, the copy's entries winning;
#  * the app runs with the user's own token (a full-trust desktop package, not an AppContainer): every read is
#    checked against the fake volume's ACLs for the user's SID (fake_fs.Volume.check).
# Not modelled: the registry (HKCU) side of pitfall 14, deletions through the view, and the package's own
# VFS folder.

from __future__ import annotations

import os

try:
    from ansible_collections.ansible.windows.plugins.module_utils.fake_fs import AccessDenied, Volume, norm
except ImportError:  # loaded by path from the tests (conftest.double_util), where ansible.windows is the real collection
    import importlib.util

    _spec = importlib.util.spec_from_file_location("_double_fake_fs", os.path.join(os.path.dirname(os.path.abspath(__file__)), "fake_fs.py"))
    _fake_fs = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(_fake_fs)
    AccessDenied, Volume, norm = _fake_fs.AccessDenied, _fake_fs.Volume, _fake_fs.norm

FAMILIES = ("Claude_pzs8sxrjxfjjc", "AnthropicPBC.Claude_fnn82j28hfe8t")
ROOTS = {"appdata": ("AppData\\Roaming", "Roaming"), "localappdata": ("AppData\\Local", "Local")}


class PackagedApp(object):
    """The packaged app of ``family`` as the user ``sid`` whose profile folder is ``home``."""

    def __init__(self, home, sid, family=FAMILIES[0]):
        if family not in FAMILIES:
            raise ValueError("not a Claude Desktop package family (spec §8.14): %s" % family)
        self.home, self.sid, self.family = norm(home), sid, family

    def _paths(self, where, relative):
        real_root, cache = ROOTS[where.lower().strip("%")]
        rel = relative.strip("\\")
        real = norm("%s\\%s\\%s" % (self.home, real_root, rel))
        copy = norm("%s\\AppData\\Local\\Packages\\%s\\LocalCache\\%s\\%s" % (self.home, self.family, cache, rel))
        return real, copy

    def effective(self, where, relative):
        """The file the app opens for ``where`` (%APPDATA% or %LOCALAPPDATA%) \\ ``relative``; None if neither exists."""
        real, copy = self._paths(where, relative)
        with Volume() as vol:
            for path in (copy, real):
                if vol.exists(path):
                    return path
        return None

    def read(self, where, relative):
        """The bytes the app reads (None when there is no such file), as the user: AccessDenied when it may not."""
        path = self.effective(where, relative)
        if path is None:
            return None
        with Volume() as vol:
            vol.check(path, "read", self.sid)
            with open(vol.local(path), "rb") as f:
                return f.read()

    def listdir(self, where, relative):
        """Names in the merged folder (the real one and its LocalCache copy), as the user lists them."""
        names = set()
        with Volume() as vol:
            for path in self._paths(where, relative):
                if vol.exists(path) and os.path.isdir(vol.local(path)):
                    vol.check(path, "list", self.sid)
                    names.update(os.listdir(vol.local(path)))
        return sorted(names)


__all__ = ["AccessDenied", "FAMILIES", "PackagedApp"]
