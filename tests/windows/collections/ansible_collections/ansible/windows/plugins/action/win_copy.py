# -*- coding: utf-8 -*-
# TEST DOUBLE support: ansible.windows.win_copy's action plugin is the REAL one, loaded from the ansible.windows
# collection that PyPI's `ansible` package installs beside ansible-core (plugins/action/win_copy.py, identical to
# 3.7.0 at a1e2a842 apart from one import). It drives the double's module exactly as on a real host: content is
# written to a controller temp file as UTF-8 bytes (action win_copy.py:223-235), the module runs in query mode
# against the destination folder (:479-492), a change is copied by one "single" module run (:265-293), and in
# check mode nothing is sent after the query (:266-271: changed=true, backup_file 'check-mode-backup-file.bak').
from __future__ import annotations

import importlib.util
import os

import ansible

_REAL = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(ansible.__file__))), "ansible_collections", "ansible", "windows",
                     "plugins", "action", "win_copy.py")
if not os.path.exists(_REAL):
    raise ImportError("the real ansible.windows win_copy action plugin is not installed at %s (pip install ansible)" % _REAL)
_spec = importlib.util.spec_from_file_location("_real_ansible_windows_win_copy_action", _REAL)
_real = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_real)


class ActionModule(_real.ActionModule):
    pass
