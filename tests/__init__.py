"""The test suite: a package, so a test module has one name (tests.test_x) for pytest, mypy and its importers."""
