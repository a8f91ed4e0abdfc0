"""How much text an input field takes. The API's request schemas declare these limits, so text
longer than what would be stored is refused (422, naming the limit) rather than acknowledged and
shortened; the pages' forms refuse the same lengths. A field stored in a CharField takes the
column's max_length; free text takes LONG. Decimals take their column's digits."""

from decimal import Decimal
from typing import Annotated

from pydantic import Field, StringConstraints

NOTE = 2000  # a reason or a decision note
LONG = 5000  # free text: a progress report, an instruction, a description
REPLY = 10000  # a unit's reply to a 督办单
BULLETIN = 100_000  # a bulletin's body, generated and then edited
DOCUMENT = 1_000_000  # a directive's whole text (a long speech is some 30,000 characters)


def Text(limit: int):  # noqa: N802 - used as a type in schemas
    return Annotated[str, StringConstraints(max_length=limit)]


def Amount(max_digits: int, decimal_places: int):  # noqa: N802
    """A decimal that fits its DecimalField: more digits would be a database error, not a 422."""
    return Annotated[Decimal, Field(max_digits=max_digits, decimal_places=decimal_places)]
