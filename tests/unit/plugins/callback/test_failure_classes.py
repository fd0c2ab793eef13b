"""Issue 21 item 8: failures reported as what they are, with the real fix (plugin_utils/_failures.py).

The messages are the ones Ansible and its connection plugins print (ansible-core 2.19 ssh/winrm/psrp,
pywinrm 0.5); each must get its own kind, and only a host that could not be reached is told to rerun.
"""

from __future__ import annotations

import pytest

from ansible_collections.aiohub.claude_desktop.plugins.callback.rollout_summary import CallbackModule
from ansible_collections.aiohub.claude_desktop.plugins.filter.failure_fix import _failure_fix
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._failures import UNREACHABLE, classify

CASES = [
    ("Failed to connect to the host via ssh: admin@10.0.0.12: Permission denied (publickey,password).", "login refused"),
    ("ntlm: the specified credentials were rejected by the server", "login refused"),
    ("basic: the specified credentials were rejected by the server", "login refused"),
    ("kerberos: authGSSClientStep() failed: (('Unspecified GSS failure.', 851968), ('Server not found in Kerberos database', -1765328377))",
     "login refused"),
    ("ssl: HTTPSConnectionPool(host='10.0.0.13', port=5986): Max retries exceeded with url: /wsman (Caused by SSLError("
     "SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed')))", "certificate not trusted"),
    ("Task failed: Missing sudo password", "sudo refused"),
    ("sudo: a password is required", "sudo refused"),
    ("couldn't resolve module/action 'ansible.windows.win_stat'. This often indicates a misspelling, missing collection, or "
     "incorrect module path.", "collection missing"),
    ("winrm or requests is not installed: No module named 'winrm'", "library missing"),
    ("Failed to connect to the host via ssh: ssh: connect to host 10.0.0.12 port 22: No route to host", UNREACHABLE),
    ("Failed to connect to the host via ssh: ssh: connect to host 10.0.0.12 port 22: Connection timed out", UNREACHABLE),
    ("ntlm: HTTPSConnectionPool(host='10.0.0.13', port=5986): Max retries exceeded with url: /wsman (Caused by "
     "NewConnectionError('Failed to establish a new connection: [Errno 111] Connection refused'))", UNREACHABLE),
]


@pytest.mark.parametrize("msg,kind", CASES)
def test_each_failure_gets_its_kind_and_only_unreachable_hosts_are_told_to_rerun(msg, kind):
    got, fix = classify(msg, host="pc1")
    assert got == kind
    assert ("--limit pc1" in fix) == (kind == UNREACHABLE)
    if kind == "collection missing":
        assert "ansible-galaxy collection install ansible.windows" in fix
    if kind == "library missing":
        assert "pip install pywinrm" in fix


def test_the_filter_reads_a_task_result():
    result = {"unreachable": True, "msg": "ntlm: the specified credentials were rejected by the server"}
    assert _failure_fix(result, host="pc1").startswith("login refused: ")


class _Result(object):
    def __init__(self, host, res, task="Deploy registry policy (Windows)"):
        self._host = type("H", (), {"get_name": lambda self_: host})()
        self._result = res
        self._task = type("T", (), {"get_name": lambda self_: task})()


def test_summary_counts_a_refused_login_as_failed_with_its_fix_and_a_dead_host_as_unreachable():
    cb = CallbackModule()
    cb.active = cb.in_rollout = True
    cb.targets = ["pc1", "mac2", "lin1"]
    cb.v2_runner_on_unreachable(_Result("pc1", {"msg": "ntlm: the specified credentials were rejected by the server"}))
    timeout = "Failed to connect to the host via ssh: ssh: connect to host x port 22: Connection timed out"
    cb.v2_runner_on_unreachable(_Result("mac2", {"msg": timeout}))
    cb.v2_runner_on_failed(_Result("lin1", {"msg": "couldn't resolve module/action 'ansible.posix.acl'. This often indicates a "
                                                   "misspelling, missing collection, or incorrect module path."}))
    lines = "\n".join(cb.summary_lines())
    assert "3 hosts: 0 changed, 0 unchanged, 2 failed, 1 unreachable, 0 not reached" in lines
    assert "failed       pc1: login refused:" in lines and "a rerun will not help" in lines
    assert "failed       lin1: collection missing:" in lines and "ansible-galaxy collection install ansible.posix" in lines
    assert "unreachable  mac2:" in lines
