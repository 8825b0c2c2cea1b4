"""The registry of import/export types. Importing this package registers every type.

Other apps' types (the market's transactions, the labs' instruments) go into a module here
that registers a :class:`~corridor.transfer.specs.base.Spec` subclass; see docs/import-export.md.
"""

from corridor.transfer.specs import labs, lists, market, orgs  # noqa: F401 - registers the types
from corridor.transfer.specs.base import REGISTRY, Column, Spec, get_spec, header_index, register

__all__ = ["REGISTRY", "Column", "Spec", "get_spec", "header_index", "register", "type_choices"]


def type_choices() -> list[tuple[str, object]]:
    return [(key, spec.label) for key, spec in REGISTRY.items()]
