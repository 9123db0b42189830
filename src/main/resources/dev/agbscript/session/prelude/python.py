# agb-script prelude: run once in every new Python kernel, silently.
# 1. The value protocol: a main result that is JSON-representable also carries
#    application/vnd.agb.value+json, so Java hosts get typed values back.
# 2. _agb_bind(json_text): sets variables from a JSON object (host bindings going in).
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
    ip.display_formatter.formatters['application/vnd.agb.value+json'] = AgbValueFormatter(parent=ip.display_formatter)

    def _agb_bind(json_text):
        ip.user_ns.update(json.loads(json_text))

    ip.user_ns['_agb_bind'] = _agb_bind
    ip.user_ns_hidden['_agb_bind'] = _agb_bind

_agb_install()
del _agb_install
