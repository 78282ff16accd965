"""What the load scripts share: gunicorn on 127.0.0.1, its workers, and wrk's summary.

Used by `scripts/bench.py` (`make bench`) and `scripts/soak.py` (`make soak`). Only loopback
is ever loaded.
"""

import re
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# wrk reports its summary through Lua: print it as one JSON line at the end.
WRK_SUMMARY = """
done = function(summary, latency, requests)
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "errors": %d, "status_errors": %d, '
    .. '"p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f}\\n',
    summary.requests, summary.duration / 1e6,
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout,
    summary.errors.status,
    latency:percentile(50) / 1e3, latency:percentile(95) / 1e3, latency:percentile(99) / 1e3))
end
"""


def start_gunicorn(env: dict[str, str], port: int, workers: int) -> subprocess.Popen:
    """gunicorn serving the app on 127.0.0.1:`port`, every worker up before it returns."""
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "summit.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "120",
            # Load the app once, before forking: workers start at once and share its pages.
            "--preload",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(200):
        try:
            urllib.request.urlopen(f"{base}/livez", timeout=2)
            break
        except OSError:
            time.sleep(0.3)
    else:
        server.terminate()
        raise SystemExit("gunicorn did not start")
    # Every worker up and its connections open before anything is measured.
    subprocess.run(
        ["wrk", "-t1", f"-c{workers * 2}", "-d3s", f"{base}/livez"],
        capture_output=True,
        check=True,
    )
    return server


def worker_pids(server: subprocess.Popen) -> list[int]:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def worker_memory_mb(server: subprocess.Popen, field: str = "VmRSS") -> dict[int, float]:
    """Each worker's memory from /proc: `VmRSS` now, or `VmHWM`, its peak so far."""
    sizes = {}
    for pid in worker_pids(server):
        match = re.search(rf"{field}:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
        if match:
            sizes[pid] = round(int(match.group(1)) / 1024, 1)
    return sizes
