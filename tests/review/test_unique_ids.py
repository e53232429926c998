"""The nurse's criteria page holds the approve and the refer form, both with a summary field:
each element id appears once (a label must point at one field)."""

import re
from collections import Counter

import pytest
from django.urls import reverse

from tests.review.conftest import answer_all


@pytest.mark.django_db
def test_criteria_page_has_no_duplicate_element_ids(client_for, review_case, nurse):
    case = review_case(lines=2)
    answer_all(case, nurse)  # every criterion met: the approve form is shown too
    html = client_for(nurse).get(reverse("review:nurse_review", args=[case.pk])).content.decode()
    ids = Counter(re.findall(r'\sid="([^"]+)"', html))
    assert [i for i, n in ids.items() if n > 1] == []
    assert 'id="id_approve_summary"' in html and 'id="id_refer_summary"' in html
    assert 'for="id_refer_summary"' in html
