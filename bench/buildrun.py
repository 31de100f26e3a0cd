"""buildrun - one timed offline build for the benchmarks, and what ran.

bench/population and bench/offline-build import it (they put bench/ on
sys.path). timed_build() runs `personaforge build` and measures wall time,
CPU time (user + sys, which other users of a shared machine do not
inflate), peak RSS and the peak number of threads of the build process
(read from /proc every 50 ms). describe() reads from the built dataset the
stages that ran with their items per persona, and the auditors.
layer_config() writes the persona layer of a config, the stages issues 10
to 12 build (the speed bar of 2,000 personas/s is theirs).
"""
import json
import os
import resource
import sqlite3
import subprocess
import time

POLL = 0.05     # seconds between two reads of the build's thread count


def thread_count(pid):
    """Threads of process pid now (0 when it is gone or unreadable)."""
    try:
        with open("/proc/%d/status" % pid, encoding="ascii") as f:
            for line in f:
                if line.startswith("Threads:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def thread_cpu(pid, seen):
    """Add to seen (tid -> seconds) the CPU time (user + sys) each thread
    of process pid has used so far; a thread keeps its last reading after
    it ends."""
    tick = os.sysconf("SC_CLK_TCK")
    try:
        tids = os.listdir("/proc/%d/task" % pid)
    except OSError:
        return
    for tid in tids:
        try:
            with open("/proc/%d/task/%s/stat" % (pid, tid),
                      encoding="ascii") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        # utime and stime are fields 14 and 15 of stat(5); 12 and 13
        # after the ")" that ends the command name
        seen[int(tid)] = (int(fields[11]) + int(fields[12])) / tick


# The stages after the persona layer, and the key that sets each one's
# items per persona to none.
LATER_STAGES = (("documents", "per_persona"), ("qa", "per_persona"),
                ("preferences", "per_persona"), ("cqa", "questions"),
                ("mcq", "per_persona"))


def layer_config(config, out):
    """Write to out the persona layer of config: the same config with the
    later stages (LATER_STAGES) at 0 items per persona, so a build samples
    each persona and its world of contacts and writes its narrative (with
    the enrichment fields) and its interview, under the same auditors.
    Returns out."""
    with open(config, encoding="utf-8") as f:
        cfg = json.load(f)
    for stage, key in LATER_STAGES:
        if stage in cfg.get("stages", {}):
            cfg["stages"][stage][key] = 0
    with open(out, "w", encoding="utf-8") as f:
        json.dump(cfg, f)
    return out


def timed_build(binary, config, db, n, env=None):
    """Build n personas of config into db (-q). Returns a dict: wall, user,
    sys (seconds), rss_kb (peak RSS of any child so far, as getrusage
    reports it), threads (peak seen) and loop_cpu, the CPU seconds of the
    process's first thread (the event loop: the part no other core can
    take, read every POLL seconds, so up to POLL short). Raises
    CalledProcessError when the build fails."""
    cmd = [binary, "build", config, "-o", db, "--personas", str(n), "-q"]
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, env=env)
    threads = 0
    cpu = {}
    while proc.poll() is None:
        threads = max(threads, thread_count(proc.pid))
        thread_cpu(proc.pid, cpu)
        time.sleep(POLL)
    wall = time.monotonic() - t0
    if proc.returncode != 0:
        raise subprocess.CalledProcessError(proc.returncode, cmd)
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"wall": wall, "user": r1.ru_utime - r0.ru_utime,
            "sys": r1.ru_stime - r0.ru_stime, "rss_kb": r1.ru_maxrss,
            "threads": threads, "loop_cpu": cpu.get(proc.pid, 0.0)}


def stages_of(db):
    """The stages of the build in db, as the run table records them:
    {name: {"items_per_persona": N, "backend": ...}}."""
    con = sqlite3.connect(db)
    stages = json.loads(con.execute("select stages from run").fetchone()[0])
    con.close()
    return stages


def items_of(stages):
    """The items per persona of stages (stages_of)."""
    return sum(s["items_per_persona"] for s in stages.values())


def items_per_persona(db):
    """The items per persona of the build in db."""
    return items_of(stages_of(db))


def describe(db):
    """Lines saying what a build ran: its stages with items per persona
    (the run table's record), backends, and the auditors that wrote
    findings or metrics."""
    stages = stages_of(db)
    con = sqlite3.connect(db)
    auditors = [r[0] for r in con.execute(
        "select auditor from audit_metric union "
        "select auditor from audit_finding order by 1")]
    con.close()
    items = items_of(stages)
    backends = sorted(set(s["backend"] for s in stages.values()))
    return [
        "stages (items per persona): " + ", ".join(
            "%s %d" % (k, s["items_per_persona"]) for k, s in stages.items())
        + " = %d items per persona; backend %s" % (items, ", ".join(backends)),
        "auditors: " + (", ".join(auditors) or "none"),
    ]


def threads_line(stat):
    """The threads line: what was seen, and why it is so few."""
    return ("threads: peak %d in the build process (sampled every %d ms); "
            "the event-loop thread schedules, accepts replies and runs the "
            "offline backend; fresh items are rendered (prompt and offline "
            "reply) in batches on a pool of one worker thread per core, in "
            "the background while the event-loop thread accepts replies "
            "(it waits for a batch without rendering it); "
            "one SQLite writer thread writes; the end-of-build audit scans "
            "rows on the pool; %d cores" % (stat["threads"], POLL * 1000,
                                           os.cpu_count()))


def speed_lines(n, stat):
    """Personas per second by wall time and by CPU time (user + sys), and
    the rate the machine's cores allow when nothing else runs: bounded by
    the event-loop thread's CPU time and by the total over the cores."""
    cpu = stat["user"] + stat["sys"]
    bound = max(stat.get("loop_cpu", 0.0), cpu / (os.cpu_count() or 1))
    return [
        "%d personas: %.2f s wall = %.0f personas/s; CPU %.2f s user + "
        "%.2f s sys = %.0f personas per CPU-second" % (
            n, stat["wall"], n / stat["wall"], stat["user"], stat["sys"],
            n / cpu if cpu > 0 else float("inf")),
        "event-loop thread %.2f s CPU of %.2f s: on an idle %d-core machine "
        "at most %.0f personas/s" % (
            stat.get("loop_cpu", 0.0), cpu, os.cpu_count() or 1,
            n / bound if bound > 0 else float("inf")),
    ]
