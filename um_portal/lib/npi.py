"""NPI validation: the CMS standard Luhn check digit over the prefix 80840 and nine digits."""

import re

_NPI_RE = re.compile(r"^\d{10}$")


def npi_check_digit(first_nine: str) -> int:
    """Check digit for the first nine digits of an NPI."""
    total = 24  # the constant contribution of the "80840" card-issuer prefix
    for i, ch in enumerate(reversed(first_nine)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return (10 - total % 10) % 10


def is_valid_npi(value: str) -> bool:
    value = (value or "").strip()
    if not _NPI_RE.match(value) or value[0] not in "12":
        return False
    return npi_check_digit(value[:9]) == int(value[9])
