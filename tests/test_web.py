"""`whodid serve`: the JSON API through the real server, the pages in headless Chromium."""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from click.testing import CliRunner

from whodid.cli import main
from whodid.serve.app import ServerSettings, create_app
from whodid.store import Store

from .conftest import SEEDS

SCRIPT_ARTICLE = {"id": "script", "published": "2020-03-01", "title": "<b>Bold</b> title",
                  "text": "Turkish troops shelled Kobani on Monday. <script>alert(1)</script> "
                          "The SDF said it would respond."}
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve(settings: ServerSettings) -> Iterator[str]:
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("web")
    db = folder / "web.db"
    extra = folder / "script.jsonl"
    extra.write_text(json.dumps(SCRIPT_ARTICLE) + "\n", "utf-8")
    for source in (str(SEEDS), str(extra)):
        result = CliRunner().invoke(main, ["code", source, "--db", str(db)])
        assert result.exit_code == 0, result.output
    return db


@pytest.fixture(scope="module")
def base(database: Path) -> Iterator[str]:
    yield from serve(ServerSettings(database))


@pytest.fixture(scope="module")
def writable(database: Path) -> Iterator[str]:
    yield from serve(ServerSettings(database, allow_write=True, token="s3cret"))


def call(url: str, body: bytes | None = None, headers: dict[str, str] | None = None
         ) -> tuple[int, Any]:
    request = urllib.request.Request(url, data=body, headers=headers or {},
                                     method="POST" if body is not None else "GET")
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            raw = response.read()
            kind = response.headers.get("content-type", "")
            return response.status, json.loads(raw) if "json" in kind else raw.decode()
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def test_the_openapi_schema_lists_every_endpoint(base: str) -> None:
    status, schema = call(f"{base}/openapi.json")
    assert status == 200
    assert {"/api/events", "/api/events/{event_id}", "/api/articles",
            "/api/articles/{article_id}", "/api/actors", "/api/stats", "/api/code"} <= set(
        schema["paths"])


def test_events_are_filtered_and_paged(base: str) -> None:
    status, first = call(f"{base}/api/events?limit=3")
    assert status == 200 and len(first["items"]) == 3 and first["next_offset"] == 3
    status, second = call(f"{base}/api/events?limit=3&offset=3")
    assert {e["id"] for e in first["items"]}.isdisjoint(e["id"] for e in second["items"])
    status, consult = call(f"{base}/api/events?cameo=04&country=IRQ&limit=100")
    assert consult["items"] and all(str(e["cameo"]).startswith("04") for e in consult["items"])
    status, munich = call(f"{base}/api/events?search=Munich")
    assert munich["items"] and all("Munich" in e["evidence"] or "MUNICH" in e["evidence"]
                                   for e in munich["items"])


def test_one_event_articles_actors_and_stats(base: str) -> None:
    _, events = call(f"{base}/api/events?limit=1")
    event_id = events["items"][0]["id"]
    status, event = call(f"{base}/api/events/{event_id}")
    assert status == 200 and event["mentions"][0]["evidence"]
    status, articles = call(f"{base}/api/articles")
    assert status == 200 and {a["id"] for a in articles["items"]} >= {"script"}
    status, article = call(f"{base}/api/articles/001_498e05537b24f498")
    assert status == 200 and article["published"] == "2020-02-15" and article["events"]
    status, actors = call(f"{base}/api/actors?search=Barzani&limit=5")
    assert status == 200 and any("Barzani" in a["name"] for a in actors["items"])
    status, stats = call(f"{base}/api/stats?by=dyad")
    assert status == 200 and stats["columns"] == ["source", "target", "events"]


@pytest.mark.parametrize("path", [
    "/api/events?limit=0", "/api/events?limit=5000", "/api/events?cameo=abc",
    "/api/events?country=IRAQ", "/api/events?since=yesterday", "/api/events?offset=-1",
    "/api/stats?by=everything", "/api/actors?origin=somewhere"])
def test_bad_parameters_are_422_with_a_reason(base: str, path: str) -> None:
    status, body = call(f"{base}{path}")
    assert status == 422 and body["detail"]


def test_unknown_ids_are_404(base: str) -> None:
    assert call(f"{base}/api/events/nope")[0] == 404
    assert call(f"{base}/api/articles/nope")[0] == 404
    assert call(f"{base}/event/nope")[0] == 404


def test_post_code_codes_without_storing_and_refuses_bad_bodies(base: str) -> None:
    text = {"id": "posted", "published": "2021-03-06",
            "text": "Iraqi police arrested three ISIS militants in Mosul on Friday."}
    status, article = call(f"{base}/api/code", json.dumps(text).encode(),
                           {"content-type": "application/json"})
    assert status == 200 and article["events"] and article["events"][0]["cameo"] == "173"
    assert call(f"{base}/api/articles/posted")[0] == 404  # nothing stored
    assert call(f"{base}/api/code", b"not json")[0] == 400
    assert call(f"{base}/api/code", json.dumps({"title": "no text"}).encode())[0] == 422
    huge = json.dumps({"text": "x" * 1_100_000}).encode()
    assert call(f"{base}/api/code", huge)[0] == 413
    assert call(f"{base}/api/code?store=true", json.dumps(text).encode())[0] == 403


