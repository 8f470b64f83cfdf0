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
from motcua.plugin_api import Connector as Connector
from motcua.plugin_api import DeliveryResult as DeliveryResult
from motcua.plugin_api import DeviceDriver as DeviceDriver
from motcua.plugin_api import EventInfo as EventInfo
from motcua.plugin_api import FieldType as FieldType
from motcua.plugin_api import FormulaFunction as FormulaFunction
from motcua.plugin_api import PrintInfo as PrintInfo
from motcua.plugin_api import PrintTemplate as PrintTemplate
from motcua.plugin_api import RecordInfo as RecordInfo
from motcua.plugin_api import TenantInfo as TenantInfo
from motcua.plugin_api import ValueType as ValueType
from motcua.plugin_api import hookimpl as hookimpl

__version__ = "0.1.0"
