"""PLACEHOLDER: handlers not written yet; each answers 501."""
from placement import exception


def get_aggregates(req):
    raise exception.NotImplementedYet('Not implemented yet.')


def set_aggregates(req):
    raise exception.NotImplementedYet('Not implemented yet.')
