"""`whodid serve`: the JSON API through the real server, the pages in headless Chromium."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from click.testing import CliRunner

from whodid.cli import main
from whodid.config import load_options
from whodid.serve.routes import ServerSettings, body_bytes, create_app
from whodid.store import Store
from whodid.store.queries import cluster_mentions

from .conftest import SEEDS, SHARED

SCRIPT_ARTICLE = {"id": "script", "published": "2020-03-01", "title": "<b>Bold</b> title",
                  "text": "Turkish troops shelled Kobani on Monday. <script>alert(1)</script> "
                          "The SDF said it would respond."}
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
GUARDIAN = SHARED / "corpus" / "guardian_sdf.jsonl"
GUARDIAN_SLICE = 12  # articles of the Guardian corpus coded beside the seeds
SCREENSHOTS = os.environ.get("WHODID_SCREENSHOTS")  # e.g. docs/: where the page shots go
VIEWPORT = {"width": 1000, "height": 700}


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
    sources = [str(SEEDS), str(extra)]
    if GUARDIAN.exists():
        guardian = folder / "guardian.jsonl"
        with GUARDIAN.open(encoding="utf-8") as corpus:
            guardian.write_text("".join(line for _, line in zip(range(GUARDIAN_SLICE), corpus,
                                                                 strict=False)), "utf-8")
        sources.append(str(guardian))
    for source in sources:
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
    _, ranked = call(f"{base}/api/events?sort=mentions&limit=100")
    mentions = [int(e["mentions"]) for e in ranked["items"]]
    assert mentions == sorted(mentions, reverse=True)
    _, everything = call(f"{base}/api/events?background=true&limit=1000")
    _, default = call(f"{base}/api/events?limit=1000")
    assert {e["id"] for e in default["items"]} == {
        e["id"] for e in everything["items"] if not e["background"]}
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
    "/api/stats?by=everything", "/api/actors?origin=somewhere", "/api/events?sort=random",
    "/network?country=IRAQ"])
def test_bad_parameters_are_422_with_a_reason(base: str, path: str) -> None:
    status, body = call(f"{base}{path}")
    assert status == 422 and body["detail"]


def test_unknown_ids_are_404(base: str) -> None:
    assert call(f"{base}/api/events/nope")[0] == 404
    assert call(f"{base}/api/articles/nope")[0] == 404
    assert call(f"{base}/event/nope")[0] == 404
    assert call(f"{base}/actor/NOPE")[0] == 404


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
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield instance
        instance.close()


def painted(page: Any, selector: str) -> list[dict[str, float]]:
    """Return the boxes the browser drew for the elements ``selector`` finds (an element
    it did not lay out, such as a child an unclosed SVG element swallowed, has none)."""
    boxes = [page.locator(selector).nth(i).bounding_box()
             for i in range(page.locator(selector).count())]
    return [box for box in boxes if box and box["width"] > 0 and box["height"] > 0]


def hit(page: Any, box: dict[str, float]) -> str:
    """Return the tag and class of the element painted on top at the centre of ``box``."""
    return str(page.evaluate(
        "([x, y]) => { const e = document.elementFromPoint(x, y);"
        " return e ? e.tagName + '.' + (e.getAttribute('class') || '') : ''; }",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2]))


def shoot(page: Any, name: str, tmp_path: Path) -> None:
    """Screenshot the viewport as ``name``.png under WHODID_SCREENSHOTS (else ``tmp_path``)."""
    folder = Path(SCREENSHOTS) if SCREENSHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"))
    assert (folder / f"{name}.png").stat().st_size > 1000


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A browser page of 1000x700 that fails the test on any dialog or console error."""
    opened = browser.new_page(viewport=VIEWPORT)
    problems: list[str] = []
    opened.on("dialog", lambda dialog: (problems.append(dialog.message), dialog.dismiss()))
    opened.on("console", lambda message: problems.append(message.text)
              if message.type == "error" else None)
    yield opened
    opened.close()
    assert problems == []


