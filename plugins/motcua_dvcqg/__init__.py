"""The ``dvcqg`` plugin: status sync to the National Public Service Portal and its online dossiers."""

__version__ = "0.1.0"
