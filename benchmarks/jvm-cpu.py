#!/usr/bin/env python3
"""CPU seconds of one process per kind of JVM thread (decoding/main, C2, C1, GC, other).

    benchmarks/jvm-cpu.py [--interval S] [--tsv FILE] [--label TEXT] -- COMMAND [ARGS...]

Runs COMMAND (e.g. ./jnmt translate ...; the launcher execs java, so the child's pid is the JVM), samples
/proc/PID/task/*/stat every --interval seconds (default 0.1) and keeps each thread's last user + sys time
under its name (the kernel's comm, 15 characters: "C2 CompilerThre", "GC Thread#0", "main", ...). At the
end it prints one line per kind and the process total from wait4(); "unattributed" is what threads used
after their last sample (threads that ended between samples, the last interval before exit). Linux only.
"""
import os
import sys
import time

CLK = os.sysconf("SC_CLK_TCK")


def kind(name):
    if name.startswith("C2 Compiler"):
        return "C2 compiler"
    if name.startswith("C1 Compiler"):
        return "C1 compiler"
    if name.startswith("GC Thread") or name.startswith("GC ") or name.startswith("PSYoung") \
            or name.startswith("G1 ") or name.startswith("VM Periodic"):
        return "GC" if not name.startswith("VM Periodic") else "other JVM"
    if name in ("main", "java"):
        return "main"
    if name.startswith("jnmt") or name.startswith("ForkJoinPool") or name.startswith("pool-"):
        return "worker"
    if name.startswith("VM Thread"):
        return "VM thread (safepoints)"
    if name.startswith("Sweeper") or name.startswith("Monitor Defla") or name.startswith("Common-Clean") \
            or name.startswith("Service Thread") or name.startswith("Signal") or name.startswith("Finalizer") \
            or name.startswith("Reference Hand") or name.startswith("Notification"):
        return "other JVM"
    return "other"


def sample(pid, last):
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                s = f.read()
        except OSError:
            continue
        name = s[s.index("(") + 1:s.rindex(")")]
        fields = s[s.rindex(")") + 2:].split()
        ticks = int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
        last[tid] = (name, ticks)


def main(argv):
    interval, tsv, label = 0.1, None, ""
    while argv and argv[0] != "--":
        if argv[0] == "--interval":
            interval = float(argv[1]); argv = argv[2:]
        elif argv[0] == "--tsv":
            tsv = argv[1]; argv = argv[2:]
        elif argv[0] == "--label":
            label = argv[1]; argv = argv[2:]
        else:
            sys.exit(f"jvm-cpu.py: unknown argument {argv[0]} (see the docstring)")
    if not argv or len(argv) < 2:
        sys.exit("jvm-cpu.py: usage: jvm-cpu.py [--interval S] [--tsv FILE] [--label TEXT] -- COMMAND ...")
    cmd = argv[1:]
    pid = os.fork()
    if pid == 0:
        try:
            os.execvp(cmd[0], cmd)
        finally:
            os._exit(127)
    last = {}
    while True:
        wpid, status, ru = os.wait4(pid, os.WNOHANG)
        if wpid == pid:
            break
        sample(pid, last)
        time.sleep(interval)
    total = ru.ru_utime + ru.ru_stime
    per = {}
    for name, ticks in last.values():
        k = kind(name)
        per[k] = per.get(k, 0.0) + ticks / CLK
    attributed = sum(per.values())
    per["unattributed"] = total - attributed
    order = ["main", "worker", "C2 compiler", "C1 compiler", "GC", "VM thread (safepoints)", "other JVM", "other",
             "unattributed"]
    print(f"jvm-cpu.py: exit {os.waitstatus_to_exitcode(status)}, user {ru.ru_utime:.2f} s + sys {ru.ru_stime:.2f} s"
          f" = {total:.2f} s", file=sys.stderr)
    for k in order:
        if k in per:
            print(f"  {k:24s} {per[k]:7.2f} s  {100 * per[k] / total:5.1f}%", file=sys.stderr)
    if tsv:
        new = not os.path.exists(tsv)
        with open(tsv, "a") as f:
            if new:
                f.write("label\ttotal_s\t" + "\t".join(order) + "\n")
            f.write(label + "\t" + f"{total:.2f}" + "".join(f"\t{per.get(k, 0.0):.2f}" for k in order) + "\n")
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
