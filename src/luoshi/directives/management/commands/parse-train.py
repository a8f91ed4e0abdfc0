# `luoshi parse-train` (the name the docs use); Django names commands after their module.
from .parse_train import Command  # noqa: F401
