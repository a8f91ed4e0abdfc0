"""The one exception the parser raises on purpose."""


class ParseError(ValueError):
    """Input the parser cannot read or process. The message is Chinese and meant for the user."""
