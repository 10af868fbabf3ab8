"""What the picture tests share: every link of a page's picture and table, requested."""

import re
from urllib.parse import urlsplit

from django.test import Client

HREF = re.compile(r'<a\b[^>]*\bhref="([^"]+)"')  # links, not <use href>


def links_in(html, start, end):
    """The hrefs between the first ``start`` and the next ``end`` of ``html``."""
    begin = html.index(start)
    return HREF.findall(html[begin : html.index(end, begin)])


def assert_every_link_leads_to_a_record(hrefs):
    """Each link answers 200, and a #fragment names an element of the page it opens."""
    client = Client()
    assert hrefs
    for href in set(hrefs):
        parts = urlsplit(href)
        response = client.get(parts.path)
        assert response.status_code == 200, href
        if parts.fragment:
            assert f'id="{parts.fragment}"' in response.content.decode(), href
