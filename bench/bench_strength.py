"""Does tie strength predict who you will talk to again? AUC beside single-feature baselines.

Two ways to measure, on the real networks in ../shared/fixtures/networks/:

- in-process (default, about half a minute): each busy person's history before a
  cutoff is scored with `tie_strength` directly, exactly as the mail import
  tallies it (one email per message, in or out), with the weights learned from
  that person's own history as the import learns them, and ranked against
  "did they exchange a message within the horizon after the cutoff". Several
  cutoffs per network, to see that a figure is not luck.
- `--tool` (about 15 s a network): the shared `strength_auc.py`, which replays
  each history as an mbox through `knowwho import mail` and `export json`:
  the product end to end. These are the figures in bench/README.md.

    .venv/bin/python bench/bench_strength.py            # in-process, every network and cutoff
    .venv/bin/python bench/bench_strength.py --tool     # the shared tool, the main setting of each network
    .venv/bin/python bench/bench_strength.py --egos 300 --hours 0,6,12,18   # more people, four clock shifts

The 40 busiest people of a four-week network leave about twenty with an AUC of
their own, from a handful of ties each: `--egos` and `--hours` show how much a
per-person figure owes to that.

Exit status 1 if tie strength does not beat every baseline on a main setting, pooled or per person.
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import os
import re
import subprocess
import sys
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

from knowwho.services import tie_learning, tie_strength

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared"
NETWORKS = SHARED / "fixtures" / "networks"
TOOL = SHARED / "tools" / "strength_auc.py"


# name: (file, columns of sender/recipient/time, cutoff day, horizon days, main setting?)
SETTINGS: dict[str, tuple[str, str, float, float, bool]] = {
    "radoslaw email, day 100 + 60": ("radoslaw_email/out.radoslaw_email_email", "0,1,3", 100, 60, True),
    "radoslaw email, day 150 + 60": ("radoslaw_email/out.radoslaw_email_email", "0,1,3", 150, 60, False),
    "radoslaw email, day 200 + 60": ("radoslaw_email/out.radoslaw_email_email", "0,1,3", 200, 60, False),
    "copenhagen sms, day 14 + 14": ("copenhagen_cns/sms.csv", "1,2,0", 14, 14, True),
    "copenhagen sms, day 21 + 7": ("copenhagen_cns/sms.csv", "1,2,0", 21, 7, False),
    "copenhagen calls, day 14 + 14": ("copenhagen_cns/calls.csv", "1,2,0", 14, 14, True),
    "copenhagen calls, day 21 + 7": ("copenhagen_cns/calls.csv", "1,2,0", 21, 7, False),
}
NOW = datetime(2024, 6, 1, 12, 0, 0, tzinfo=UTC)


def load_tool(path: Path = TOOL) -> ModuleType:
    spec = importlib.util.spec_from_file_location("strength_auc", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def in_process(
    tool: ModuleType, path: Path, cols: str, cutoff_day: float, horizon: float, egos: int = 40, hours: float = 0.0
):
    """(name -> AUC, ties, positives), the same people, ties and baselines as strength_auc.py.

    `hours` moves the replay's clock. Contact is counted in conversations separated by silence, so a shift
    changes nothing; a range printed beside a figure would mean something still depends on the clock.
    """
    edges = tool.read_edges(str(path), tuple(int(c) for c in cols.split(",")))
    cut = int(edges[0][2] + cutoff_day * 86400)
    degree: Counter[int] = Counter()
    for s, d, t in edges:
        if t < cut:
            degree[s] += 1
            degree[d] += 1
    now_julian = tie_strength.julian(NOW.strftime("%Y-%m-%d %H:%M:%S")) + hours / 24
    rows: dict[str, list[float]] = defaultdict(list)
    labels: list[bool] = []
    owners: list[int] = []
    for ego, _ in degree.most_common(egos):
        history: dict[int, list[tuple[int, str]]] = defaultdict(list)
        future: set[int] = set()
        for s, d, t in edges:
            if ego not in (s, d):
                continue
            other = d if s == ego else s
            if t >= cut:
                if t < cut + horizon * 86400:
                    future.add(other)
                continue
            history[other].append((t, "out" if s == ego else "in"))
        mail = {  # as the import stores it: one email per message, in or out, at the julian day it was sent
            other: [("email", way, now_julian - (cut - t) / 86400, 1) for t, way in msgs]
            for other, msgs in history.items()
        }
        learned = tie_learning.learn(
            [(interactions, 0) for interactions in mail.values()], now=now_julian, prior=tie_strength.WEIGHTS
        )
        weights = learned.weights if learned and learned.auc_after > learned.auc_before else tie_strength.WEIGHTS
        for other, msgs in history.items():
            tally = tie_strength.Tally(now_julian)
            for row in mail[other]:
                tally.add_at(*row)
            score = tally.result(weights=weights).score
            days = [(cut - t) / 86400 for t, _ in msgs]
            labels.append(other in future)
            owners.append(ego)
            rows["knowwho tie_strength"].append(score)
            rows["recency (days since last)"].append(-min(days))
            rows["frequency (messages)"].append(len(msgs))
            rows["decayed count (30-day half-life)"].append(sum(math.exp(-d * math.log(2) / 30) for d in days))
            rows["reciprocity (both directions)"].append(
                min(sum(1 for _, w in msgs if w == "in"), sum(1 for _, w in msgs if w == "out"))
            )
    figures = {}
    for name, scores in rows.items():
        figures[name] = tool.auc(scores, labels)
        mine = defaultdict(list)
        for score, label, owner in zip(scores, labels, owners, strict=True):
            mine[owner].append((score, label))
        each = [tool.auc([s for s, _ in pairs], [lab for _, lab in pairs]) for pairs in mine.values()]
        each = [value for value in each if not math.isnan(value)]
        figures[f"{name}, per person"] = sum(each) / len(each)
    return figures, len(labels), sum(labels)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tool", action="store_true", help="run the shared strength_auc.py (main settings only)")
    parser.add_argument("--knowwho", default=str(Path(sys.executable).with_name("knowwho")))
    parser.add_argument("--shared", type=Path, default=SHARED, help="the folder holding fixtures/ and tools/")
    parser.add_argument("--egos", type=int, default=40, help="in-process: the busiest people replayed")
    parser.add_argument("--hours", default="0", help="in-process: clock shifts in hours, figures averaged over them")
    args = parser.parse_args()
    tool_path, networks = args.shared / "tools" / TOOL.name, args.shared / "fixtures" / "networks"
    if not tool_path.exists():
        print(f"needs {tool_path}")
        return 2
    shifts = [float(h) for h in args.hours.split(",")]
    started = time.perf_counter()
    failed = []
    for name, (file, cols, cutoff, horizon, main_setting) in SETTINGS.items():
        path = networks / file
        if args.tool:
            if not main_setting:
                continue
            command = [sys.executable, str(tool_path), str(path), "--cols", cols, "--cutoff-day", str(cutoff)]
            command += ["--horizon", str(horizon), "--knowwho", args.knowwho]
            out = subprocess.run(command, capture_output=True, text=True, check=False).stdout
            print(f"{name}\n{out}")
            figures = {}  # "AUC 0.864  per person 0.855 (40)  name": both figures, each judged on its own
            for found in re.finditer(r"AUC (\S+)\s+per person (\S+) \(\d+\)\s+(.+)", out):
                figures[found[3]] = float(found[1])
                figures[f"{found[3]}, per person"] = float(found[2])
        else:
            runs = [in_process(load_tool(tool_path), path, cols, cutoff, horizon, args.egos, h) for h in shifts]
            ties, positives = runs[0][1], runs[0][2]
            figures = {label: sum(run[0][label] for run in runs) / len(runs) for label in runs[0][0]}
            print(f"{name}: {ties} ties, {positives} talked again")
            for label, value in figures.items():
                spread = [run[0][label] for run in runs]
                shown = (
                    f"  ({min(spread):.3f}-{max(spread):.3f} over the clock shifts)"
                    if max(spread) > min(spread)
                    else ""
                )
                print(f"  AUC {value:.3f}  {label}{shown}")
        for suffix in ("", ", per person"):
            ours = figures.get(f"knowwho tie_strength{suffix}", math.nan)
            rivals = [k for k in figures if not k.startswith("knowwho") and k.endswith(", per person") == bool(suffix)]
            best = max(figures[k] for k in rivals)
            verdict = "beats" if ours > best else "does not beat"
            print(f"  -> tie strength{suffix} {ours:.3f} {verdict} the best baseline {best:.3f}")
            if main_setting and not ours > best:
                failed.append(name + suffix)
        print()
    print("beats every baseline on every main setting" if not failed else f"not met on: {', '.join(failed)}")
    own = os.times()
    print(
        f"{time.perf_counter() - started:.1f} s wall, {own.user + own.system + own.children_user + own.children_system:.1f} s CPU "
        f"(user+sys, with children), load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
