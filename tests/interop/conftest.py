"""The members' fixtures: a member with a sign-in and their denied request, another member's."""

from tests.members.conftest import (  # noqa: F401 - fixtures reused
    approve,
    criteria_set,
    denied_case,
    deny,
    make_denied_case,
    make_md_case,
    md_case,
    member_user,
    other_case,
    reference_data,
)
