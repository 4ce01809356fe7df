"""pytest configuration for the harness: the `requirement` marker is checked against the catalogue
and copied into user_properties (so it reaches the JUnit XML); case files become pytest items
when pytest is pointed at testcases/ (see omadm_harness.pytest_plugin)."""
import pytest

from omadm_harness.catalogue import Catalogue

pytest_plugins = ["omadm_harness.pytest_plugin"]

_CATALOGUE = Catalogue.load()


def pytest_collection_modifyitems(config, items):
    for item in items:
        for mark in item.iter_markers("requirement"):
            for label in mark.args:
                if _CATALOGUE.resolve(label) is None:
                    raise pytest.UsageError(f"{item.nodeid}: unknown requirement label {label!r}")
                item.user_properties.append(("requirement", _CATALOGUE.get(label).id))
