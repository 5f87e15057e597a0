"""GET a page or a download with the test client, read and closed: a response that
streams a file (send_file) keeps it open until closed, which the suite's warnings-as-
errors would report."""

from __future__ import annotations


def fetch(client, url: str):
    response = client.get(url)
    response.get_data()
    response.close()
    return response
