"""Turn the raw output of benchmarks/load.sh into the Markdown tables of docs/benchmarks.md.

python benchmarks/load_report.py benchmarks/results/<run> benchmarks/urls.txt
"""

import json
import re
import sys
from collections import Counter
from pathlib import Path

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * _UNITS[unit]


def parse_wrk(path: Path) -> dict:
    text = path.read_text()
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)),
        "p99": _ms(re.search(r"^\s+99%\s+(\S+)", text, re.M).group(1)),
        "requests": int(re.search(r"(\d+) requests in", text).group(1)),
        "socket_errors": sum(int(n) for n in socket.groups()) if socket else 0,
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
    }


def statuses(log: Path) -> dict[str, Counter]:
    """Status codes per path, from the JSON access log the app itself writes."""
    counts: dict[str, Counter] = {}
    for line in log.read_text(errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if entry.get("logger") == "portal.access":
            counts.setdefault(entry["path"], Counter())[entry["status"]] += 1
    return counts


def memory(path: Path) -> str:
    rows = [line.split() for line in path.read_text().splitlines() if line.strip()]
    if not rows:
        return "—"
    rss = [int(r[1]) / 1024 for r in rows]
    pss = [int(r[2]) / 1024 for r in rows]
    return f"RSS {sum(rss) / len(rss):.0f} MiB (PSS {sum(pss) / len(pss):.0f} MiB) × {len(rows)} workers"


def main(out: Path, urls: Path) -> None:
    pages = [
        line.split(maxsplit=1)
        for line in urls.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    modes = [m for m in ("cached", "uncached", "computed") if (out / f"{m}.status.txt").exists()]
    loads = {}
    if (out / "loadavg.txt").exists():
        loads = dict(line.split(maxsplit=1) for line in (out / "loadavg.txt").read_text().splitlines())
    for mode in modes:
        warm = dict(line.split() for line in (out / f"{mode}.status.txt").read_text().splitlines())
        log = statuses(out / f"{mode}.access.jsonl")
        results = {name: parse_wrk(out / f"{mode}.{name}.wrk.txt") for name, _ in pages}
        ceiling = results.get("ceiling", {}).get("rps")
        title = {
            "cached": "page cache on (Redis)",
            "uncached": "page cache off (memos per library version on)",
            "computed": "page cache and memos off (every request computed)",
        }[mode]
        print(f"### {title}\n")
        if mode in loads:
            print(
                f"Load average (1, 5, 15 min) before: {loads[mode]}; after: {loads.get(mode + '-after', '?')}.\n"
            )
        print(
            "| page | path | status | requests/s | p99 ms | × ceiling | requests | socket errors | non-2xx | 5xx |"
        )
        print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for name, path in pages:
            r = results[name]
            path = path.strip()
            codes = log.get(path, Counter())
            five = sum(n for code, n in codes.items() if code >= 500)
            ratio = f"{r['rps'] / ceiling:.2f}" if ceiling else "—"
            errors = r["socket_errors"]
            print(
                f"| {name} | `{path}` | {warm.get(name, '?')} | {r['rps']:.0f} | {r['p99']:.1f} | {ratio} "
                f"| {r['requests']} | {errors} | {r['non_2xx']} | {five} |"
            )
        print()
        throttled = [name for name, _ in pages if results[name]["non_2xx"]]
        if throttled:
            # A 429 or 404 is answered faster than the page: such a rate is not the page's.
            print(f"**Not the pages' rates** (answers other than 2xx/3xx): {', '.join(throttled)}.\n")
        print(f"Memory per worker at rest: {memory(out / f'{mode}.memory-rest.txt')}; ")
        print(f"after the run: {memory(out / f'{mode}.memory-after.txt')}.\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
