"""Reading JSON request bodies and writing JSON responses."""
import json

import jsonschema
import orjson
from oslo_utils import timeutils
import webob

from placement import exception
from placement.schemas import common

JSON = 'application/json'

# Nesting deep enough to exhaust Python's recursion limit, whether in the
# decoder or later in the validator, gets this 400. No request of this API
# nests more than a few levels.
TOO_DEEP = 'Malformed JSON: the body is nested too deeply.'


def _unstorable(text):
    """Why no database can store ``text``, or None: some (PostgreSQL)
    cannot store NUL characters at all, and none can store a lone
    surrogate (JSON's \\ud800), which is no character of UTF-8."""
    if '\x00' in text:
        return 'a NUL character'
    try:
        text.encode('utf-8')
    except UnicodeEncodeError:
        return 'a lone surrogate'
    return None


def _refuse_unstorable(data):
    # A walk without recursion: any nesting the decoder took is fine here.
    pending = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            reason = _unstorable(item)
            if reason:
                raise exception.BadRequest(
                    'The body contains %s, which no field accepts.'
                    % reason)
        elif isinstance(item, dict):
            pending.extend(item)
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)


def _schema_error_detail(error):
    location = '/'.join(str(part) for part in error.absolute_path)
    if location:
        return "JSON does not validate: %s (at '%s')" % (
            error.message, location)
    return 'JSON does not validate: %s' % error.message


def _refuse_constant(name):
    # NaN and Infinity are not JSON, though Python's decoder takes them;
    # no number in this API may be one.
    raise ValueError('%s is not a JSON number' % name)


def validate(data, schema):
    """Raise BadRequest naming the first way ``data`` breaks ``schema``."""
    try:
        error = jsonschema.exceptions.best_match(
            common.validator(schema).iter_errors(data))
    except RecursionError:
        # Describing a value nested nearly as deep as the decoder allows
        # (its repr in the message) can go deeper still.
        raise exception.BadRequest(TOO_DEEP)
    if error is not None:
        raise exception.BadRequest(_schema_error_detail(error))


def refuse_untyped_body(req):
    """A body must say what it is, whatever the request: 400 if it has
    none, as OpenStack Placement answers."""
    if req.content_length and not req.content_type:
        raise exception.BadRequest(
            'content-type header required when content-length > 0')


def require_json(req):
    """415 unless the request says its body is JSON (with or without a
    body: an empty one is no JSON either)."""
    if req.content_type != JSON:
        # "None" when there is no Content-Type, as OpenStack Placement
        # says it.
        raise exception.UnsupportedMediaType(
            'The media type %s is not supported, use %s'
            % (req.content_type or None, JSON))


def extract(req, schema, before_refusal=None):
    """The request's JSON body, decoded and checked against ``schema``.

    ``before_refusal``, if given, runs before a malformed or invalid body
    is refused with a 400, so that it can raise what matters more: a
    write to a provider that does not exist is a 404 whatever its body, as
    in OpenStack Placement. A good request pays nothing for that order.
    """
    require_json(req)
    try:
        return _decoded_and_valid(req.body, schema)
    except exception.BadRequest:
        if before_refusal is not None:
            before_refusal()
        raise


def _decoded_and_valid(body, schema):
    try:
        text = body.decode('utf-8')
    except UnicodeDecodeError as exc:
        raise exception.BadRequest('Malformed JSON: %s' % exc)
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        raise exception.BadRequest(TOO_DEEP)
    except ValueError as exc:
        raise exception.BadRequest('Malformed JSON: %s' % exc)
    # The schema first: where it has a word for the NUL (a name's
    # pattern), that is the word OpenStack Placement says.
    validate(data, schema)
    _refuse_unstorable(data)
    return data


def response(data, status=200, last_modified=None, cache_headers=False):
    """A JSON response. With ``cache_headers`` (1.15+), the response says
    ``cache-control: no-cache`` and when its content last changed."""
    resp = webob.Response(status=status, charset='utf-8',
                          content_type=JSON)
    # orjson: a large answer (allocation candidates) costs a tenth of
    # what the json module takes to encode.
    resp.body = orjson.dumps(data)
    if cache_headers:
        resp.cache_control = 'no-cache'
        resp.last_modified = last_modified or timeutils.utcnow(
            with_timezone=True)
    return resp


def no_content():
    resp = webob.Response(status=204)
    # A 204 has no body and so no content type.
    del resp.content_type
    return resp
