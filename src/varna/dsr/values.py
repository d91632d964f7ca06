"""Stored values as JSON and as text: dates in ISO 8601, decimals exact, bytes as base64."""

from __future__ import annotations

import base64
import re
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any


def json_value(value: Any) -> Any:
    """``value`` as something ``json.dumps`` writes without loss."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if value == value and abs(value) != float("inf") else str(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    return str(value)


def text_value(value: Any) -> str:
    """``value`` for a person to read: empty for None, ISO dates, text otherwise."""
    if value is None:
        return ""
    if isinstance(value, datetime) and value.time() == time(0):
        return value.date().isoformat()
    shown = json_value(value)
    return shown if isinstance(shown, str) else str(shown)


def encode_value(value: Any) -> Any:
    """``value`` as JSON that :func:`decode_value` turns back into the same Python type."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return {"$float": repr(value)}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, time):
        return {"$time": value.isoformat()}
    if isinstance(value, bytes | bytearray | memoryview):
        return {"$bytes": base64.b64encode(bytes(value)).decode("ascii")}
    return {"$str": str(value)}


_DECODERS: dict[str, Any] = {
    "$float": float,
    "$decimal": Decimal,
    "$datetime": datetime.fromisoformat,
    "$date": date.fromisoformat,
    "$time": time.fromisoformat,
    "$bytes": base64.b64decode,
    "$str": str,
}


def decode_value(data: Any) -> Any:
    if isinstance(data, dict) and len(data) == 1:
        ((tag, text),) = data.items()
        if tag in _DECODERS:
            return _DECODERS[tag](text)
    return data


_INTEGER = re.compile(r"[+-]?[0-9]+", re.ASCII)


def column_value(value: Any, python_type: type | None) -> Any:
    """``value`` as the column's Python type, or :data:`UNFIT` when it cannot be one.

    Lookups bind values of the column's type, so a database never converts them itself: MySQL
    and MariaDB read the text ``'5abc'`` as the integer 5, and ``'1; DROP TABLE t'`` as 1, and
    would answer with another person's row. An integer column takes ``int`` and texts of ASCII
    digits only; a text column takes the text of any value; a decimal column a number; any other
    type (or an unknown one) the value as it is.
    """
    if python_type is int:
        if isinstance(value, bool):
            return UNFIT
        if isinstance(value, int):
            return value
        if isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
            return int(value.strip())
        if isinstance(value, Decimal | float):
            try:
                return int(value) if value == int(value) else UNFIT
            except (ArithmeticError, ValueError):  # NaN, infinity
                return UNFIT
        return UNFIT
    if python_type is str:
        return value if isinstance(value, str) else text_value(value)
    if python_type is Decimal:
        try:
            return Decimal(str(value).strip())
        except ArithmeticError:
            return UNFIT
    return value


class _Unfit:
    """A value no row of the column can hold."""

    def __repr__(self) -> str:
        return "UNFIT"


UNFIT: Any = _Unfit()
