"""GET /: the version document. Needs no authentication."""
from placement import jsonio
from placement import microversion


def home(req):
    want = microversion.of(req.environ)
    version = {
        'id': 'v%s' % microversion.MIN_VERSION,
        'min_version': microversion.MIN_VERSION,
        'max_version': microversion.MAX_VERSION,
        'status': 'CURRENT',
        # Relative on purpose: the service never needs to know the address
        # it is reached at.
        'links': [{'rel': 'self', 'href': ''}],
    }
    return jsonio.response({'versions': [version]},
                           cache_headers=want.matches((1, 15)))
