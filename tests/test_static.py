import re
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


APP_CSS = Path(luoshi.__file__).parent / "core" / "static" / "luoshi" / "app.css"


def _contrast(foreground: str, background: str) -> float:
    """WCAG 2.1 contrast ratio of two #rrggbb colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_it_computes_contrast_as_wcag_does():
    # The ratios the audit reported: #6a737d on #f6f7f9 is 4.49:1, black on white 21:1.
    assert round(_contrast("#6a737d", "#f6f7f9"), 2) == 4.49
    assert round(_contrast("#000000", "#ffffff"), 1) == 21.0


def test_it_sets_muted_text_at_4_5_to_1_on_the_page_and_on_cards():
    css = APP_CSS.read_text()
    colours = dict(re.findall(r"--(\w+):(#[0-9a-fA-F]{6})", css.splitlines()[0]))
    assert _contrast(colours["muted"], colours["bg"]) >= 4.5
    assert _contrast(colours["muted"], "#ffffff") >= 4.5


def test_it_underlines_links_inside_text():
    # Link blue against body ink is 2.47:1, under the 3:1 that colour alone would need.
    css = APP_CSS.read_text()
    rule = next(line for line in css.splitlines() if line.startswith("p a,"))
    assert "text-decoration:underline" in rule
    assert {"p a", "li a", "td a"} <= {part.strip() for part in rule.split("{")[0].split(",")}


def test_it_vendors_axe_core_for_the_browser_journey_with_its_licence():
    vendor = Path(__file__).parent / "browser" / "vendor"
    assert (vendor / "axe.min.js").stat().st_size > 100_000
    assert "Mozilla Public License" in (vendor / "axe-core.LICENSE").read_text()
