"""PLACEHOLDER: handlers not written yet; each answers 501."""
from placement import exception


def list_usages(req):
    raise exception.NotImplementedYet('Not implemented yet.')


def get_total_usages(req):
    raise exception.NotImplementedYet('Not implemented yet.')
