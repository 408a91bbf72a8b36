"""setup.cfg declares exactly the distributions that placement imports."""
import ast
import configparser
import importlib.metadata
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _normalized(name):
    return re.sub(r'[-_.]+', '-', name).lower()


def _declared():
    config = configparser.ConfigParser()
    config.read(ROOT / 'setup.cfg')
    lines = config['options']['install_requires'].split('\n')
    return {_normalized(re.split(r'[<>=!~;\[ ]', line.strip())[0])
            for line in lines if line.strip()}


def _top_level_imports():
    names = set()
    for path in (ROOT / 'placement').rglob('*.py'):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names.update(alias.name.split('.')[0]
                             for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names.add(node.module.split('.')[0])
    return names - set(sys.stdlib_module_names) - {'placement'}


def _imported():
    distributions = importlib.metadata.packages_distributions()
    return {_normalized(distributions[name][0])
            for name in _top_level_imports()}


def test_every_import_is_declared():
    assert _imported() - _declared() == set()


def test_every_declared_distribution_is_imported():
    assert _declared() - _imported() == set()
