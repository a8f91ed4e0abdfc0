from pathlib import Path

import luoshi

STATIC = Path(luoshi.__file__).parent / "core" / "static" / "vendor"


def test_it_vendors_htmx_and_echarts_with_their_licences():
    assert (STATIC / "htmx" / "htmx.min.js").stat().st_size > 10_000
    assert "Zero-Clause" in (STATIC / "htmx" / "LICENSE").read_text() or "BSD" in (STATIC / "htmx" / "LICENSE").read_text()
    assert (STATIC / "echarts" / "echarts.min.js").stat().st_size > 100_000
    assert "Apache License" in (STATIC / "echarts" / "LICENSE").read_text()


def test_it_serves_static_files_through_whitenoise(client):
    response = client.get("/static/vendor/htmx/htmx.min.js")
    assert response.status_code == 200


def test_it_references_no_cdn():
    root = Path(luoshi.__file__).parent
    for path in root.rglob("*.html"):
        text = path.read_text()
        assert "https://" not in text or "cdn" not in text.lower(), path