def test_the_map_paints_outlines_and_points_coloured_by_quad_class(
        base: str, page: Any, tmp_path: Path) -> None:
    page.goto(f"{base}/map")
    assert len(painted(page, "svg#map path.land")) > 100
    points = painted(page, "svg#map circle.point")
    assert len(points) >= 3
    assert any(hit(page, box).startswith("circle.point") for box in points)
    fills = {page.locator("svg#map circle.point").nth(i).evaluate(
        "e => getComputedStyle(e).fill") for i in range(page.locator("svg#map circle.point")
                                                         .count())}
    assert len(fills) >= 2  # coloured by quad class
    assert len(painted(page, ".legend .key")) == 4
    shoot(page, "map", tmp_path)
    page.locator("svg#map a").last.click(force=True)
    page.wait_for_selector("mark")
    assert painted(page, "mark")


def test_the_dyad_timeline_paints_bars_and_the_goldstein_line(
        base: str, page: Any, tmp_path: Path) -> None:
    page.goto(f"{base}/dyad?source=IRQ&target=USA")
    bars = painted(page, "svg#timeline rect.bar")
    assert bars and hit(page, bars[0]).startswith("rect.bar")
    assert len(painted(page, "svg#timeline polyline#goldstein")) == 1
    shoot(page, "dyad", tmp_path)


def test_the_events_table_shows_the_newest_first_and_sorts(base: str, page: Any,
                                                           tmp_path: Path) -> None:
    page.goto(f"{base}/")
    rows = painted(page, "table#events tbody tr")
    assert len(rows) >= 10
    dates = page.locator("table#events tbody tr td:first-child").all_inner_texts()
    assert dates[:10] == sorted(dates[:10], reverse=True)
    assert not painted(page, "tr.background")
    shoot(page, "events", tmp_path)
    page.get_by_role("link", name="most mentioned").click()
    page.wait_for_url("**sort=mentions**")
    cells = page.locator("table#events tbody tr td:nth-child(6)").all_inner_texts()
    mentions = [int(cell.split("/")[0]) for cell in cells]
    assert mentions == sorted(mentions, reverse=True)
    page.goto(f"{base}/?background=true&sort=oldest")
    assert painted(page, "tr.background .badge")


def test_the_actors_page_ranks_the_actors_of_the_events_and_links_to_each(
        base: str, page: Any, tmp_path: Path) -> None:
    page.goto(f"{base}/actors")
    counts = [int(t) for t in page.locator("table tbody tr td:first-child").all_inner_texts()]
    assert len(counts) >= 5 and counts == sorted(counts, reverse=True)
    assert len(painted(page, "table tbody a.actor")) >= 5
    shoot(page, "actors", tmp_path)
    page.locator("table tbody a.actor").first.click()
    page.wait_for_selector("svg#timeline")
    assert painted(page, "svg#timeline rect.bar")
    assert painted(page, "table#counterparts tbody tr")
    assert painted(page, "h2#as-source") and painted(page, "h2#as-target")
    shoot(page, "actor", tmp_path)
    page.goto(f"{base}/actors/known?search=Barzani")
    assert painted(page, "table tbody tr")


def test_the_network_paints_actors_and_weighted_edges(base: str, page: Any,
                                                      tmp_path: Path) -> None:
    page.goto(f"{base}/network")
    nodes = painted(page, "svg#network circle.node")
    assert len(nodes) >= 5 and any(hit(page, box).startswith("circle.node") for box in nodes)
    assert len(painted(page, "svg#network line.edge")) >= 3
    shoot(page, "network", tmp_path)
    page.goto(f"{base}/network?country=IRQ")
    assert 0 < len(painted(page, "svg#network circle.node")) <= len(nodes)