def test_writes_need_the_token(writable: str) -> None:
    text = {"id": "stored", "published": "2021-03-06",
            "text": "Iraqi police arrested three ISIS militants in Mosul on Friday."}
    body = json.dumps(text).encode()
    assert call(f"{writable}/api/code?store=true", body)[0] == 401
    status, _ = call(f"{writable}/api/code?store=true", body,
                     {"authorization": "Bearer s3cret"})
    assert status == 200 and call(f"{writable}/api/articles/stored")[0] == 200


def test_a_stored_post_is_stored_as_whodid_code_stores_a_run(writable: str,
                                                             database: Path) -> None:
    text = {"id": "posted-run", "published": "2021-04-13", "outlet": "Ahram Online",
            "text": "Egyptian Interior Minister Karim Fahmy said police arrested five smugglers "
                    "in Alexandria on Tuesday."}
    with Store(database) as store:
        runs_before = store.runs()
    status, article = call(f"{writable}/api/code?store=true", json.dumps(text).encode(),
                           {"authorization": "Bearer s3cret"})
    assert status == 200 and article["events"]
    with Store(database) as store:
        runs = store.runs()
        (run_id,) = store.connection.execute(
            "SELECT run_id FROM articles WHERE id = 'posted-run'").fetchone()
    assert len(runs) == len(runs_before) + 1
    run = runs[0]  # newest first
    assert run["id"] == run_id and run["status"] == "finished" and run["finished_at"]
    assert (run["articles"], run["events"], run["errors"]) == (1, len(article["events"]), 0)
    assert run["sentences"] == len(article["sentences"]) and run["inputs"] == ["api"]
    status, events = call(f"{writable}/api/events?search=smugglers&since=2021-04-01")
    assert status == 200 and events["items"]
    status, event = call(f"{writable}/api/events/{events['items'][0]['id']}")
    assert status == 200 and [m["article_id"] for m in event["mentions"]] == ["posted-run"]
    assert event["mentions"][0]["outlet"] == "Ahram Online"
    status, learned = call(f"{writable}/api/actors?origin=learned&search=Karim%20Fahmy")
    assert status == 200 and [a["name"] for a in learned["items"]] == ["Karim Fahmy"]


def test_article_text_is_escaped_in_pages(base: str) -> None:
    _, events = call(f"{base}/api/events?search=Kobani")
    event_id = events["items"][0]["id"]
    status, page = call(f"{base}/event/{event_id}")
    assert status == 200
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;Bold&lt;/b&gt;" in page


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if CHROMIUM is None:
        pytest.fail("headless Chromium is needed (Debian package 'chromium'; .ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=["--no-sandbox"])
        yield instance
        instance.close()


def test_every_page_loads_in_a_browser(base: str, browser: Any, tmp_path: Path) -> None:
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for name, path, marker in [("events", "/", "table"), ("map", "/map", "svg#map"),
                               ("actors", "/actors?search=Barzani", "table"),
                               ("dyad", "/dyad?source=IRQ&target=USA", "svg#timeline")]:
        response = page.goto(f"{base}{path}")
        assert response is not None and response.status == 200, path
        assert page.locator(marker).count() >= 1, path
        page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)
        assert (tmp_path / f"{name}.png").stat().st_size > 1000
    assert page.locator("svg#timeline rect.bar").count() >= 1
    assert page.locator("svg#timeline polyline#goldstein").count() == 1
    page.goto(f"{base}/map")
    assert page.locator("svg#map circle.point").count() >= 3
    assert page.locator("svg#map path.land").count() > 100
    assert dialogs == []


def test_clicking_an_event_shows_its_highlighted_evidence(base: str, browser: Any,
                                                         tmp_path: Path) -> None:
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{base}/?search=Munich")
    page.locator("a.event").first.click()
    page.wait_for_selector("mark")
    evidence = page.locator("mark").first.inner_text()
    assert "Munich" in evidence or "MUNICH" in evidence
    assert page.locator("span.actor").count() >= 2 and page.locator("span.place").count() >= 1
    page.screenshot(path=str(tmp_path / "event.png"), full_page=True)
    page.goto(f"{base}/?search=Kobani")
    page.locator("a.event").first.click()
    page.wait_for_selector("mark")
    assert "<script>alert(1)</script>" in page.locator("pre.text").inner_text()
    page.screenshot(path=str(tmp_path / "script-article.png"), full_page=True)
    assert dialogs == []


def test_incomplete_events_are_listed_only_on_request(tmp_path: Path) -> None:
    corpus = tmp_path / "toll.jsonl"
    corpus.write_text(json.dumps({"id": "toll", "published": "2021-03-06", "text": (
        "At least 29 people were killed in eastern Ghouta on Friday. Iraqi Prime Minister "
        "Mustafa al-Kadhimi met US Secretary of State Antony Blinken in Washington.")}) + "\n",
        "utf-8")
    db = tmp_path / "toll.db"
    assert CliRunner().invoke(main, ["code", str(corpus), "--db", str(db)]).exit_code == 0
    for url in serve(ServerSettings(db)):
        _, shown = call(f"{url}/api/events")
        _, everything = call(f"{url}/api/events?include_incomplete=true")
        assert {e["plover"] for e in shown["items"]} == {"CONSULT"}
        assert {e["plover"] for e in everything["items"]} == {"CONSULT", "ASSAULT"}
