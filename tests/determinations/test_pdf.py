"""The PDF module loads only our own static files."""

import pytest

from determinations import pdf


def test_static_stylesheet_is_allowed():
    path = pdf.static_path_for(pdf.BASE_URL + "static/css/letters.css")
    assert path is not None and path.name == "letters.css"


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/static/css/letters.css",
        "file:///etc/passwd",
        pdf.BASE_URL + "static/../../etc/passwd.css",
        pdf.BASE_URL + "media/letters/x.pdf",
        pdf.BASE_URL + "static/css/missing.css",
        pdf.BASE_URL + "static/css/app.py",
        "data:text/css,body{}",
    ],
)
def test_everything_else_is_refused(url):
    assert pdf.static_path_for(url) is None
    with pytest.raises(ValueError):
        pdf.StaticOnlyFetcher().fetch(url)


def test_a_remote_image_is_not_fetched(monkeypatch):
    opened = []
    monkeypatch.setattr(pdf.URLFetcher, "open", lambda self, *a, **k: opened.append(a))
    data = pdf.html_to_pdf(
        '<html><body><p>Hello</p><img src="https://example.org/x.png"></body></html>'
    )
    assert data.startswith(b"%PDF")
    assert opened == []
