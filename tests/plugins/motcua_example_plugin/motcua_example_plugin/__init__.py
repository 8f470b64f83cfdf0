"""An example third-party motcua plugin (used by tests/test_plugins_install.py)."""

__version__ = "0.2.0"
