"""Schema migrations, one module each: ``mNNNN_name.py`` (see :mod:`motcua.db.migrate`)."""
