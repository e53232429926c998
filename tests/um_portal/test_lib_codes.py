import pytest

from um_portal.lib.codes import icd10_error, normalize_icd10, service_code_error
from um_portal.lib.npi import is_valid_npi


@pytest.mark.parametrize("npi", ["1234567893", "1245319599", "1003000126"])
def test_valid_npis_pass_the_check_digit(npi):
    assert is_valid_npi(npi)


@pytest.mark.parametrize(
    "npi", ["1234567890", "123456789", "12345678931", "3234567893", "abcdefghij", ""]
)
def test_invalid_npis_fail(npi):
    assert not is_valid_npi(npi)


def test_icd10_codes_are_checked_against_the_code_set():
    assert icd10_error("M54.16") is None
    assert icd10_error("m5416") is None
    assert normalize_icd10("m5416") == "M54.16"
    assert "not an ICD-10-CM code" in icd10_error("M54.99X")
    assert "category" in icd10_error("M54")
    assert icd10_error("") == "Enter an ICD-10-CM code."


@pytest.mark.parametrize(
    ("system", "code", "ok"),
    [
        ("cpt", "72148", True),
        ("cpt", "0042T", True),
        ("cpt", "7214", False),
        ("hcpcs", "E1390", True),
        ("hcpcs", "Z1390", False),
        ("x12_service_type", "3", True),
        ("x12_service_type", "ZZ", False),
        ("revenue", "0120", True),
        ("revenue", "120", False),
        ("snomed", "123", False),
    ],
)
def test_service_codes_by_format(system, code, ok):
    assert (service_code_error(system, code) is None) is ok