def test_clicking_an_event_shows_its_highlighted_evidence(base: str, page: Any,
                                                         tmp_path: Path) -> None:
    page.goto(f"{base}/?search=Munich")
    page.locator("a.event").first.click()
    page.wait_for_selector("mark")
    evidence = page.locator("mark").first.inner_text()
    assert "Munich" in evidence or "MUNICH" in evidence
    assert len(painted(page, "span.actor")) >= 2 and painted(page, "span.place")
    assert painted(page, "mark")
    shoot(page, "event", tmp_path)
    page.goto(f"{base}/?search=Kobani")
    page.locator("a.event").first.click()
    page.wait_for_selector("mark")
    assert "<script>alert(1)</script>" in page.locator("pre.text").inner_text()
    assert painted(page, "pre.text")


BIG = "9223372036854775808"  # 2**63: beyond SQLite's integers


@pytest.mark.parametrize(("path", "status", "reason"), [
    ("/api/events?search=%22", 400, "not a valid full-text query"),
    ("/api/events?search=NEAR(", 400, "not a valid full-text query"),
    ("/api/stats?search=nosuchcol:x", 400, "no such column: nosuchcol"),
    ("/?search=%22", 400, "not a valid full-text query"),
    ("/map?search=NEAR(x", 400, "not a valid full-text query"),
    (f"/api/events?offset={BIG}", 422, "less than or equal to"),
    (f"/api/articles?offset={BIG}", 422, "less than or equal to"),
    (f"/?offset={BIG}", 422, "less than or equal to"),
    (f"/api/actors?offset={BIG}", 422, "less than or equal to"),
])
def test_bad_searches_and_huge_offsets_are_4xx_with_the_reason(
        base: str, path: str, status: int, reason: str) -> None:
    """Reproduced: FTS5 syntax in `search` and offset=2**63 were 500s."""
    answer, body = call(f"{base}{path}")
    assert answer == status and reason in json.dumps(body["detail"])


@pytest.mark.parametrize(("body", "status", "reason"), [
    (json.dumps({"text": " \n\t "}).encode(), 422, "non-empty 'text' or 'html'"),
    (b'{"text": "Police met protesters in Baghdad. \\ud800"}', 422, "lone surrogate (U+D800)"),
    (b"[" * 100_000 + b"]" * 100_000, 400, "nested too deeply"),
    (b'{"text": "x", "n": ' + b"9" * 5000 + b"}", 400, "not readable JSON"),
])
def test_bad_post_bodies_are_4xx_with_the_reason(base: str, body: bytes, status: int,
                                                 reason: str) -> None:
    """Reproduced: whitespace-only text, a lone surrogate and JSON nested 100k deep were 500s."""
    answer, detail = call(f"{base}/api/code", body)
    assert answer == status and reason in detail["detail"]


def test_a_chunked_body_over_the_limit_is_refused_before_it_ends(database: Path) -> None:
    """Reproduced: a chunked POST (no Content-Length) was read whole before the 413 (1 GB sent,
    2 GB of server memory). Here the body never ends: only a server that stops reading at the
    limit can answer."""
    for url in serve(ServerSettings(database, max_body_bytes=10_000)):
        host, port = url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=60) as connection:
            connection.sendall(b"POST /api/code HTTP/1.1\r\nHost: x\r\n"
                               b"Transfer-Encoding: chunked\r\n\r\n")
            chunk = b"x" * 4096
            for _ in range(4):  # 16 kB of a body whose last chunk is never sent
                connection.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            answer = connection.recv(4096)
        assert answer.startswith(b"HTTP/1.1 413")


def test_gets_are_answered_while_an_article_is_coded(database: Path) -> None:
    """Reproduced: coding ran on the event loop: a GET waited for a 400 kB POST's 50 s, and
    for spaCy loading on the first POST."""
    text = (SEEDS / "001_498e05537b24f498.txt").read_text("utf-8")
    body = json.dumps({"text": "\n\n".join([text] * 8)}).encode()
    sent, coded = threading.Event(), threading.Event()

    def post(url: str) -> None:
        """POST the article (the first one: spaCy loads for it)."""
        host, port = url.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=300)
        connection.request("POST", "/api/code", body)
        sent.set()
        assert connection.getresponse().status == 200
        coded.set()

    for url in serve(ServerSettings(database)):
        poster = threading.Thread(target=post, args=(url,))
        poster.start()
        assert sent.wait(60)
        for _ in range(5):
            assert call(f"{url}/api/events?limit=1")[0] == 200
        assert not coded.is_set()  # every GET was answered while the POST was being coded
        poster.join()


