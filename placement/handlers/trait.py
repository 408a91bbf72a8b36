"""PLACEHOLDER: handlers not written yet; each answers 501."""
from placement import exception


def list_traits(req):
    raise exception.NotImplementedYet('Not implemented yet.')


def get_trait(req):
    raise exception.NotImplementedYet('Not implemented yet.')


def put_trait(req):
    raise exception.NotImplementedYet('Not implemented yet.')


def delete_trait(req):
    raise exception.NotImplementedYet('Not implemented yet.')
