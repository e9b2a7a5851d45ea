"""The write lease that app servers sharing one ``chroma run`` server respect: one writer at a time, even when a
competitor's reads are slow, and a dead or stalled holder's lease is taken over."""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import time

import pytest

from assistant.core.errors import WorkspaceBusyError
from assistant.index import locking
from assistant.index.chroma import make_client
from assistant.index.locking import LEASE_PREFIX, ServerLease
from eval.chroma_server import chroma_cli, chroma_server

pytestmark = pytest.mark.skipif(chroma_cli() is None, reason="the chroma CLI is not installed")


@pytest.fixture(scope="module")
def port(tmp_path_factory):
    with chroma_server(tmp_path_factory.mktemp("chroma")) as port:
        yield port


def collection(port: int, name: str):
    return make_client(None, "127.0.0.1", port).get_or_create_collection(name, embedding_function=None)


def turns(col) -> dict[int, dict]:
    found = col.get(where={"kind": "lock"}, include=["documents"])
    return {int(i.removeprefix(LEASE_PREFIX)): json.loads(d) for i, d in zip(found["ids"], found["documents"])}


def test_add_of_an_existing_id_keeps_the_first(port):
    """The lease rests on this: Chroma's ``add`` is insert-if-absent, so only one writer can take a turn."""
    col = collection(port, "lease-premise")
    col.add(ids=["x"], embeddings=[[0.0]], documents=["first"])
    col.add(ids=["x"], embeddings=[[0.0]], documents=["second"])
    assert col.get(ids=["x"])["documents"] == ["first"]


class SlowReads:
    """A collection whose reads come back late, as from a loaded server: the window in which two writers can both
    see the lease free."""

    def __init__(self, col, seed: int):
        self.col = col
        self.random = random.Random(seed)

    def get(self, *args, **kwargs):
        found = self.col.get(*args, **kwargs)
        time.sleep(self.random.uniform(0.0, 0.4))
        return found

    def __getattr__(self, name):
        return getattr(self.col, name)


def contender(port: int, seed: int, rounds: int, inside, overlaps, entries) -> None:
    """Take the lease ``rounds`` times, each time checking no one else is inside."""
    lease = ServerLease(SlowReads(collection(port, "lease-race"), seed), timeout=60)
    for _ in range(rounds):
        lease.acquire()
        with inside.get_lock():
            inside.value += 1
            if inside.value > 1:
                overlaps.value += 1
        entries.value += 1
        time.sleep(0.3)
        with inside.get_lock():
            inside.value -= 1
        lease.release()
        lease.close()  # give it back at once, so the others contend for every round
        time.sleep(random.uniform(0.0, 0.1))


def test_one_writer_at_a_time_across_processes_with_slow_reads(port):
    context = multiprocessing.get_context("spawn")
    inside, overlaps, entries = context.Value("i", 0), context.Value("i", 0), context.Value("i", 0)
    processes = [context.Process(target=contender, args=(port, seed, 4, inside, overlaps, entries)) for seed in range(4)]
    for p in processes:
        p.start()
    for p in processes:
        p.join(timeout=240)
    assert [p.exitcode for p in processes] == [0, 0, 0, 0]
    assert entries.value == 16
    assert overlaps.value == 0
    assert len(turns(collection(port, "lease-race"))) <= 2  # each winner deletes the turns before its own


def test_a_live_holder_keeps_it_and_the_error_names_it(port):
    col = collection(port, "lease-held")
    col.add(ids=[f"{LEASE_PREFIX}7"], embeddings=[[0.0]], metadatas=[{"kind": "lock"}],
            documents=[json.dumps({"owner": "other-host:1:abc", "host": "other-host", "pid": 1, "expires": time.time() + 60})])
    with pytest.raises(WorkspaceBusyError, match="other-host:1:abc"):
        ServerLease(col, timeout=0.5).acquire()


def test_an_expired_or_dead_holder_is_taken_over_with_the_next_turn(port):
    col = collection(port, "lease-expired")
    col.add(ids=[f"{LEASE_PREFIX}3"], embeddings=[[0.0]], metadatas=[{"kind": "lock"}],
            documents=[json.dumps({"owner": "other-host:1:abc", "host": "other-host", "pid": 1, "expires": time.time() - 1})])
    lease = ServerLease(col, timeout=5)
    lease.acquire()
    assert sorted(turns(col)) == [4] and turns(col)[4]["owner"] == lease.owner
    lease.release()
    lease.close()
    assert turns(col)[4]["expires"] == 0.0  # given back, kept as the latest turn

    dead = multiprocessing.get_context("spawn").Process(target=os.getpid)
    dead.start()
    dead.join()
    col.upsert(ids=[f"{LEASE_PREFIX}5"], embeddings=[[0.0]], metadatas=[{"kind": "lock"}],
               documents=[json.dumps({"owner": "x", "host": lease.host, "pid": dead.pid, "expires": time.time() + 60})])
    other = ServerLease(col, timeout=5)
    other.acquire()  # its holder's pid on this host is gone: no waiting for the expiry
    assert max(turns(col)) == 6
    other.release()
    other.close()


def test_a_stale_writer_adding_a_lower_turn_backs_off(port, monkeypatch):
    """A writer that read the turns before someone else took a later one must not think it holds the lease."""
    col = collection(port, "lease-stale")
    first = ServerLease(col, timeout=5)
    first.acquire()  # turn 1
    first.release()
    first.close()
    holder = ServerLease(col, timeout=5)
    holder.acquire()  # turn 2; turn 1 deleted
    assert sorted(turns(col)) == [2]
    late = ServerLease(col, timeout=0.6)
    real, views = late._turns, [{}]
    monkeypatch.setattr(late, "_turns", lambda: views.pop() if views else real())  # its first view: no turn yet
    with pytest.raises(WorkspaceBusyError):
        late.acquire()  # it adds turn 1 (free again), then sees turn 2 above it
    assert turns(col)[1]["owner"] == late.owner
    assert max(turns(col)) == 2 and turns(col)[2]["owner"] == holder.owner
    holder.release()
    holder.close()


def test_renewal_keeps_the_lease_past_its_ttl(port, monkeypatch):
    monkeypatch.setattr(locking, "LEASE_TTL_S", 1.5)
    col = collection(port, "lease-renew")
    lease = ServerLease(col, timeout=5)
    lease.acquire()
    time.sleep(3.0)  # twice the TTL: only renewal keeps it
    with pytest.raises(WorkspaceBusyError):
        ServerLease(col, timeout=0.5).acquire()
    lease.release()
    lease.close()
    ServerLease(col, timeout=5).acquire()
