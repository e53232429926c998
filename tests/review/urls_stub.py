"""The project's URLs plus a stand-in for the case page (`review:case`) when the review
workspace is not there yet: routing only redirects to it."""

from django.http import HttpResponse
from django.urls import include, path

from review import urls as review_urls
from um_portal import urls as project_urls


def case_page(request, pk):
    return HttpResponse(f"case {pk}")


review_patterns = list(review_urls.urlpatterns)
if not any(getattr(p, "name", None) == "case" for p in review_patterns):
    review_patterns.append(path("cases/<uuid:pk>/", case_page, name="case"))

urlpatterns = [p for p in project_urls.urlpatterns if getattr(p, "namespace", None) != "review"] + [
    path("review/", include((review_patterns, "review")))
]
