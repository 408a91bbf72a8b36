"""PLACEHOLDER: handlers not written yet; each answers 501."""
from placement import exception


def list_traits_for_resource_provider(req):
    raise exception.NotImplementedYet('Not implemented yet.')


def update_traits_for_resource_provider(req):
    raise exception.NotImplementedYet('Not implemented yet.')


def delete_traits_for_resource_provider(req):
    raise exception.NotImplementedYet('Not implemented yet.')
