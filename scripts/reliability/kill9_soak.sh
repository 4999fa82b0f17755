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
# process SIGKILL after its own random delay, and checks
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
# Environment (all optional):
#   BONSAI_CLI           bonsai-cli to test (default: build/release, then build/)
#   BONSAI_SOAK_RUNS     runs when no argument is given (default 10)
#   BONSAI_SOAK_KILLS    kills per run (default 4)
#   BONSAI_SOAK_TRIALS   trial budget of each study (default 40)
#   BONSAI_SOAK_DELAY    delay_seconds of the objective (default 0.02)
#   BONSAI_SOAK_SEED     seed of the kill timings (default: random, printed)
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
import json, os, random, shutil, signal, sqlite3, subprocess, sys, tempfile, time

cli, runs = sys.argv[1], int(sys.argv[2])
kills_per_run = int(os.environ.get("BONSAI_SOAK_KILLS", "4"))
budget = int(os.environ.get("BONSAI_SOAK_TRIALS", "40"))
delay = float(os.environ.get("BONSAI_SOAK_DELAY", "0.02"))
seed = int(os.environ.get("BONSAI_SOAK_SEED", str(random.SystemRandom().randrange(1 << 31))))
keep = os.environ.get("BONSAI_SOAK_DIR")
workdir = keep or tempfile.mkdtemp(prefix="bonsai-soak-")
os.makedirs(workdir, exist_ok=True)
rng = random.Random(seed)
strategies = [{"kind": "random"}, {"kind": "sobol"}, {"kind": "tpe", "startup_trials": 5},
              {"kind": "evolution", "population": 6, "sample_size": 2}]

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
delay = float(sys.argv[1])
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
                                  "argv": ["/usr/bin/python3", script, str(delay)],
                                  "runs_dir": os.path.join(workdir, "runs")},
             [] if run % 2 else ["--workers", "2"])):
        spec_path = os.path.join(workdir, f"{name}.json")
        with open(spec_path, "w") as f:
            json.dump({"name": name, "objective": objective, "space": space,
                       "strategy": strategies[run % len(strategies)],
                       "budget": {"trials": budget}, "seed": run}, f)
        studies.append({"name": name, "spec": spec_path, "workers": workers,
                        "command": objective["kind"] == "command", "before": {}})

    def check_values(study, trials):
        if not study["command"]:
            return
        for number, trial in trials.items():
            if trial["state"] == "complete" and trial["value"] != command_value(trial["params"]):
                fail(run, f"{study['name']} trial {number}: value {trial['value']} is not "
                          f"its parameters' {command_value(trial['params'])}")

    for _ in range(kills_per_run):
        # Both studies at once, each killed after its own random delay.
        active = []
        for study in studies:
            if counted(study["before"]) >= budget:
                continue
            name = study["name"]
            started = os.path.exists(db) and snapshot(db, name) is not None
            args = ["resume", name, "--db", db] if started \
                else ["run", study["spec"], "--db", db, *study["workers"]]
            trial_seconds = delay + (python_startup if study["command"] else 0.0)
            span = 1.5 * startup + 0.05 + (budget - counted(study["before"])) * trial_seconds \
                / (2 if study["workers"] else 1)
            process = subprocess.Popen([cli, *args], stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE, text=True)
            active.append((time.time() + rng.uniform(0.0, span), study, args, process))
        if not active:
            break
        # Sometimes a second runner tries the same study: it must be refused
        # while the first holds the lease.
        if rng.random() < 0.5:
            deadline, study, args, process = active[0]
            # Once the process holds the study's lease (before its kill is due).
            while time.time() < deadline and process.poll() is None \
                    and lease_holder(db, study["name"]) != process.pid:
                time.sleep(0.02)
            if process.poll() is None and lease_holder(db, study["name"]) == process.pid:
                probe = cli_run(["resume", study["name"], "--db", db])
                still_running = process.poll() is None
                stats["lease_probes"] += 1
                if probe.returncode == 0 and still_running:
                    fail(run, f"a second runner of {study['name']} was not refused")
                elif probe.returncode not in (0, 1) or (probe.returncode == 1 and
                        "is being run by process" not in probe.stderr):
                    fail(run, f"second runner exited {probe.returncode}: "
                              f"{probe.stderr.strip()[-300:]}")
        for deadline, study, args, process in sorted(active, key=lambda entry: entry[0]):
            time.sleep(max(0.0, deadline - time.time()))
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                stats["kills"] += 1
            else:
                stats["missed"] += 1  # it finished (or failed) first; checked all the same
        for deadline, study, args, process in active:
            stdout, stderr = process.communicate()
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
                if study["before"]:
                    fail(run, f"the study {name} vanished")
                continue  # killed before the study was stored
            check_kept(run, study["before"], after)
            check_values(study, after)
            for number in reported_complete(stdout):
                stats["trials_checked"] += 1
                if after.get(number, {}).get("state") != "complete":
                    fail(run, f"{name} trial {number} was reported complete but is "
                              f"{after.get(number, {}).get('state', 'missing')}")
            for command in (["list", "--db", db], ["show", name, "--db", db]):
                result = cli_run(command)
                if result.returncode != 0:
                    fail(run, f"`{command[0]}` after a kill exited {result.returncode}: "
                              f"{result.stderr.strip()}")
            study["before"] = after
    # Finish both budgets.
    for study in studies:
        name = study["name"]
        args = ["resume", name, "--db", db, "--json"] if snapshot(db, name) is not None \
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


# Kill times span the process's start-up too, which a loaded machine
# stretches to seconds: measured once, so the kills still land mid-study.
startup = python_startup = 0.0
for _ in range(2):
    begin = time.time()
    cli_run(["--version"])
    startup = max(startup, time.time() - begin)
    begin = time.time()
    subprocess.run(["/usr/bin/python3", "-c", "import json"], check=False)
    python_startup = max(python_startup, time.time() - begin)

print(f"kill -9 soak: {runs} runs x 2 studies x {kills_per_run} kills, budget {budget}, "
      f"delay {delay}s, seed {seed} (BONSAI_SOAK_SEED), start-up {startup:.2f}s, {cli}",
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
