"""Reading query strings: check them against a JSON schema, as bodies are
checked, so that an unknown or malformed parameter gets a 400 that names
it."""
import jsonschema

from placement import errors
from placement import exception


def extract(req, schema, repeatable=()):
    """The query parameters as a dict, checked against ``schema``.

    Parameters named in ``repeatable`` become lists of every value given;
    any other parameter given more than once is refused.
    """
    params = {}
    for name in req.GET.keys():
        values = req.GET.getall(name)
        if name in repeatable:
            params[name] = values
        elif len(values) > 1:
            raise exception.BadRequest(
                'Query parameter %r may be given only once.' % name,
                code=errors.ILLEGAL_DUPLICATE_QUERYPARAM)
        else:
            params[name] = values[0]
    validator = jsonschema.Draft4Validator(schema)
    error = jsonschema.exceptions.best_match(validator.iter_errors(params))
    if error is not None:
        raise exception.BadRequest(
            'Invalid query string parameters: %s' % error.message,
            code=errors.QUERYPARAM_BAD_VALUE)
    return params
