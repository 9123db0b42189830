# agb-script prelude: run once in every new Python kernel, silently. The contract is in Prelude.java.
# 1. The value protocol: a main result that is JSON-representable also carries
#    application/vnd.agb.value+json, so Java hosts get typed values back.
# 2. _agb_bind(json), _agb_get(name), _agb_unbind(name), _agb_names(), _agb_functions(), _agb_call(name, json_args),
#    _agb_check(code), _agb_table(name), _agb_bind_table(name, json).
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
    # A host's evals keep no result alive: IPython's output cache (Out, _N, _) would hold up to 1000 of them and
    # then print "Output cache limit hit" to the kernel's stderr. The main result is still sent (execute_result).
    ip.displayhook.cache_size = 0
    ip.displayhook.do_full_cache = 0

    import sys
    # Live output: ipykernel sends what a cell printed 0.2 s after its first write (OutStream.flush_interval), so
    # a print reached the host ~200 ms late. With no interval the stream is sent as soon as ipykernel's IO thread
    # runs; writes that come meanwhile still go out together.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, 'flush_interval'):
            stream.flush_interval = 0

    import types

    def _agb_bind(json_text):
        ip.user_ns.update(json.loads(json_text))

    def is_table(value):
        pandas = sys.modules.get('pandas')  # only when the user imported it: never imported just to look
        return pandas is not None and isinstance(value, pandas.DataFrame)

    def _agb_get(name):
        if name not in ip.user_ns or name in ip.user_ns_hidden:
            return {'found': False}
        value = ip.user_ns[name]
        answer = {'found': True, 'type': type(value).__name__}
        if is_table(value):
            answer['rows'] = len(value.index)
            answer['columns'] = [str(c) for c in value.columns]
        try:
            answer['value'] = plain(value)
        except _Unrepresentable:
            answer['text'] = repr(value)
        return answer

    def cell(value, column):
        pandas = sys.modules['pandas']
        if value is None or value is pandas.NA or value is pandas.NaT:
            return None
        if type(value).__module__ == 'numpy':
            value = value.item()  # numpy's scalars as Python's (numpy.bool_ is no bool)
        try:
            return plain(value)
        except _Unrepresentable:
            raise TypeError("column '%s' holds %s values, which have no JSON form" % (column, type(value).__name__)) from None

    def _agb_table(name):
        value = ip.user_ns.get(name)
        if name in ip.user_ns_hidden or not is_table(value):
            raise TypeError(name + ' is no pandas DataFrame')
        columns = [str(c) for c in value.columns]
        records = [{column: cell(v, column) for column, v in zip(columns, row)}
                   for row in value.itertuples(index=False, name=None)]
        return {'columns': columns, 'records': records}

    def _agb_bind_table(name, json_text):
        table = json.loads(json_text)
        try:
            import pandas
            ip.user_ns[name] = pandas.DataFrame.from_records(table['records'], columns=table['columns'])
        except ImportError:
            ip.user_ns[name] = table['records']

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
        # In a namespace, its own functions and the shared scope's.
        return sorted({n for ns in (ip.user_ns, shared_ns) for n, v in ns.items()
                       if not n.startswith('_') and n not in ip.user_ns_hidden
                       and isinstance(v, types.FunctionType)})

    def _agb_call(name, json_args):
        function = ip.user_ns[name] if name in ip.user_ns else shared_ns.get(name)
        if not callable(function):
            raise NameError('agb-no-such-function: ' + name)
        return function(*json.loads(json_args))

    # Child processes write to the kernel's file descriptors, which ipykernel reads in a watcher thread.
    # Output still in those pipes when the cell ends would come after the cell's idle status and be lost to
    # it; wait (briefly, bounded) until the thread has taken it, so the flush before idle sends it.
    import fcntl, struct, termios, time

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

    # --- Namespaces: an eval whose first line is "# agb-namespace <id> <header-json>" runs in a namespace of
    # its own (the engine's per-Bindings scope), over the shared scope. Prelude.java has the protocol.
    import builtins, inspect, io, tokenize
    from IPython.core.displayhook import DisplayHook
    shared_ns = ip.user_ns
    namespaces = {}
    # While a namespace's cell runs: it, its transformed code (for the displayhook), what its main result carried.
    state = {'namespace': None, 'cell': None, 'reported': None}

    class _Fallthrough(dict):
        # A namespace's __builtins__. CPython looks a name up in the globals, then in __builtins__, and uses
        # __missing__ of a dict subclass there: names the namespace lacks come from the shared scope (its
        # functions and imports), then from the builtins IPython adds during a cell (display, get_ipython).
        __slots__ = ()

        def __missing__(self, name):
            try:
                return shared_ns[name]
            except KeyError:
                return builtins.__dict__[name]

    class _Namespace:
        __slots__ = ('module', 'names', 'builtins', 'seeded')

        def __init__(self):
            self.module = types.ModuleType('__main__')
            self.names = self.module.__dict__
            self.builtins = _Fallthrough()
            self.names['__builtins__'] = self.builtins
            self.seeded = {}

    def encoded(value):
        return json.dumps(plain(value), allow_nan=True, ensure_ascii=False)

    def enter(namespace, seed):
        # Called inside the try whose finally leaves: an interrupt may come at any point.
        # Python's builtins are real keys (fast, and CPython reads __import__ directly); those the shared scope
        # shadows are left out, so that its definition wins as it would in the shared scope itself.
        shadowed = namespace.builtins
        shadowed.clear()
        shadowed.update(builtins.__dict__)
        for name in shared_ns.keys() & shadowed.keys():
            if name not in ('__import__', '__build_class__'):
                del shadowed[name]
        # ipykernel swaps builtins.input for one that asks the client only once the cell runs: looked up then.
        shadowed.pop('input', None)
        namespace.seeded = {}
        for name, value in seed.items():
            namespace.names[name] = value
            namespace.seeded[name] = encoded(value)
        ip.user_module, ip.user_ns = namespace.module, namespace.names
        sys.modules['__main__'] = namespace.module
        ip.displayhook.cache_size = 0  # no _, __, _N or Out: they would carry values from one namespace to the next

    def leave(saved):
        ip.user_module, ip.user_ns, main, ip.displayhook.cache_size = saved
        sys.modules['__main__'] = main
        # The last error's frames hold the namespace's values; nothing of it stays for the next cell.
        for name in ('last_type', 'last_value', 'last_traceback', 'last_exc'):
            sys.__dict__.pop(name, None)

    def snapshot(namespace):
        # What the engine writes back into the Bindings: the values that have a JSON form and changed since
        # they were seeded (or are new), and the seeded names the code deleted.
        assigned = []
        for name, value in list(namespace.names.items()):
            if name.startswith('_') or isinstance(value, (types.ModuleType, types.FunctionType, type)):
                continue
            try:
                text = encoded(value)
            except (_Unrepresentable, ValueError, TypeError, RecursionError):
                continue
            if namespace.seeded.get(name) != text:
                assigned.append(json.dumps(name, ensure_ascii=False) + ':' + text)
        deleted = [name for name in namespace.seeded if name not in namespace.names]
        return '{"assigned":{' + ','.join(assigned) + '},"deleted":' + json.dumps(deleted, ensure_ascii=False) + '}'

    def quiet():
        # IPython decides on a trailing ';' by the last cell of its history; a namespace cell is kept out of
        # the history, so its own code decides.
        if state['cell'] is None:
            return DisplayHook.quiet(ip.displayhook)
        try:
            tokens = list(tokenize.generate_tokens(io.StringIO(state['cell']).readline))
        except (tokenize.TokenError, SyntaxError):
            return False
        for token in reversed(tokens):
            if token[0] in (tokenize.ENDMARKER, tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT):
                continue
            return token[0] == tokenize.OP and token[1] == ';'
        return False

    original_write_format_data = ip.displayhook.write_format_data

    def write_format_data(format_dict, md_dict=None):
        # The main result of a namespace's cell carries what the cell left: no message more. (Code that runs after
        # it, which only a displayhook called by hand allows, is caught by the check after the cell.)
        if state['namespace'] is not None:
            state['reported'] = snapshot(state['namespace'])
            format_dict = dict(format_dict)
            format_dict['application/vnd.agb.namespace+json'] = state['reported']
        return original_write_format_data(format_dict, md_dict)

    kernel = getattr(ip, 'kernel', None)
    if kernel is None or not hasattr(kernel, 'do_execute'):
        # Not ipykernel: no namespaces. The engine then says that the code ran in the shared scope.
        kernel = types.SimpleNamespace(do_execute=None)
    else:
        ip.displayhook.quiet = quiet
        ip.displayhook.write_format_data = write_format_data
    original_do_execute = kernel.do_execute

    async def do_execute(code, *args, **kwargs):
        if not code.startswith('# agb-namespace '):
            reply = original_do_execute(code, *args, **kwargs)
            return (await reply) if inspect.isawaitable(reply) else reply
        marker, _, code = code.partition('\n')
        try:
            name, _, header = marker[len('# agb-namespace '):].partition(' ')
            header = json.loads(header)
            seed = header.get('seed', {})
        except ValueError as e:
            name, header, seed = None, {}, {}
            code = 'raise ValueError(' + repr('agb: a namespace header that is no JSON: ' + str(e)) + ')'
        for gone in header.get('drop', ()):
            namespaces.pop(gone, None)
        namespace = namespaces.get(name) or namespaces.setdefault(name, _Namespace())
        saved = (ip.user_module, ip.user_ns, sys.modules.get('__main__'), ip.displayhook.cache_size)
        try:
            enter(namespace, seed)
            try:
                state['cell'] = ip.transform_cell(code)
            except Exception:
                state['cell'] = code
            state['namespace'] = namespace
            reply = original_do_execute(code, *args, **kwargs)
            return (await reply) if inspect.isawaitable(reply) else reply
        finally:
            reported = state['reported']
            state.update(namespace=None, cell=None, reported=None)
            leave(saved)
            if name is None:
                namespaces.pop(None, None)
            else:
                try:
                    left = snapshot(namespace)
                except Exception:  # never in the way of the reply; nothing is written back then
                    left = '{"assigned":{},"deleted":[]}'
                if left != reported:
                    ip.display_pub.publish(data={'application/vnd.agb.namespace+json': left}, metadata={})

    if original_do_execute is not None:
        kernel.do_execute = do_execute

    def _agb_namespaces():
        return sorted(namespaces)

    for helper in (_agb_bind, _agb_get, _agb_unbind, _agb_names, _agb_functions, _agb_call, _agb_check,
                   _agb_table, _agb_bind_table, _agb_namespaces):
        ip.user_ns[helper.__name__] = helper
        ip.user_ns_hidden[helper.__name__] = helper

_agb_install()
del _agb_install
