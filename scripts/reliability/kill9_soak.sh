#!/usr/bin/env bash
# kill -9 soak test of bonsai-cli: proves that a study killed at any moment
# loses nothing it had finished and that resume completes its budget exactly.
#
#   scripts/reliability/kill9_soak.sh [RUNS]
#
# Each run creates a fresh database with two studies run at once by two
# processes: a `function` objective with a small `delay_seconds` (a rotating
# strategy, `--workers 2` on every other run) and a `command` objective whose
# Python script draws a tqdm-style progress bar on stderr (multi-byte
# characters, so the kept 8 KB tail cuts one) before printing its value.
# Then BONSAI_SOAK_KILLS times: starts `bonsai-cli run` (or `resume`) for
# each study, sometimes tries a second `resume` of a study its process is
# running (it must be refused: one live runner per study), sends each
# process SIGKILL at its own randomly chosen event, and checks
#   - PRAGMA integrity_check returns ok (Python's sqlite3 module),
#   - every trial that was complete before the kill (in the last snapshot, or
#     reported complete on the killed process's stdout) is still complete with
#     the same value and parameters (snapshots via `bonsai-cli export --format json`),
#   - a complete command trial's value is the one its parameters give,
#   - `list` and `show` still work on the database.
# Finally a plain `resume` must exit 0 with exactly the budget's trials
# counted (finished and not interrupted) and the study finished.
# Prints a summary; exits 1 on any violation, 2 on bad usage.
#
# Kills follow events, not timers, so every one lands mid-study however fast
# or loaded the machine is: a process is killed at once (in its start-up),
# once it holds its study's lease, or after its k-th finished trial (k <= 3,
# read from its stdout), each then after a random fraction of half a trial's
# delay, and never so late that fewer than 8 trials of its budget would be
# left: finishing those first would take the soak far longer to react than a
# woken process waits for a core. The second runner is tried while the
# command study's trials wait on a gate file the soak holds closed, so its
# process cannot finish during that probe either. "kills" in the summary is
# then the planned number; "finished before the kill" counts the rest.
#
# Environment (all optional):
#   BONSAI_CLI           bonsai-cli to test (default: build/release, then build/)
#   BONSAI_SOAK_RUNS     runs when no argument is given (default 10)
#   BONSAI_SOAK_KILLS    kills per run (default 4)
#   BONSAI_SOAK_TRIALS   trial budget of each study (default 40)
#   BONSAI_SOAK_DELAY    delay_seconds of the objective (default 0.05)
#   BONSAI_SOAK_SEED     seed of the kill choices (default: random, printed)
#   BONSAI_SOAK_DIR      keep databases and logs here (default: a temp dir, removed on success)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runs="${1:-${BONSAI_SOAK_RUNS:-10}}"
if ! [[ "$runs" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: $0 [RUNS]   (RUNS: a whole number >= 1, got '$runs')" >&2
  exit 2
fi
cli="${BONSAI_CLI:-}"
if [[ -z "$cli" ]]; then
  for candidate in "$root/build/release/app/cli/bonsai-cli" "$root/build/app/cli/bonsai-cli"; do
    if [[ -x "$candidate" ]]; then cli="$candidate"; break; fi
  done
fi
if [[ -z "$cli" || ! -x "$cli" ]]; then
  echo "no bonsai-cli found; build it (scripts/test.sh) or set BONSAI_CLI" >&2
  exit 2
fi

exec /usr/bin/python3 - "$cli" "$runs" <<'PYTHON'
import json, os, random, re, selectors, shutil, signal, sqlite3, subprocess, sys, tempfile, time

cli, runs = sys.argv[1], int(sys.argv[2])
kills_per_run = int(os.environ.get("BONSAI_SOAK_KILLS", "4"))
budget = int(os.environ.get("BONSAI_SOAK_TRIALS", "40"))
delay = float(os.environ.get("BONSAI_SOAK_DELAY", "0.05"))
seed = int(os.environ.get("BONSAI_SOAK_SEED", str(random.SystemRandom().randrange(1 << 31))))
keep = os.environ.get("BONSAI_SOAK_DIR")
workdir = keep or tempfile.mkdtemp(prefix="bonsai-soak-")
os.makedirs(workdir, exist_ok=True)
rng = random.Random(seed)
strategies = [{"kind": "random"}, {"kind": "sobol"}, {"kind": "tpe", "startup_trials": 5},
              {"kind": "evolution", "population": 6, "sample_size": 2}]

# A process is killed after at most this many finished trials, and only while
# at least KILL_MARGIN trials of its budget are left after that.
KILL_AFTER_MOST = 3
KILL_MARGIN = 8
# Command trials finish only while this file exists (see TQDM_SCRIPT).
gate = os.path.join(workdir, "gate")
open(gate, "w").close()

stats = {"runs": 0, "kills": 0, "missed": 0, "trials_checked": 0, "lease_probes": 0,
         "failures": 0}
failures = []


def fail(run, message):
    stats["failures"] += 1
    failures.append(f"run {run}: {message}")
    print(f"  FAIL run {run}: {message}", flush=True)


def cli_run(args, timeout=300):
    return subprocess.run([cli, *args], capture_output=True, text=True, timeout=timeout)


def integrity(db):
    connection = sqlite3.connect(db, timeout=30)
    try:
        return [row[0] for row in connection.execute("PRAGMA integrity_check")]
    finally:
        connection.close()


def snapshot(db, name):
    """{number: trial} from `export --format json`, or None if there is no study yet."""
    result = cli_run(["export", name, "--db", db, "--format", "json"])
    if result.returncode != 0:
        # Killed before the study (or even the schema) was committed.
        if "no study named" in result.stderr or "holds no Bonsai studies" in result.stderr \
                or not os.path.exists(db):
            return None
        raise RuntimeError(f"export failed ({result.returncode}): {result.stderr.strip()}")
    return {trial["number"]: trial for trial in json.loads(result.stdout)["trials"]}


# A line `run` prints once a trial has finished (and was stored).
FINISHED_LINE = re.compile(rb"^trial \d+ (complete|failed|pruned)\b", re.MULTILINE)


def reported_complete(stdout):
    """Trial numbers the killed process printed as complete (stored before printing)."""
    numbers = set()
    for line in stdout.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0] == "trial" and parts[2] == "complete":
            numbers.add(int(parts[1]))
    return numbers


def counted(trials):
    return sum(1 for t in trials.values()
               if t["state"] in ("complete", "pruned", "failed")
               and not (t["state"] == "failed" and (t.get("attrs") or {}).get("interrupted")))


def check_kept(run, before, after):
    """Every complete trial of `before` is complete in `after`, same value and params."""
    for number, trial in before.items():
        if trial["state"] != "complete":
            continue
        stats["trials_checked"] += 1
        now = after.get(number)
        if now is None:
            fail(run, f"complete trial {number} vanished")
        elif now["state"] != "complete" or now["value"] != trial["value"] \
                or now["params"] != trial["params"]:
            fail(run, f"trial {number} changed: {trial['state']} {trial['value']} "
                      f"{trial['params']} -> {now['state']} {now['value']} {now['params']}")


TQDM_SCRIPT = r"""
import json, os, sys, time
params = json.load(open(os.environ["BONSAI_PARAMS_FILE"]))
delay, gate = float(sys.argv[1]), sys.argv[2]
# The soak holds the gate closed while it probes for a second runner; a soak
# that died with it closed leaves no trial waiting for ever.
waited = time.time()
while not os.path.exists(gate):
    if time.time() - waited > 300:
        sys.exit("the soak never opened the gate")
    time.sleep(0.005)
for i in range(6):
    # A tqdm bar: carriage returns, block characters, then more than the
    # 8 KB Bonsai keeps, so the kept tail starts inside a character.
    sys.stderr.write("\r%3d%%|%s%s| %d/5" % (i * 20, "\u2588" * (4 * i), " " * (20 - 4 * i), i))
    sys.stderr.flush()
    time.sleep(delay / 6)
sys.stderr.write("\u2588" * 3001 + "\n")
print(json.dumps({"value": params["x1"] ** 2 + params["x2"]}))
"""


def command_value(params):
    return params["x1"] ** 2 + params["x2"]


def lease_holder(db, name):
    """The pid holding the study's lease, or None."""
    try:
        connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
        try:
            row = connection.execute(
                "SELECT l.pid FROM study_leases l JOIN studies s ON s.id = l.study_id"
                " WHERE s.name = ?", (name,)).fetchone()
            return row[0] if row else None
        finally:
            connection.close()
    except sqlite3.Error:
        return None  # no database or no lease table yet


def soak_run(run):
    db = os.path.join(workdir, f"soak-{run}.db")
    script = os.path.join(workdir, "tqdm_like.py")
    with open(script, "w") as f:
        f.write(TQDM_SCRIPT)
    space = [{"name": "x1", "type": "float", "low": -5, "high": 10},
             {"name": "x2", "type": "float", "low": 0, "high": 15}]
    studies = []
    for name, objective, workers in (
            (f"soak-{run}", {"kind": "function", "function": "branin", "delay_seconds": delay},
             ["--workers", "2"] if run % 2 else []),
            (f"soak-{run}-tqdm", {"kind": "command", "grace_s": 1,
                                  "argv": ["/usr/bin/python3", script, str(delay), gate],
                                  "runs_dir": os.path.join(workdir, "runs")},
             [] if run % 2 else ["--workers", "2"])):
        spec_path = os.path.join(workdir, f"{name}.json")
        with open(spec_path, "w") as f:
            json.dump({"name": name, "objective": objective, "space": space,
                       "strategy": strategies[run % len(strategies)],
                       "budget": {"trials": budget}, "seed": run}, f)
        studies.append({"name": name, "spec": spec_path, "workers": workers,
                        "command": objective["kind"] == "command", "before": {},
                        "stored": False})

    def check_values(study, trials):
        if not study["command"]:
            return
        for number, trial in trials.items():
            if trial["state"] == "complete" and trial["value"] != command_value(trial["params"]):
                fail(run, f"{study['name']} trial {number}: value {trial['value']} is not "
                          f"its parameters' {command_value(trial['params'])}")

    def kill(entry):
        """SIGKILL, counted as a kill if the process was still running."""
        if entry["process"].poll() is None:
            entry["process"].send_signal(signal.SIGKILL)
            stats["kills"] += 1
        else:
            stats["missed"] += 1  # it ended first; checked all the same
        entry["done"] = True

    def holds_lease(entry):
        return lease_holder(db, entry["study"]["name"]) == entry["process"].pid

    def probe_second_runner(entry):
        """With the gate closed the process cannot finish, so another runner
        of its study must be refused."""
        name, process = entry["study"]["name"], entry["process"]
        waited = time.time()
        while process.poll() is None and not holds_lease(entry):
            if time.time() - waited > 120:
                fail(run, f"{name}: its runner took no lease within 120 s")
                return
            time.sleep(0.02)
        if process.poll() is not None:
            return  # it failed to start; the exit status is checked below
        probe = cli_run(["resume", name, "--db", db])
        stats["lease_probes"] += 1
        if process.poll() is not None:
            fail(run, f"{name}: its runner ended while its trials were held at the gate")
        elif probe.returncode != 1 or "is being run by process" not in probe.stderr:
            fail(run, f"a second runner of {name} was not refused: exited {probe.returncode}: "
                      f"{probe.stderr.strip()[-300:]}")

    for _ in range(kills_per_run):
        # Both studies at once, each killed at its own event (see the top).
        probing = rng.random() < 0.5
        active = []
        for study in studies:
            left = budget - counted(study["before"])
            if left <= 0:
                continue
            events = ["start"]
            if left > KILL_MARGIN:
                events += ["lease", *range(1, min(KILL_AFTER_MOST, left - KILL_MARGIN) + 1)]
            # The probe needs the study stored first, and trials left to hold.
            probed = probing and study["command"] and left > KILL_MARGIN
            if probed:
                events.remove("start")
            name = study["name"]
            args = ["resume", name, "--db", db] if study["stored"] \
                else ["run", study["spec"], "--db", db, *study["workers"]]
            active.append({"study": study, "args": args, "event": rng.choice(events),
                           "jitter": rng.uniform(0.0, delay / 2), "probed": probed,
                           "out": b"", "err": b"", "kill_at": None, "done": False,
                           "since": None})
        if not active:
            break
        # The probed study starts first, its trials held at the closed gate
        # while a second runner is tried; the other study starts after that,
        # so it never runs unwatched.
        active.sort(key=lambda entry: not entry["probed"])
        selector = selectors.DefaultSelector()
        for entry in active:
            if entry["probed"]:
                os.remove(gate)
            entry["process"] = subprocess.Popen([cli, *entry["args"]], stdout=subprocess.PIPE,
                                                stderr=subprocess.PIPE)
            entry["since"] = time.time()
            if entry["event"] == "start":
                kill(entry)
            selector.register(entry["process"].stdout, selectors.EVENT_READ, ("out", entry))
            selector.register(entry["process"].stderr, selectors.EVENT_READ, ("err", entry))
            if entry["probed"]:
                try:
                    probe_second_runner(entry)
                finally:
                    open(gate, "w").close()
        while not all(entry["done"] for entry in active):
            now = time.time()
            for entry in active:
                if entry["done"]:
                    continue
                if entry["event"] == "lease" and entry["kill_at"] is None and holds_lease(entry):
                    entry["kill_at"] = now + entry["jitter"]
                if entry["kill_at"] is not None and now >= entry["kill_at"]:
                    kill(entry)
                elif now - entry["since"] > 300:
                    fail(run, f"{entry['study']['name']}: no kill event within 300 s")
                    kill(entry)
            waits = [1.0] + [entry["kill_at"] - now for entry in active
                             if not entry["done"] and entry["kill_at"] is not None]
            if any(not entry["done"] and entry["event"] == "lease" and entry["kill_at"] is None
                   for entry in active):
                waits.append(0.02)  # the lease is seen in the database, not on stdout
            for key, _ in selector.select(max(0.0, min(waits))):
                stream, entry = key.data
                chunk = os.read(key.fd, 65536)
                if stream == "err" or not chunk:
                    entry[stream] += chunk
                    if chunk:
                        continue
                    selector.unregister(key.fileobj)
                    if stream == "out" and not entry["done"]:
                        entry["process"].wait()  # it ended before its event
                        stats["missed"] += 1
                        entry["done"] = True
                    continue
                entry["out"] += chunk
                if isinstance(entry["event"], int) and entry["kill_at"] is None \
                        and len(FINISHED_LINE.findall(entry["out"])) >= entry["event"]:
                    entry["kill_at"] = time.time() + entry["jitter"]
        selector.close()
        for entry in active:
            study, args, process = entry["study"], entry["args"], entry["process"]
            stdout = (entry["out"] + process.stdout.read()).decode(errors="replace")
            stderr = (entry["err"] + process.stderr.read()).decode(errors="replace")
            process.wait()
            name = study["name"]
            if process.returncode not in (-signal.SIGKILL, 0):
                fail(run, f"`{' '.join(args[:2])}` exited {process.returncode}: "
                          f"{stderr.strip()[-300:]}")
            if not os.path.exists(db):
                continue  # killed before it created the database
            result = integrity(db)
            if result != ["ok"]:
                fail(run, f"integrity_check: {result[:5]}")
                return
            after = snapshot(db, name)
            if after is None:
                if study["stored"]:
                    fail(run, f"the study {name} vanished")
                continue  # killed before the study was stored
            study["stored"] = True
            check_kept(run, study["before"], after)
            check_values(study, after)
            for number in reported_complete(stdout):
                stats["trials_checked"] += 1
                if after.get(number, {}).get("state") != "complete":
                    fail(run, f"{name} trial {number} was reported complete but is "
                              f"{after.get(number, {}).get('state', 'missing')}")
            result = cli_run(["show", name, "--db", db])
            if result.returncode != 0:
                fail(run, f"`show` after a kill exited {result.returncode}: "
                          f"{result.stderr.strip()}")
            study["before"] = after
        if os.path.exists(db):
            result = cli_run(["list", "--db", db])  # one for both studies
            if result.returncode != 0:
                fail(run, f"`list` after a kill exited {result.returncode}: "
                          f"{result.stderr.strip()}")
    # Finish both budgets.
    for study in studies:
        name = study["name"]
        args = ["resume", name, "--db", db, "--json"] if study["stored"] \
            else ["run", study["spec"], "--db", db, "--json", *study["workers"]]
        result = cli_run(args)
        if result.returncode != 0:
            fail(run, f"final `{args[0]}` of {name} exited {result.returncode}: "
                      f"{result.stderr.strip()[-300:]}")
            return
        if integrity(db) != ["ok"]:
            fail(run, "integrity_check failed after the final resume")
        final = snapshot(db, name)
        check_kept(run, study["before"], final)
        check_values(study, final)
        if counted(final) != budget:
            fail(run, f"{name}: {counted(final)} counted trials after the final resume, "
                      f"budget {budget}")
        state = cli_run(["show", name, "--db", db]).stdout.splitlines()
        if not any(line.split()[:2] == ["state", "finished"] for line in state):
            fail(run, f"the study {name} is not finished after the final resume")
    stats["runs"] += 1


print(f"kill -9 soak: {runs} runs x 2 studies x {kills_per_run} kills, budget {budget}, "
      f"delay {delay}s, seed {seed} (BONSAI_SOAK_SEED), {cli}",
      flush=True)
started = time.time()
for run in range(runs):
    try:
        soak_run(run)
    except Exception as error:  # a crash of the checker is a failure too
        fail(run, f"{type(error).__name__}: {error}")
    if (run + 1) % 10 == 0 or run + 1 == runs:
        print(f"  {run + 1}/{runs} runs, {stats['kills']} kills, "
              f"{stats['failures']} failures", flush=True)

print(f"runs {stats['runs']}/{runs}  kills {stats['kills']}  (finished before the kill: "
      f"{stats['missed']})  trial checks {stats['trials_checked']}  "
      f"second runners refused {stats['lease_probes']}  "
      f"failures {stats['failures']}  ({time.time() - started:.0f} s)")
for line in failures[:20]:
    print("  " + line)
if stats["failures"]:
    print(f"databases and specs kept in {workdir}")
    sys.exit(1)
if not keep:
    shutil.rmtree(workdir, ignore_errors=True)
PYTHON