def test_pages_are_rendered_once_per_database_change(tmp_path: Path, database: Path) -> None:
    """Under load, `/` took 13 s (p50 of 200 concurrent GETs) recomputing its facets for every
    request; a rendered page is now kept until the database changes."""
    from whodid.serve.routes import PageCache

    db = tmp_path / "copy.db"
    shutil.copy(database, db)
    cache, renders = PageCache(db), []

    def render() -> str:
        renders.append(1)
        with Store(db, read_only=True) as store:
            return str(store.count_rows()["articles"])

    first = cache.get("/", render)
    assert cache.get("/", render) == first and len(renders) == 1
    with Store(db) as store:
        store.connection.execute("DELETE FROM articles WHERE id = 'script'")
    assert cache.get("/", render) == str(int(first) - 1) and len(renders) == 2


def test_the_server_is_offline_docs_load_nothing_from_a_cdn(base: str) -> None:
    """Reproduced: /docs and /redoc loaded Swagger UI and ReDoc from a CDN. They are gone; the
    schema stays at /openapi.json, and no page names another host."""
    assert call(f"{base}/docs")[0] == 404 and call(f"{base}/redoc")[0] == 404
    assert call(f"{base}/openapi.json")[0] == 200
    for path in ("/", "/map", "/actors"):
        status, page = call(f"{base}{path}")
        assert status == 200 and "https://" not in page and "http://" not in page


def test_a_database_that_cannot_be_read_is_503_with_the_reason(tmp_path: Path) -> None:
    """Reproduced: a server whose database could not be opened gave 500 on every page."""
    db = tmp_path / "notes.db"
    db.write_text("not a database " * 100)
    for url in serve(ServerSettings(db)):
        for path in ("/api/events", "/", "/map"):
            status, body = call(f"{url}{path}")
            assert status == 503 and "not a usable whodid database" in body["detail"]


def test_the_map_zooms_to_its_points_and_shows_the_world_without_any() -> None:
    from whodid.serve.pages import Point, map_view

    def at(lon: float, lat: float) -> Point:
        return Point("e", lon, -lat, None, "190", None, 4, 1)

    assert (map_view([]).width, map_view([]).height) == (360, 180)
    view = map_view([at(36.2, 37.0), at(44.4, 33.3), at(11.6, 48.1)])  # Aleppo, Baghdad, Munich
    assert view.width == 2 * view.height and 40 <= view.width < 360
    for lon, lat in ((36.2, 37.0), (44.4, 33.3), (11.6, 48.1)):
        assert view.x < lon < view.x + view.width and view.y < -lat < view.y + view.height
    whole = map_view([at(-175, 70), at(175, -60)])
    assert (whole.x, whole.y, whole.width) == (-180, -90, 360)


def test_outlines_crossing_the_antimeridian_are_cut_not_drawn_across_the_world() -> None:
    from whodid.serve.pages import cut_at_antimeridian, world_paths

    assert cut_at_antimeridian("M-180,16.07L-179.79,16.02L179.36,16.8L178.73,17.01Z") == (
        "M-180,16.07L-179.79,16.02M179.36,16.8L178.73,17.01Z")
    for country in world_paths():
        for sub in re.findall(r"M[^MZ]*", country["path"]):
            xs = [float(x) for x in re.findall(r"(-?[\d.]+),", sub)]
            assert all(abs(a - b) <= 180 for a, b in pairwise(xs)), country["name"]


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


