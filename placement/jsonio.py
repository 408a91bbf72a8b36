"""Reading JSON request bodies and writing JSON responses."""
import json

import jsonschema
from oslo_utils import timeutils
import webob

from placement import exception
from placement.schemas import common

# Deeper nesting than any request of this API needs; refused before
# decoding so that the decoder cannot be driven into recursion errors.
MAX_JSON_DEPTH = 64

JSON = 'application/json'


def _too_deep(text):
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == '\\':
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in '[{':
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return True
        elif char in ']}':
            depth -= 1
    return False


def _contains_nul(data):
    # Some databases (PostgreSQL) cannot store NUL characters at all.
    if isinstance(data, str):
        return '\x00' in data
    if isinstance(data, dict):
        return any(_contains_nul(key) or _contains_nul(value)
                   for key, value in data.items())
    if isinstance(data, list):
        return any(_contains_nul(item) for item in data)
    return False


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
    error = jsonschema.exceptions.best_match(
        common.validator(schema).iter_errors(data))
    if error is not None:
        raise exception.BadRequest(_schema_error_detail(error))


def extract(req, schema):
    """The request's JSON body, decoded and checked against ``schema``."""
    if req.content_type != JSON:
        raise exception.UnsupportedMediaType(
            'The media type %s is not supported; send %s.'
            % (req.content_type or 'none', JSON))
    try:
        text = req.body.decode('utf-8')
    except UnicodeDecodeError:
        raise exception.BadRequest('Malformed JSON: the body is not UTF-8.')
    if _too_deep(text):
        raise exception.BadRequest(
            'Malformed JSON: nested more than %d levels deep.'
            % MAX_JSON_DEPTH)
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except ValueError as exc:
        raise exception.BadRequest('Malformed JSON: %s' % exc)
    if _contains_nul(data):
        raise exception.BadRequest(
            'The body contains a NUL character, which no field accepts.')
    validate(data, schema)
    return data


def response(data, status=200, last_modified=None, cache_headers=False):
    """A JSON response. With ``cache_headers`` (1.15+), the response says
    ``cache-control: no-cache`` and when its content last changed."""
    resp = webob.Response(status=status, charset='utf-8',
                          content_type=JSON)
    resp.text = json.dumps(data)
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
