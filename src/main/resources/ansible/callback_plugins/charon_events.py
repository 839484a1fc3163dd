# charon-jobs progress callback: one JSON object per line on standard error, each line starting
# with the per-run prefix in CHARON_EVENT_PREFIX, so the service can tell them from Ansible's
# own warnings. Uses ansible-core only.
from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = '''
    name: charon_events
    type: notification
    short_description: streams task and host results as JSON lines for charon-jobs
    description:
      - Writes one JSON line per play start, task start, host result and for the final stats; one
        for what the playbook published with set_stats (per_host false), and under --diff one per
        host and task whose result changed with a diff.
    requirements:
      - the CHARON_EVENT_PREFIX environment variable
'''

import json
import os

from ansible.plugins.callback import CallbackBase

MAX_MESSAGE = 2000
# one diff entry at most; the service bounds all of a job's entries together
MAX_DIFF = 262144


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'notification'
    CALLBACK_NAME = 'charon_events'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self._prefix = os.environ.get('CHARON_EVENT_PREFIX', '')

    def _emit(self, event, **fields):
        if not self._prefix:
            return
        fields['event'] = event
        line = self._prefix + json.dumps(fields, sort_keys=True, default=str) + '\n'
        # one write call per line, so lines never interleave with Ansible's own output
        os.write(2, line.encode('utf-8', 'replace'))

    @staticmethod
    def _message(result):
        res = result._result
        msg = res.get('msg') or res.get('stderr') or res.get('reason') or ''
        if not isinstance(msg, str):
            msg = json.dumps(msg, default=str)
        return msg[:MAX_MESSAGE]

    def _host_result(self, result, status, **extra):
        self._emit('host_result', result=status, host=result._host.get_name(),
                   task=result._task.get_name(), **extra)

    def v2_playbook_on_play_start(self, play):
        self._emit('play_start', play=play.get_name())

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._emit('task_start', task=task.get_name())

    def v2_playbook_on_handler_task_start(self, task):
        self._emit('task_start', task=task.get_name(), handler=True)

    def v2_runner_on_ok(self, result):
        self._host_result(result, 'changed' if result._result.get('changed') else 'ok')

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._host_result(result, 'ignored' if ignore_errors else 'failed', message=self._message(result))

    def v2_runner_on_skipped(self, result):
        self._host_result(result, 'skipped')

    def v2_runner_on_unreachable(self, result):
        self._host_result(result, 'unreachable', message=self._message(result))

    def v2_on_file_diff(self, result):
        results = [result._result]
        if result._task.loop and 'results' in result._result:
            results = result._result['results']
        for res in results:
            if isinstance(res, dict) and res.get('diff') and res.get('changed', False):
                text = self._get_diff(res['diff'])
                if text:
                    self._emit('diff', host=result._host.get_name(), task=result._task.get_name(),
                               diff=text[:MAX_DIFF], truncated=len(text) > MAX_DIFF)

    def v2_playbook_on_stats(self, stats):
        hosts = {}
        for host in sorted(stats.processed.keys()):
            s = stats.summarize(host)
            hosts[host] = {
                'ok': s.get('ok', 0), 'changed': s.get('changed', 0), 'failed': s.get('failures', 0),
                'skipped': s.get('skipped', 0), 'unreachable': s.get('unreachable', 0),
                'rescued': s.get('rescued', 0), 'ignored': s.get('ignored', 0),
            }
        self._emit('stats', hosts=hosts)
        # set_stats with per_host false: the run's own data, under the key '_run'
        published = (getattr(stats, 'custom', None) or {}).get('_run')
        if published:
            self._emit('artifacts', artifacts=published)
