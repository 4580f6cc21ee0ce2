"""Steps a person takes in the browser, and waits on what the page shows (never a sleep)."""
from __future__ import annotations

from typing import Any

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from console.server import ConsoleServer
from tests.console.conftest import PASSWORD

WAIT_S = 15.0


def log_in(driver: WebDriver, console: ConsoleServer, username: str,
           password: str = PASSWORD) -> None:
    driver.get(f"{console.url}/login")
    driver.find_element(By.ID, "username").clear()
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.ID, "login").click()
    # The next page (the hall, or the login page with its refusal) has loaded.
    WebDriverWait(driver, WAIT_S, poll_frequency=0.05).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "header nav, .login .error"))


def wait_text(driver: WebDriver, css: str, text: str, timeout_s: float = WAIT_S) -> Any:
    """Wait until the element matching `css` contains `text`; return it."""

    def found(d: WebDriver) -> Any:
        try:
            for element in d.find_elements(By.CSS_SELECTOR, css):
                if text in element.text:
                    return element
        except StaleElementReferenceException:
            pass  # a live fragment was just replaced: look again
        return False

    try:
        return WebDriverWait(driver, timeout_s, poll_frequency=0.05).until(found)
    except Exception as exc:
        try:
            shown = [e.text[:300] for e in driver.find_elements(By.CSS_SELECTOR, css)]
        except StaleElementReferenceException:
            shown = ["(replaced while reading)"]
        raise AssertionError(f"{text!r} never appeared in {css}; shown: {shown}") from exc


def text_of(driver: WebDriver, css: str) -> str:
    return str(driver.find_element(By.CSS_SELECTOR, css).text)


def submit(driver: WebDriver, css: str) -> None:
    driver.find_element(By.CSS_SELECTOR, css).click()
