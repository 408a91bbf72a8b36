"""PLACEHOLDER: handlers not written yet; each answers 501."""
from placement import exception


def list_resource_providers(req):
    raise exception.NotImplementedYet('Not implemented yet.')


def create_resource_provider(req):
    raise exception.NotImplementedYet('Not implemented yet.')


def get_resource_provider(req):
    raise exception.NotImplementedYet('Not implemented yet.')


def update_resource_provider(req):
    raise exception.NotImplementedYet('Not implemented yet.')


def delete_resource_provider(req):
    raise exception.NotImplementedYet('Not implemented yet.')