def test_a_stored_post_keeps_to_the_id_rule_of_whodid_code(writable: str,
                                                            database: Path) -> None:
    """Reproduced: POST /api/code?store=true stored under the record's id with no collision
    check: a posted id held by a coded file replaced that file's article, and every posted
    text without an id was stored as 'api', each replacing the last."""
    token = {"authorization": "Bearer s3cret"}
    held = sorted(SEEDS.glob("*.txt"))[0].stem  # an article coded from a file
    with Store(database) as store:
        before = store.article_json(held)
    clash = {"id": held, "text": "Iraqi police arrested three ISIS militants in Mosul."}
    status, detail = call(f"{writable}/api/code?store=true", json.dumps(clash).encode(), token)
    assert status == 409 and f"duplicate article id {held!r}" in detail["detail"]
    with Store(database) as store:
        assert store.article_json(held) == before  # the file's article is kept
    texts = ["Turkish troops shelled Kurdish positions near Afrin.",
             "Egyptian police arrested five smugglers in Alexandria."]
    ids = []
    for text in texts:
        status, article = call(f"{writable}/api/code?store=true",
                               json.dumps({"text": text}).encode(), token)
        assert status == 200
        ids.append(article["id"])
    assert len(set(ids)) == 2 and all(i.startswith("api-") for i in ids)
    assert all(call(f"{writable}/api/articles/{i}")[0] == 200 for i in ids)
    update = {"id": "posted-twice", "text": texts[0]}
    for published in ("2021-03-01", "2021-03-02"):  # the API's own id, posted again: updated
        status, _ = call(f"{writable}/api/code?store=true",
                         json.dumps({**update, "published": published}).encode(), token)
        assert status == 200
    assert call(f"{writable}/api/articles/posted-twice")[1]["published"] == "2021-03-02"


def test_the_body_limit_holds_an_article_at_the_article_limit(base: str) -> None:
    """Reproduced: the body limit was 1 MB, the article limit's own size, so an article near
    the limit could not be sent once its newlines and quotes were escaped in JSON."""
    options = load_options()
    filler = "\t\n" * ((options.max_article_bytes - 100_000) // 2)  # escaped: twice its size
    near_limit = "Iraqi police arrested three ISIS militants in Mosul.\n" + filler
    body = json.dumps({"text": near_limit}).encode()
    assert len(body) > options.max_article_bytes > len(near_limit.encode())
    status, article = call(f"{base}/api/code", body)
    assert status == 200 and article["events"]
    over_body = b'{"text": "' + b"x" * body_bytes(options) + b'"}'
    status, detail = call(f"{base}/api/code", over_body)
    assert status == 413 and f"over {body_bytes(options)} bytes" in detail["detail"]
    over_article = json.dumps({"text": "x" * (options.max_article_bytes + 1)}).encode()
    status, detail = call(f"{base}/api/code", over_article)
    assert status == 413 and "max_article_bytes" in detail["detail"]


def test_the_event_page_marks_the_clause_that_states_the_event_not_its_whole_sentence(
        base: str, page: Any, database: Path) -> None:
    with Store(database, read_only=True) as db:
        clusters = [row[0] for row in db.connection.execute(
            "SELECT DISTINCT cluster_id FROM events WHERE cluster_id IS NOT NULL "
            "ORDER BY cluster_id")]
        shown = [(cluster, cluster_mentions(db.connection, cluster)[0]) for cluster in clusters]
        told = [(cluster, first, db.connection.execute(
            "SELECT text FROM sentences WHERE article_id = ? AND idx = ?",
            (first["article_id"], first["sentence"])).fetchone()[0]) for cluster, first in shown]
    cluster, first, sentence = next(t for t in told if len(t[1]["evidence"]) < len(t[2]) - 20)
    assert first["evidence"] in sentence
    page.goto(f"{base}/event/{cluster}")
    page.wait_for_selector("mark")
    assert painted(page, "mark")
    assert "".join(page.locator("mark").all_inner_texts()) == first["evidence"]
