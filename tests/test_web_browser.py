"""A real browser on the page of a real `drafter serve` process: headless Chromium (Debian's chromium +
chromedriver; skipped with the reason when absent) fills the form, swaps a paragraph, locks it, redrafts
with another seed, downloads the .docx and checks a pasted speech with a planted error."""

from __future__ import annotations

import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
MARKER = re.compile(r"^(（[一二三四五六七八九十]+）|[一二三四五六七八九十]+[是要])")
PLANTED = (
    "在2026年城固县人民政府廉政工作会议上的讲话\n"
    "今天，我们召开县政府廉政工作会议，深入学习贯彻二十届中央纪委三次全会精神。\n"
    "下面，我讲两点意见。\n"
    "一、提高政治站位\n"
    "二、持续纠治“四风”\n"
)

pytestmark = pytest.mark.skipif(
    CHROMIUM is None or CHROMEDRIVER is None,
    reason="需要 Debian 的 chromium 和 chromium-driver（.ci/run 以 root 运行时会安装）",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server() -> Iterator[str]:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "drafter", "serve", "--no-browser", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    url = f"http://127.0.0.1:{port}/"
    assert url in first, first + (proc.stderr.read() if proc.stderr else "")
    yield url
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0 and "已停止" in out and "Traceback" not in err, err


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    webdriver = pytest.importorskip("selenium.webdriver", reason="需要 selenium（pip install '.[test]'）")
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--window-size=1360,900",
        "--lang=zh-CN",
    ):
        options.add_argument(arg)
    options.add_experimental_option(
        "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    )
    # An explicit driver path: Selenium Manager never looks for (or downloads) a driver.
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    driver.implicitly_wait(0)
    yield driver
    driver.quit()


def wait_for(condition: Any, timeout: float = 20.0, what: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def stale(element: Any) -> bool:
    from selenium.common.exceptions import StaleElementReferenceException

    try:
        element.is_enabled()
    except StaleElementReferenceException:
        return True
    return False


def body_of(text: str) -> str:
    return MARKER.sub("", text)


def test_draft_swap_lock_redraft_download_and_check(server: str, browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    d = browser
    css = lambda sel: d.find_elements(By.CSS_SELECTOR, sel)  # noqa: E731
    d.get(server)
    wait_for(lambda: css("#topics input"), what="the topic checkboxes")

    # fill the form
    year = d.find_element(By.ID, "f-year")
    year.clear()
    year.send_keys("2026")
    d.find_element(By.ID, "f-locality").send_keys("城固县")
    Select(d.find_element(By.ID, "f-level")).select_by_visible_text("县")
    d.find_element(By.ID, "f-province").send_keys("陕西省")
    d.find_element(By.ID, "f-seed").send_keys("11")
    d.find_element(By.CSS_SELECTOR, "#topics input[value='作风建设']").click()
    d.find_element(By.ID, "btn-draft").click()
    wait_for(lambda: len(css("#paper .blk")) > 10, what="the preview")
    assert "城固县" in css("#paper .blk.title")[0].text
    assert css("#paper mark.ph"), "【】 placeholders are highlighted"
    assert any(re.search(r"来源：.+\.txt:\d+", b.get_attribute("title")) for b in css("#paper .blk.body"))
    assert css("#paper .blk.heading1")

    # swap a numbered point for an alternative
    def point_index() -> int:
        for b in css("#paper .blk.body"):
            if MARKER.match(b.text) and b.find_elements(By.CSS_SELECTOR, "button.swap"):
                return int(b.get_attribute("data-index"))
        raise AssertionError("no swappable numbered point")

    i = point_index()
    block = lambda: d.find_element(By.CSS_SELECTOR, f'#paper .blk[data-index="{i}"]')  # noqa: E731
    before = block().get_attribute("textContent")
    ActionChains(d).move_to_element(block()).perform()
    block().find_element(By.CSS_SELECTOR, "button.swap").click()
    picks = wait_for(lambda: css(".alts li button.pick"), what="alternatives")
    assert 1 <= len(picks) <= 5  # 3–5 when the bank has them (the API test checks that)
    choice = css(".alts li")[0].text.replace("选用", "").strip()
    picks[0].click()
    wait_for(lambda: not css(".alts"), what="the alternatives to close")
    swapped = block().text.split("\n")[0]
    assert swapped != before and body_of(choice)[:20] in swapped

    # lock it, then redraft with another seed
    ActionChains(d).move_to_element(block()).perform()
    block().find_element(By.CSS_SELECTOR, "button.lock").click()
    assert "locked" in block().get_attribute("class")
    seed_before = d.find_element(By.ID, "f-seed").get_attribute("value")
    old_title = css("#paper .blk.title")[0]
    d.find_element(By.ID, "btn-redraft").click()
    wait_for(lambda: stale(old_title), what="the redrafted preview")
    assert d.find_element(By.ID, "f-seed").get_attribute("value") != seed_before
    locked = wait_for(lambda: css("#paper .blk.locked"), what="the locked paragraph")
    assert len(locked) == 1 and body_of(swapped)[:30] in locked[0].text
    kept_text = locked[0].text.split("\n")[0]

    # download the edited draft as .docx and read it back
    d.find_element(By.ID, "btn-docx").click()
    downloads = tmp_path / "downloads"
    done = wait_for(
        lambda: [
            p for p in downloads.glob("*.docx") if p.stat().st_size > 0 and not p.name.endswith(".crdownload")
        ],
        what="the .docx download",
    )
    document = docx.Document(str(done[0]))
    texts = [p.text for p in document.paragraphs]
    assert "城固县" in texts[0] or any("城固县" in t for t in texts[:3])
    assert any(body_of(kept_text)[:30] in t for t in texts), "the locked paragraph is in the Word file"

    # check the draft itself, then a pasted speech with a planted error
    d.find_element(By.ID, "btn-lint-draft").click()
    wait_for(lambda: d.find_element(By.ID, "findings-draft").is_displayed(), what="the draft's findings")
    d.save_screenshot(str(tmp_path / "serve-draft.png"))
    d.find_element(By.CSS_SELECTOR, "nav .tab[data-tab='lint']").click()
    d.find_element(By.ID, "lint-text").send_keys(PLANTED)
    d.find_element(By.ID, "lint-year").send_keys("2026")
    d.find_element(By.ID, "btn-lint").click()
    errors = wait_for(lambda: css("#findings-lint li.error"), what="lint findings")
    assert any("中央纪委" in e.text and "第 2 行" in e.text for e in errors)
    flagged = css('#lint-view .blk.flag-error[data-line="2"]')
    assert flagged and "中央纪委" in flagged[0].get_attribute("title")
    d.save_screenshot(str(tmp_path / "serve-lint.png"))

    # the same speech uploaded as .docx: flagged on its own line
    speech = docx.Document()
    for line in PLANTED.splitlines():
        speech.add_paragraph(line)
    speech.save(str(tmp_path / "讲话.docx"))
    d.find_element(By.ID, "lint-text").clear()
    d.find_element(By.ID, "lint-file").send_keys(str(tmp_path / "讲话.docx"))
    pasted_view = css("#lint-view .blk")[0]
    d.find_element(By.ID, "btn-lint").click()
    wait_for(lambda: stale(pasted_view), what="the upload's view")
    wait_for(lambda: css('#lint-view .blk.flag-error[data-line="2"]'), what="the upload's finding")
    assert "中央纪委三次全会" in css('#lint-view .blk[data-line="2"]')[0].text

    # the bank, read-only
    d.find_element(By.CSS_SELECTOR, "nav .tab[data-tab='bank']").click()
    d.find_element(By.ID, "bank-q").send_keys("八项规定")
    d.find_element(By.ID, "btn-bank").click()
    wait_for(lambda: css("#bank-results li"), what="bank results")
    assert all("八项规定" in li.text for li in css("#bank-results li"))
    assert (tmp_path / "serve-draft.png").stat().st_size > 10_000
    print(f"screenshots: {tmp_path}", file=sys.stderr)
