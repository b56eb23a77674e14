"""In Chromium: a mail account added in Settings, synced now (the run followed on its page), then removed."""

from __future__ import annotations

from typing import Any

import pytest

from knowwho.core import Knowwho
from knowwho.services.sync import secrets
from tests.conftest import MemoryKeyring
from tests.sync.conftest import mbox_messages, seed
from tests.web.test_browser import CHROMIUM, browser, page, server, shot  # noqa: F401  (fixtures)
from tests.web.test_phone_browser import PHONE, phone  # noqa: F401  (fixture)
from tools.local_servers.dovecot import PASSWORD, USER, Dovecot

pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium"),
]


def test_add_a_mail_account_sync_it_now_and_remove_it(
    server: str,  # noqa: F811
    page: Any,  # noqa: F811
    kw: Knowwho,
    dovecot: Dovecot,
    memory_keyring: MemoryKeyring,
) -> None:
    seed(dovecot, mbox_messages())
    page.goto(server + "/settings#sync")
    page.get_by_text("Add a mail account (IMAP)").click()
    form = page.locator("#add-imap")
    form.get_by_label("Name (a short name)").fill("mail")
    form.get_by_label("Server", exact=True).fill("127.0.0.1")
    form.locator("#sync-imap-port").fill("70000")
    form.locator("#sync-imap-user").fill(USER)
    form.locator("#sync-imap-password").fill(PASSWORD)
    form.get_by_label("Plain text, without TLS").check()
    form.get_by_role("button", name="Add mail account").click()
    page.wait_for_load_state()
    page.console_problems.clear()  # the 400 of the refused form
    assert form.get_by_role("alert").inner_text().startswith("Port 70000 is not a port number (1 to 65535)")
    assert form.get_by_label("Server", exact=True).input_value() == "127.0.0.1"  # as typed...
    assert form.locator("#sync-imap-password").input_value() == ""  # ...but the password
    assert PASSWORD not in page.content()
    page.locator("#sync").screenshot(path=str(_shots() / "60-settings-sync-refused.png"))
    form.locator("#sync-imap-port").fill(str(dovecot.port))
    form.locator("#sync-imap-password").fill(PASSWORD)
    form.get_by_role("button", name="Add mail account").click()
    page.wait_for_load_state()
    assert memory_keyring.entries[(secrets.KEYRING_SERVICE, "mail")] == PASSWORD
    page.get_by_role("button", name="Sync mail now").click()
    page.wait_for_url("**/settings/sync/mail")
    page.get_by_text("mail: 4 new conversations, 4 people added, 1 problem.").wait_for(timeout=20_000)
    shot(page, "61-sync-run-done")
    page.get_by_role("link", name="Back to Settings").click()
    row = page.locator("#sync-mail")
    assert "4 new conversations" in row.inner_text()
    shot(page, "62-settings-sync-desktop")
    row.get_by_text("Remove…").click()
    row.get_by_role("button", name="Remove mail").click()
    page.wait_for_load_state()
    assert "Its password stays in your keyring" in page.locator("[data-flash]").inner_text()
    assert kw.sync.list() == []


def test_the_sync_section_reads_well_on_a_phone(server: str, phone: Any, kw: Knowwho, tmp_path: Any) -> None:  # noqa: F811
    password = tmp_path / "pw"
    password.write_text("secret")
    kw.sync.add_source("imap", "work-mail", host="imap.fastmail.com", user="you@fastmail.com",
                       password_file=str(password))  # fmt: skip
    kw.sync.add_source("carddav", "phone", url="https://carddav.fastmail.com/dav/addressbooks/user/you@fastmail.com/Default/",
                       user="you@fastmail.com", password_file=str(password))  # fmt: skip
    phone.goto(server + "/settings#sync")
    phone.get_by_text("Add a mail account (IMAP)").click()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # never sideways
    assert "No usable keyring" in phone.locator("#add-imap").inner_text()
    phone.locator("#sync").screenshot(path=str(_shots() / "63-settings-sync-phone.png"))


def _shots() -> Any:
    from tests.web.test_browser import SHOTS

    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS
