"""Which names a custom resource class or trait may have."""
import pytest

from placement.schemas import resource_class
from placement.schemas import trait


@pytest.mark.parametrize('name', [
    'CUSTOM_A', 'CUSTOM_1', 'CUSTOM__', 'CUSTOM_GOLD_2',
    'CUSTOM_' + 'A' * 248,
])
def test_valid(name):
    assert resource_class.is_custom_name(name)
    assert trait.is_custom_name(name)


@pytest.mark.parametrize('name', [
    '', 'CUSTOM_', 'VCPU', 'HW_CPU_X86_AVX', 'custom_a', 'CUSTOM_a',
    'CUSTOM_A-B', 'CUSTOM_A B', 'CUSTOM_A\n', 'CUSTOM_A\nB', ' CUSTOM_A',
    'CUSTOM_\u00c9', 'CUSTOM_' + 'A' * 249, 7, None,
])
def test_invalid(name):
    assert not resource_class.is_custom_name(name)
    assert not trait.is_custom_name(name)
