"""PLACEHOLDER: handlers not written yet; each answers 501."""
from placement import exception


def list_resource_classes(req):
    raise exception.NotImplementedYet('Not implemented yet.')


def create_resource_class(req):
    raise exception.NotImplementedYet('Not implemented yet.')


def get_resource_class(req):
    raise exception.NotImplementedYet('Not implemented yet.')


def update_resource_class(req):
    raise exception.NotImplementedYet('Not implemented yet.')


def delete_resource_class(req):
    raise exception.NotImplementedYet('Not implemented yet.')
