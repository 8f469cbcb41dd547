"""The report page in headless Chromium, opened from the file system as a writer would: every spread
image loads, the arrow keys move between spreads, and clicking a finding shows its spread with the
spot marked. Skipped when Chromium is not installed, except in CI (CI=true), where it must run."""

from __future__ import annotations

import os
import shutil
import tempfile
import time

import pytest
from bookmaker import Faults, make_book

from booksmith.proof import ProofOptions, ProofResult, proof


def _program(*names: str) -> str | None:
    return next((found for name in names if (found := shutil.which(name))), None)


CHROMIUM = _program("chromium", "chromium-browser")
DRIVER = _program("chromedriver")


def _need_browser() -> None:
    missing = [name for name, found in (("chromium", CHROMIUM), ("chromedriver", DRIVER)) if not found]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("selenium (pip install -e '.[test]')")
    if missing:
        message = "needs " + ", ".join(missing) + " (Debian: apt-get install chromium chromium-driver)"
        if os.environ.get("CI") == "true":
            pytest.fail("in CI the browser test must run: " + message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    _need_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="booksmith-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                 f"--user-data-dir={profile}", "--window-size=1280,900"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> ProofResult:
    folder = tmp_path_factory.mktemp("browser")
    pdf = folder / "faulty.pdf"
    make_book(pdf, faults=Faults(rgb_rule_on=4, overfull_on=6))
    return proof(pdf, ProofOptions(dpi=60))


def _wait(condition, seconds: float = 10.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def _loaded(driver, spread_id: str) -> bool:  # type: ignore[no-untyped-def]
    return driver.execute_script(
        "const img = document.querySelector('#' + arguments[0] + ' img');"
        "return img.complete && img.naturalWidth > 0;", spread_id)


def _in_view(driver, element_id: str) -> bool:  # type: ignore[no-untyped-def]
    return driver.execute_script(
        "const r = document.getElementById(arguments[0]).getBoundingClientRect();"
        "return r.top >= 0 && r.top < window.innerHeight && r.bottom > 0;", element_id)


def test_every_spread_image_loads_as_the_arrow_keys_move_through_them(browser, report: ProofResult) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(report.index_html.as_uri())
    spreads = [e.get_attribute("id") for e in browser.find_elements(By.CSS_SELECTOR, "figure.spread")]
    assert spreads == [f"spread-{n:03d}" for n in range(1, 6)]  # 8 pages: 1, 2–3, 4–5, 6–7, 8
    body = browser.find_element(By.TAG_NAME, "body")
    for spread in spreads:
        body.send_keys(Keys.ARROW_RIGHT)
        assert _wait(lambda s=spread: _in_view(browser, s)), f"{spread} is not shown after →"
        assert _wait(lambda s=spread: _loaded(browser, s)), f"{spread}'s image did not load"
    body.send_keys(Keys.ARROW_LEFT)
    assert _wait(lambda: _in_view(browser, spreads[-2]))
    assert browser.execute_script("return document.querySelector('.contact img').naturalWidth") > 0


def test_clicking_a_finding_shows_its_spread_with_the_spot_marked(browser, report: ProofResult) -> None:
    from selenium.webdriver.common.by import By

    browser.get(report.index_html.as_uri())
    [rgb] = [n for n, f in enumerate(report.findings) if f.check == "colour-rgb"]
    link = browser.find_element(By.CSS_SELECTOR, f'a.goto[href="#f{rgb + 1}"]')
    assert link.get_attribute("data-spread") == "spread-003"  # page 5 is the right-hand page of 4–5
    link.click()
    assert _wait(lambda: _in_view(browser, "spread-003"))
    assert _loaded(browser, "spread-003")
    mark = browser.find_element(By.ID, f"f{rgb + 1}")
    assert "active" in mark.get_attribute("class")
    assert mark.find_element(By.XPATH, "ancestor::figure").get_attribute("id") == "spread-003"
    # the mark lies over the rule: in the right half of the spread, near the foot of the page
    box = browser.execute_script(
        "const m = arguments[0].getBoundingClientRect();"
        "const s = arguments[0].parentElement.getBoundingClientRect();"
        "return [(m.left - s.left) / s.width, (m.top - s.top) / s.height, m.width / s.width];", mark)
    assert 0.5 < box[0] < 0.65 and 0.9 < box[1] < 0.94 and 0.35 < box[2] < 0.45
    assert browser.current_url.endswith(f"#f{rgb + 1}")
