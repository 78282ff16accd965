"""The benchmark (`make bench`) measures a path uncached by giving each request an address of
its own. A path is loaded in several runs of wrk, and every run must ask for addresses no
earlier run asked for: one already asked for may be answered from the cache, which is not
what such a row claims to measure. Its numbers come from running it."""

import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import bench  # noqa: E402


class Recorder(BaseHTTPRequestHandler):
    """Answers "ok" to every request and remembers the address asked for."""

    protocol_version = "HTTP/1.1"
    seen: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        self.seen.append(self.path)
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, format, *args) -> None:  # noqa: A002 (http.server's signature)
        pass


@pytest.fixture
def recording_server(monkeypatch):
    Recorder.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setattr(bench, "BASE", f"http://127.0.0.1:{server.server_port}")
    yield Recorder.seen
    server.shutdown()
    server.server_close()


def load_twice(entry: dict) -> tuple[list[str], list[str]]:
    scripts = bench.wrk_scripts()
    try:
        first = bench.load(entry, scripts, seconds=1)
        asked_first = list(Recorder.seen)
        second = bench.load(entry, scripts, seconds=1)
    finally:
        for script in scripts.values():
            script.unlink()
    assert first["requests"] > 10 and second["requests"] > 10
    return asked_first, Recorder.seen[len(asked_first) :]


def test_a_path_measured_uncached_asks_for_new_addresses_in_every_run(recording_server):
    first, second = load_twice({"path": "/search/?q=sanctions", "unique": True, "connections": 2})
    assert all(path.startswith("/search/?q=sanctions&uncached=") for path in first + second)
    assert len(set(first)) == len(first)
    assert len(set(second)) == len(second)
    assert not set(first) & set(second)


def test_a_path_measured_as_the_cache_serves_it_asks_for_the_same_address(recording_server):
    first, second = load_twice({"path": "/issues/ukraine/", "connections": 2})
    assert set(first) == set(second) == {"/issues/ukraine/"}
