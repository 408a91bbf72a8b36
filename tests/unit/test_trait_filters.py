"""The GET /traits query values: name=in:/startswith: and associated."""
import pytest

from placement import exception
from placement.handlers import trait


@pytest.mark.parametrize('value, expected', [
    ('in:A', {'name_in': ['A']}),
    ('in:A,B', {'name_in': ['A', 'B']}),
    ('in:', {'name_in': ['']}),
    ('in:A:B', {'name_in': ['A:B']}),
    ('startswith:CUSTOM_', {'name_prefix': 'CUSTOM_'}),
    ('startswith:', {'name_prefix': ''}),
    ('startswith:A,B', {'name_prefix': 'A,B'}),
])
def test_name_filter(value, expected):
    assert trait.name_filter(value) == expected


@pytest.mark.parametrize('value', [
    '', 'in', 'startswith', 'A', 'IN:A', 'Startswith:A', 'endswith:A',
    ':A', ' in:A',
])
def test_bad_name_filter(value):
    with pytest.raises(exception.BadRequest) as caught:
        trait.name_filter(value)
    # OpenStack Placement's words.
    assert caught.value.detail == (
        'Badly formatted name parameter. Expected name query string '
        'parameter in form: ?name=[in|startswith]:[name1,name2|prefix]. '
        'Got: "%s"' % value)


@pytest.mark.parametrize('value, expected', [
    ('true', True), ('false', False), ('TRUE', True), ('False', False),
])
def test_associated_filter(value, expected):
    assert trait.associated_filter(value) is expected


@pytest.mark.parametrize('value', ['', 'yes', '1', '0', 'truth', ' true'])
def test_bad_associated_filter(value):
    with pytest.raises(exception.BadRequest) as caught:
        trait.associated_filter(value)
    assert caught.value.detail == (
        'The query parameter "associated" only accepts "true" or "false"')
