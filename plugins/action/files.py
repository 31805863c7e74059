# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later

"""Action plugin for podnet.flannel.files: write files and directories, asking the host once.

One podnet.flannel.path_info call reads every path of the task (type, mode, owner, SHA-1); the
items that differ are then written by ansible.builtin.copy (files, and templates rendered here
by the ansible.builtin.template lookup) and ansible.builtin.file (directories), which bring
check mode, diff and their own error messages. An idempotent task therefore
costs one module call on the host, not one per item. The options and the result are those
documented in plugins/modules/files.py.
"""

from __future__ import annotations

from ansible.errors import AnsibleActionFail, AnsibleError
from ansible.module_utils.common.text.converters import to_native, to_text
from ansible.plugins.action import ActionBase
from ansible.plugins.loader import lookup_loader

from ansible_collections.podnet.flannel.plugins.plugin_utils.file_state import by_path, differs, item_errors, item_path, sha1_text

PATH_INFO = 'podnet.flannel.path_info'


class ActionModule(ActionBase):
    TRANSFERS_FILES = True

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super().run(tmp, task_vars)
        # The paths written so far: a write that fails after others still reports them.
        self._changed_paths = []
        try:
            result.update(self._run(task_vars))
        except AnsibleActionFail as exc:
            result.update(failed=True, msg=to_text(exc), changed=bool(self._changed_paths), changed_paths=self._changed_paths)
        finally:
            self._remove_tmp_path(self._connection._shell.tmpdir)
        return result

    def _run(self, task_vars):
        unknown = sorted(set(self._task.args) - {'files'})
        if unknown:
            raise AnsibleActionFail('files: unsupported options %s (the one option is files)' % ', '.join(unknown))
        items = self._task.args.get('files')
        errors = item_errors(items)
        if errors:
            raise AnsibleActionFail('; '.join(errors) + '. Nothing was written.')
        # Sources first, on the controller: a missing template fails before the host is asked.
        wanted = [self._resolve(item, task_vars) for item in items]
        paths = [w['path'] for w in wanted]
        if not wanted:
            return dict(changed=False, paths=[], changed_paths=[], results=[])

        probe = self._execute_module(module_name=PATH_INFO, module_args=dict(paths=paths), task_vars=task_vars)
        if probe.get('failed'):
            raise AnsibleActionFail('files: cannot read the paths on the host: %s' % probe.get('msg', probe))
        on_host = by_path(probe.get('files', []))

        diffs, results = [], []
        for want in wanted:
            if not differs(want['item'], on_host.get(want['path']), want.get('checksum')):
                continue
            sub = self._write(want, task_vars)
            results.append(dict(path=want['path'], changed=bool(sub.get('changed')), msg=sub.get('msg', '')))
            if sub.get('failed'):
                raise AnsibleActionFail('files: writing %s failed: %s' % (want['path'], sub.get('msg', sub)))
            if sub.get('changed'):
                self._changed_paths.append(want['path'])
                if sub.get('diff'):
                    diffs.extend(sub['diff'] if isinstance(sub['diff'], list) else [sub['diff']])
        out = dict(changed=bool(self._changed_paths), paths=paths, changed_paths=self._changed_paths, results=results)
        if diffs and self._task.diff:
            out['diff'] = diffs
        return out

    def _resolve(self, item, task_vars):
        """The item with its path, and a template rendered (content) or a src found on the controller."""
        want = dict(item=dict(item), path=item_path(item))
        want['item'].pop('dest', None)
        want['item']['path'] = want['path']
        try:
            if 'template' in item:
                source = self._find_needle('templates', item['template'])
                lookup = lookup_loader.get('ansible.builtin.template', loader=self._loader, templar=self._templar)
                content = lookup.run([source], variables=task_vars)[0]
                want['item']['content'] = content
                want['checksum'] = sha1_text(content)
            elif 'src' in item:
                want['item']['src'] = self._find_needle('files', item['src'])
        except AnsibleError as exc:
            raise AnsibleActionFail('files: %s: %s. Nothing was written.' % (want['path'], to_native(exc)))
        return want

    def _write(self, want, task_vars):
        item = want['item']
        owner = dict((key, item[key]) for key in ('mode', 'owner', 'group') if item.get(key) is not None)
        if item.get('state') == 'directory':
            return self._execute_module(module_name='ansible.legacy.file', module_args=dict(path=want['path'], state='directory', **owner), task_vars=task_vars)
        new_task = self._task.copy()
        new_task.args = dict(dest=want['path'], **owner)
        if 'content' in item:
            new_task.args['content'] = item['content']
        else:
            new_task.args['src'] = item['src']
        copy_action = self._shared_loader_obj.action_loader.get(
            'ansible.legacy.copy',
            task=new_task,
            connection=self._connection,
            play_context=self._play_context,
            loader=self._loader,
            templar=self._templar,
            shared_loader_obj=self._shared_loader_obj,
        )
        return copy_action.run(task_vars=task_vars)
