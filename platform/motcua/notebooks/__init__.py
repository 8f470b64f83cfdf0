"""Procedure notebooks: the definition, its file formats and the one evaluator.

Pure logic over plain data (no Flask, no database); docs/notebook-format.md is the
format contract. The names below are the package's public API.
"""

from __future__ import annotations

from motcua.notebooks.check import check_notebook as check_notebook
from motcua.notebooks.diff import CellChange as CellChange
from motcua.notebooks.diff import diff_notebooks as diff_notebooks
from motcua.notebooks.diff import orphaning_changes as orphaning_changes
from motcua.notebooks.editing import add_cell as add_cell
from motcua.notebooks.editing import delete_cell as delete_cell
from motcua.notebooks.editing import make_cell as make_cell
from motcua.notebooks.editing import move_cell as move_cell
from motcua.notebooks.editing import new_cell_id as new_cell_id
from motcua.notebooks.editing import replace_cell as replace_cell
from motcua.notebooks.evaluate import evaluate as evaluate
from motcua.notebooks.evaluate import validate_submission as validate_submission
from motcua.notebooks.field_types import FieldType as FieldType
from motcua.notebooks.field_types import FieldTypeRegistry as FieldTypeRegistry
from motcua.notebooks.graph import CellIssue as CellIssue
from motcua.notebooks.ipynb import read_ipynb as read_ipynb
from motcua.notebooks.ipynb import write_ipynb as write_ipynb
from motcua.notebooks.layers import apply_overrides as apply_overrides
from motcua.notebooks.layers import ward_changes as ward_changes
from motcua.notebooks.model import Cell as Cell
from motcua.notebooks.model import Choice as Choice
from motcua.notebooks.model import DocumentItem as DocumentItem
from motcua.notebooks.model import FieldDef as FieldDef
from motcua.notebooks.model import Notebook as Notebook
from motcua.notebooks.model import NotebookFormatError as NotebookFormatError
from motcua.notebooks.model import Sample as Sample
from motcua.notebooks.model import Step as Step
from motcua.notebooks.outputs import CheckOutput as CheckOutput
from motcua.notebooks.outputs import DocumentsOutput as DocumentsOutput
from motcua.notebooks.outputs import Evaluation as Evaluation
from motcua.notebooks.outputs import FieldOutput as FieldOutput
from motcua.notebooks.outputs import FormulaOutput as FormulaOutput
from motcua.notebooks.outputs import StepsOutput as StepsOutput
from motcua.notebooks.samples import SampleResult as SampleResult
from motcua.notebooks.samples import run_samples as run_samples
from motcua.notebooks.serialize import notebook_from_dict as notebook_from_dict
from motcua.notebooks.serialize import notebook_to_dict as notebook_to_dict
from motcua.notebooks.xlsform import read_xlsform as read_xlsform
