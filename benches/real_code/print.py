"""One line per finding of `cargo-pollguard --format json`, for review."""
import json
import sys

crate = sys.argv[1]
for line in sys.stdin:
    d = json.loads(line)
    root = d["chain"][-1].get("category") if d["chain"] else None
    via = f" (via {root})" if root else ""
    print(f"{crate}/{d['file']}:{d['line']}: {d['rule']} {d['message']}{via} [{d['confidence']}]")
