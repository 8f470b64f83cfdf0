"""motcua: the platform of Vietnam's merged ward one-stop shops.

The names below are the whole public API for plugin authors; everything else in the
package is internal and may change without notice. The plugin-API names are imported on
first use, so ``import motcua.calendar`` (or any pure module) stays light.
"""

from __future__ import annotations

from motcua.errors import Conflict as Conflict
from motcua.errors import Forbidden as Forbidden
from motcua.errors import NotFound as NotFound
from motcua.errors import UserError as UserError
from motcua.errors import ValidationFailed as ValidationFailed
from motcua.i18n import T as T
from motcua.i18n import Text as Text
from motcua.lazy import lazy_exports

__version__ = "0.1.0"

_PLUGIN_API = (
    "ApplicantInfo",
    "Connector",
    "DeliveryResult",
    "DeviceDriver",
    "DeviceFault",
    "PrinterDriver",
    "ScannerDriver",
    "EventInfo",
    "FieldType",
    "FormulaFunction",
    "PrintInfo",
    "PrintTemplate",
    "RecordInfo",
    "TenantInfo",
    "ValueType",
    "hookimpl",
)
__all__ = [
    "Conflict",
    "Forbidden",
    "NotFound",
    "T",
    "Text",
    "UserError",
    "ValidationFailed",
    "__version__",
    *_PLUGIN_API,
]
__getattr__ = lazy_exports(__name__, dict.fromkeys(_PLUGIN_API, "motcua.plugin_api"))
