# agb-script prelude: run once in every new Python kernel, silently. The contract is in Prelude.java.
# 1. The value protocol: a main result that is JSON-representable also carries
#    application/vnd.agb.value+json, so Java hosts get typed values back.
# 2. _agb_bind(json), _agb_get(name), _agb_unbind(name), _agb_names(), _agb_functions(), _agb_call(name, json_args),
#    _agb_check(code).
def _agb_install():
    import json, math, numbers
    from IPython import get_ipython
    from IPython.core.formatters import BaseFormatter
    from traitlets import Unicode

    class _Unrepresentable(Exception):
        pass

    def plain(value, depth=0):
        if depth > 100:
            raise _Unrepresentable()
        if value is None or isinstance(value, (bool, str)):
            return value
        if isinstance(value, numbers.Integral):
            return int(value)
        if isinstance(value, numbers.Real):
            return float(value)
        if isinstance(value, (list, tuple)):
            return [plain(v, depth + 1) for v in value]
        if isinstance(value, dict) and all(isinstance(k, str) for k in value):
            return {k: plain(v, depth + 1) for k, v in value.items()}
        raise _Unrepresentable()

    class AgbValueFormatter(BaseFormatter):
        format_type = Unicode('application/vnd.agb.value+json')

        def __call__(self, obj):
            try:
                # NaN and infinities go out as the non-standard tokens; the Java side reads them.
                return json.dumps(plain(obj), allow_nan=True, ensure_ascii=False)
            except (_Unrepresentable, ValueError, TypeError):
                return None

    ip = get_ipython()
    # IPython drops a cell's leading blank lines before it compiles it, which made every line number early by
    # that many (hosts such as Ant start each script with a line break).
    manager = ip.input_transformer_manager
    manager.cleanup_transforms = [t for t in manager.cleanup_transforms
                                  if getattr(t, '__name__', '') != 'leading_empty_lines']
    ip.display_formatter.formatters['application/vnd.agb.value+json'] = AgbValueFormatter(parent=ip.display_formatter)

    import types

    def _agb_bind(json_text):
        ip.user_ns.update(json.loads(json_text))

    def _agb_get(name):
        if name not in ip.user_ns or name in ip.user_ns_hidden:
            return {'found': False}
        value = ip.user_ns[name]
        try:
            return {'found': True, 'value': plain(value)}
        except _Unrepresentable:
            return {'found': True, 'text': repr(value)}

    def _agb_check(code):
        # Compiles the cell as IPython would run it (magics transformed, top-level await allowed), runs nothing.
        import ast
        try:
            compile(ip.transform_cell(code), '<cell>', 'exec', ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
            return None
        except SyntaxError as e:
            return {'name': type(e).__name__, 'message': e.msg, 'line': e.lineno or -1, 'column': e.offset or -1}
        except ValueError as e:
            return {'name': 'SyntaxError', 'message': str(e), 'line': -1, 'column': -1}

    def _agb_unbind(name):
        if name not in ip.user_ns_hidden:
            ip.user_ns.pop(name, None)

    def _agb_names():
        return sorted(n for n, v in ip.user_ns.items()
                      if not n.startswith('_') and n not in ip.user_ns_hidden
                      and not isinstance(v, (types.ModuleType, types.FunctionType, type))
                      and n not in ('In', 'Out', 'exit', 'quit', 'get_ipython'))

    def _agb_functions():
        return sorted(n for n, v in ip.user_ns.items()
                      if not n.startswith('_') and n not in ip.user_ns_hidden
                      and isinstance(v, types.FunctionType))

    def _agb_call(name, json_args):
        function = ip.user_ns.get(name)
        if not callable(function):
            raise NameError('agb-no-such-function: ' + name)
        return function(*json.loads(json_args))

    # Child processes write to the kernel's file descriptors, which ipykernel reads in a watcher thread.
    # Output still in those pipes when the cell ends would come after the cell's idle status and be lost to
    # it; wait (briefly, bounded) until the thread has taken it, so the flush before idle sends it.
    import fcntl, struct, sys, termios, time

    def _agb_drain_child_output():
        deadline = time.monotonic() + 0.2
        waited = False
        for stream in (sys.stdout, sys.stderr):
            fid = getattr(stream, '_fid', None)
            if fid is None:
                continue
            try:
                while time.monotonic() < deadline:
                    pending = struct.unpack('i', fcntl.ioctl(fid, termios.FIONREAD, b'\0\0\0\0'))[0]
                    if pending == 0:
                        break
                    waited = True
                    time.sleep(0.001)
            except OSError:
                pass
        if waited:
            time.sleep(0.001)  # the watcher writes what it read into the stream right after reading it

    ip.events.register('post_execute', _agb_drain_child_output)

    for helper in (_agb_bind, _agb_get, _agb_unbind, _agb_names, _agb_functions, _agb_call, _agb_check):
        ip.user_ns[helper.__name__] = helper
        ip.user_ns_hidden[helper.__name__] = helper

_agb_install()
del _agb_install
