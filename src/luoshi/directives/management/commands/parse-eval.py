# `luoshi parse-eval` (the name the docs use); Django names commands after their module.
from .parse_eval import Command  # noqa: F401
