"""motcua: the platform of Vietnam's merged ward one-stop shops.

The names below are the whole public API for plugin authors; everything else in the
package is internal and may change without notice.
"""

from __future__ import annotations

from motcua.errors import Conflict as Conflict
from motcua.errors import Forbidden as Forbidden
from motcua.errors import NotFound as NotFound
from motcua.errors import UserError as UserError
from motcua.errors import ValidationFailed as ValidationFailed
from motcua.i18n import T as T
from motcua.i18n import Text as Text

__version__ = "0.1.0"
