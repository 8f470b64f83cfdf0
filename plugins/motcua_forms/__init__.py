"""motcua_forms: the eight built-in ward procedures as a first-party plugin ("forms-library").

The notebooks live in the repository's top-level ``forms/`` folder (docs/forms-library.md);
``motcua_forms/forms`` points there, so an editable install reads them in place and a
wheel ships them as package data.
"""

from __future__ import annotations

__version__ = "0.1.0"
