"""PLACEHOLDER: handlers not written yet; each answers 501."""
from placement import exception


def list_for_resource_provider(req):
    raise exception.NotImplementedYet('Not implemented yet.')


def set_allocations(req):
    raise exception.NotImplementedYet('Not implemented yet.')


def list_for_consumer(req):
    raise exception.NotImplementedYet('Not implemented yet.')


def set_allocations_for_consumer(req):
    raise exception.NotImplementedYet('Not implemented yet.')


def delete_allocations(req):
    raise exception.NotImplementedYet('Not implemented yet.')
