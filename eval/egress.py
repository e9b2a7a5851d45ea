"""The network test: ingest, ask, audit and the web server, run in a network namespace of their own under strace,
with every connection attempt outside loopback counted.

    python -m eval.egress [--linger 20]     # as root (unshare), with strace installed

The probe runs in a fresh network namespace (``unshare -n``, only ``lo`` up), so nothing could leave even if it
tried, and under ``strace -f`` tracing connect/sendto/sendmsg of every thread and child process (the file-reading
workers included), so an attempt is seen even though it fails: a DNS lookup, telemetry, an update check. The probe
ingests two corpus documents, asks a question, audits, starts the web app, fetches its page over loopback, and
stays up ``--linger`` seconds so periodic background lookups show. Its HOME is an empty read-only folder, so
anything written outside data_dir/cache_dir fails loudly. Prints every non-loopback address tried and the count.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
ADDRESS = re.compile(r'inet_addr\("([\d.]+)"\)|inet_pton\(AF_INET6, "([0-9a-fA-F:.]+)"|sin6_addr=inet_pton\(AF_INET6, "([0-9a-fA-F:.]+)"')


def probe(work: Path, linger: float) -> int:
    """What a user does, offline: runs inside the namespace."""
    import urllib.request

    from assistant import Settings, Workspace

    settings = Settings(data_dir=work / "data", workspace="egress", server_port=7899)
    ws = Workspace(settings)
    report = ws.ingest([CORPUS / "standalone" / "quickfix_support_agreement.pdf", CORPUS / "harbourline_veridian" / "schedule_4_exit_management.docx"])
    assert not report.by_status("failed"), report.to_dict()
    answer = ws.ask("What is the liability cap?")
    results = ws.audit()
    print(f"probe: ingested {len(report.files)}, answered={answer.answered}, audited {len(results)}", flush=True)
    ws.close()
    from assistant.shells.web.app import start

    demo = start(settings)
    with urllib.request.urlopen(f"http://127.0.0.1:{settings.server_port}/", timeout=30) as page:
        body = page.read()
    print(f"probe: server page {len(body)} bytes", flush=True)
    time.sleep(linger)
    demo.close()
    return 0


def non_loopback(trace: str) -> list[str]:
    """Every address outside 127.0.0.0/8 and ::1 that a traced call tried to reach."""
    found = []
    for line in trace.splitlines():
        if "AF_UNIX" in line or "AF_NETLINK" in line:
            continue
        for match in ADDRESS.finditer(line):
            text = next(g for g in match.groups() if g)
            try:
                address = ipaddress.ip_address(text)
            except ValueError:
                continue
            if not address.is_loopback and not (address.version == 6 and address.ipv4_mapped and address.ipv4_mapped.is_loopback):
                if not address.is_unspecified:
                    found.append(line.strip()[:240])
    return found


def run(linger: float) -> tuple[int, list[str], str]:
    """(probe exit status, non-loopback attempts, probe output)."""
    for tool in ("unshare", "strace", "ip"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is needed (Debian packages util-linux, strace, iproute2)")
    work = Path(tempfile.mkdtemp(prefix="egress-"))
    home = work / "home"
    home.mkdir()
    home.chmod(0o555)
    trace = work / "trace.txt"
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("HTTP", "HTTPS", "NO_PROXY", "http", "https", "no_proxy"))},
           "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache")}
    command = (f"ip link set lo up && exec strace -f -qq -e trace=connect,sendto,sendmsg -o {trace} "
               f"{sys.executable} -m eval.egress --probe {work} --linger {linger}")
    done = subprocess.run(["unshare", "-n", "--", "sh", "-c", command], cwd=Path(__file__).resolve().parent.parent, env=env,
                          capture_output=True, text=True, timeout=900)
    text = trace.read_text(errors="replace") if trace.exists() else ""
    return done.returncode, non_loopback(text), done.stdout + done.stderr[-3000:]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--probe", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--linger", type=float, default=20.0, help="seconds the server stays up after its page was fetched")
    args = parser.parse_args()
    if args.probe:
        return probe(args.probe, args.linger)
    status, attempts, output = run(args.linger)
    for line in attempts:
        print("  outside loopback:", line)
    print(output.strip().splitlines()[-1] if output.strip() else "(no output)")
    print(f"network test: probe exit status {status}; connection attempts outside loopback: {len(attempts)}")
    return 0 if status == 0 and not attempts else 1


if __name__ == "__main__":
    sys.exit(main())
