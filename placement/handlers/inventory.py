"""PLACEHOLDER: handlers not written yet; each answers 501."""
from placement import exception


def get_inventories(req):
    raise exception.NotImplementedYet('Not implemented yet.')


def create_inventory(req):
    raise exception.NotImplementedYet('Not implemented yet.')


def set_inventories(req):
    raise exception.NotImplementedYet('Not implemented yet.')


def delete_inventories(req):
    raise exception.NotImplementedYet('Not implemented yet.')


def get_inventory(req):
    raise exception.NotImplementedYet('Not implemented yet.')


def update_inventory(req):
    raise exception.NotImplementedYet('Not implemented yet.')


def delete_inventory(req):
    raise exception.NotImplementedYet('Not implemented yet.')
