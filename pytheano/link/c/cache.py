"""The on-disk cache of compiled C modules, safe for many processes sharing one directory.

Layout under ``<config.compiledir>/c``::

    <key>/module.c, module.so, info.json    a published entry (complete, never rewritten)
    tmp/<key>-<pid>-<random>/               a build in progress (or left by a crash)
    locks/<key>.lock                        the lock file of one key
    graphs/<version>/<key>                  a rewritten graph (compile/rewrite_cache.py)

The key is the SHA-256 of the source and of everything that changes the binary (compiler,
its version, flags, CPU, numpy ABI, Python, pytheano). A build compiles in its own temp
directory and publishes it by renaming the directory to ``<key>``: ``rename`` is atomic, so
a reader (which never locks) sees either no entry or a complete one. Two processes building
the same key wait on that key's lock only (``fcntl.flock``: the kernel releases it when its
holder dies, so a crash leaves no stale lock); different keys never wait on each other. A
process killed mid-build leaves only its temp directory, which ``prune`` removes.

Each load touches the entry (its mtime): ``prune`` removes the least recently used entries
until the cache is under ``config.cmodule.cache_size_mb``. Pruning moves an entry to tmp/
(atomic) before deleting it; a process that has the library loaded keeps its mapping.

Rewritten graphs are small files, many more than the modules (one per distinct graph
compiled, a new set for each pytheano version: an upgraded or edited pytheano rewrites
anew), so they are kept apart, out of the modules' scans and size cap: one folder per
pytheano version, the last KEPT_GRAPH_VERSIONS folders used, at most MAX_GRAPHS files in
each (the least recently used go first). A graph is written to a temp file of its folder
and renamed into place (atomic: a reader sees no file or the whole file).

Command line: ``python -m pytheano.cache list | info | clear | prune [--older-than
DAYS]``.
"""
import argparse
import atexit
import fcntl
import hashlib
import json
import os
import shutil
import sys
import tempfile
import threading
import time

from pytheano.configparser import config

__all__ = ["ModuleCache", "get_cache"]

SO_NAME = "module.so"
C_NAME = "module.c"
INFO_NAME = "info.json"
# A temp directory older than this is a crashed build's leftover (a live build takes seconds).
STALE_BUILD_SECONDS = 3600
# How long a process trusts its last scan of the cache's total size.
RESCAN_SECONDS = 60.0
GRAPHS = "graphs"
MAX_GRAPHS = 10000
KEPT_GRAPH_VERSIONS = 3
# A process counts its version's graphs at its first store, then every this many stores.
GRAPH_COUNT_EVERY = 64


class ModuleCache:
    """The compiled modules under ``root``."""

    def __init__(self, root, max_bytes=None):
        self.root = root
        self.max_bytes = max_bytes
        self.tmp = os.path.join(root, "tmp")
        self.locks = os.path.join(root, "locks")
        self.graphs = os.path.join(root, GRAPHS)
        self._graph_stores = 0
        # The total at this process's last scan, plus what it built since (other processes
        # build too: a scan is due anyway after RESCAN_SECONDS).
        self._known_bytes = None
        self._scanned_at = 0.0
        self._pending = {}  # key: the Build of it this process has started, not published

    # ------------------------------------------------------------------ keys and lookup

    @staticmethod
    def key(source, description):
        """The entry name of ``source`` compiled as ``description`` says (deterministic)."""
        h = hashlib.sha256()
        h.update(description.encode())
        h.update(b"\0")
        h.update(source.encode())
        return h.hexdigest()[:40]

    def entry(self, key):
        return os.path.join(self.root, key)

    def lookup(self, key):
        """The library path of a published entry, or None. Never locks."""
        so = os.path.join(self.root, key, SO_NAME)
        try:
            os.utime(os.path.join(self.root, key))  # least-recently-used bookkeeping
        except OSError:
            return None
        return so if os.path.exists(so) else None

    # ------------------------------------------------------------------ rewritten graphs

    def graph_path(self, version, key):
        return os.path.join(self.graphs, version, key)

    def load_graph(self, version, key):
        """The bytes stored by ``store_graph(version, key, ...)``, or None. Never locks."""
        path = self.graph_path(version, key)
        try:
            with open(path, "rb") as f:
                data = f.read()
            os.utime(path)  # least-recently-used bookkeeping
        except OSError:
            return None
        return data

    def store_graph(self, version, key, data):
        """Keep ``data`` as graph ``key`` of pytheano ``version``. No lock: two processes
        storing one key store the same bytes, the second rename replaces the first's."""
        folder = os.path.join(self.graphs, version)
        tmp = None
        try:
            os.makedirs(folder, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, os.path.join(folder, key))
        except OSError:
            if tmp is not None:
                _unlink(tmp)
            return
        self._graph_stores += 1
        if self._graph_stores == 1:
            self._prune_graph_versions(version)
        if (self._graph_stores - 1) % GRAPH_COUNT_EVERY == 0:
            self._prune_graphs(folder)

    def _graph_versions(self):
        try:
            return os.listdir(self.graphs)
        except OSError:
            return []

    def graph_entries(self):
        """[(version, key, bytes, last used time)] of the stored graphs."""
        found = []
        for version in self._graph_versions():
            folder = os.path.join(self.graphs, version)
            try:
                with os.scandir(folder) as scan:
                    for e in scan:
                        if not e.name.startswith("."):
                            st = e.stat()
                            found.append((version, e.name, st.st_size, st.st_mtime))
            except OSError:
                continue
        return found

    def _prune_graphs(self, folder, older_than=None):
        """The least recently used graphs of ``folder`` removed down to 90% of MAX_GRAPHS
        once it is passed, and those unused for ``older_than`` seconds; a
        crashed store's temp files. Returns the number removed."""
        now = time.time()
        try:
            with os.scandir(folder) as scan:
                entries = list(scan)
        except OSError:
            return 0
        if len(entries) <= MAX_GRAPHS and older_than is None and not any(
                e.name.startswith(".") for e in entries):
            return 0
        files = []
        for e in entries:
            try:
                used = e.stat().st_mtime
            except OSError:
                continue
            if e.name.startswith("."):
                if now - used > STALE_BUILD_SECONDS:
                    _unlink(e.path)
            else:
                files.append((used, e.path))
        files.sort()
        removed = 0
        excess = len(files) - int(0.9 * MAX_GRAPHS) if len(files) > MAX_GRAPHS else 0
        for k, (used, path) in enumerate(files):
            if k < excess or (older_than is not None and now - used > older_than):
                removed += _unlink(path)
        return removed

    def _prune_graph_versions(self, keep):
        """Remove the graph folders of all but the last KEPT_GRAPH_VERSIONS pytheano
        versions used (``keep``, this process's, stays)."""
        try:
            versions = [(os.stat(os.path.join(self.graphs, v)).st_mtime, v)
                        for v in self._graph_versions()]
        except OSError:
            return
        versions.sort(reverse=True)
        for _, version in versions[KEPT_GRAPH_VERSIONS:]:
            if version != keep:
                self._remove_graph_folder(version)

    def _remove_graph_folder(self, version):
        self._discard(os.path.join(self.graphs, version), "graphs-" + version)

    # ------------------------------------------------------------------ building

    def get_or_build(self, source, description, build):
        """The library path for ``source``: from the cache, or built by
        ``build(c_path, so_path)`` and published. Returns (path, built: bool)."""
        return self.start_build(source, description,
                                lambda c, so: _Finished(build, c, so)).result()

    def start_build(self, source, description, start):
        """A Build of ``source``: found in the cache (done at once), or being built by the
        job ``start(c_path, so_path)`` returned (its ``wait()`` raises what the build
        raised), published by a thread of its own as soon as the job ends. The key's lock
        is held from the start to the publication, so other processes building the key wait
        for this one; a build of the same key already started in this process is shared."""
        key = self.key(source, description)
        pending = self._pending.get(key)
        if pending is not None:
            return pending
        found = self.lookup(key)
        if found is not None:
            return Build(self, key, path=found)
        os.makedirs(self.tmp, exist_ok=True)
        os.makedirs(self.locks, exist_ok=True)
        lock = _KeyLock(os.path.join(self.locks, key + ".lock")).__enter__()
        work = None
        try:
            found = self.lookup(key)  # built by the process we waited for
            if found is not None:
                lock.__exit__()
                return Build(self, key, path=found)
            _throttle()
            work = tempfile.mkdtemp(prefix="%s-%d-" % (key, os.getpid()), dir=self.tmp)
            c_path = os.path.join(work, C_NAME)
            with open(c_path, "w") as f:
                f.write(source)
            job = start(c_path, os.path.join(work, SO_NAME))
        except BaseException:
            if work is not None and not config.nocleanup:
                shutil.rmtree(work, ignore_errors=True)
            lock.__exit__()
            raise
        build = self._pending[key] = Build(self, key, description=description, work=work,
                                           lock=lock, job=job)
        build.restart = lambda: self.start_build(source, description, start)
        _in_flight.append(build)
        # Published as soon as the compiler is done, whatever this process does meanwhile:
        # the key's lock is held as long as the compiler runs, not until this process asks
        # (a process it waits for may be waiting on that lock).
        threading.Thread(target=build.wait, name="pytheano-build-" + key[:8],
                         daemon=True).start()
        return build

    def _publish(self, build):
        """Wait for ``build``'s job, publish its directory, release its lock."""
        key, work = build.key, build.work
        try:
            build.job.wait()
            with open(os.path.join(work, INFO_NAME), "w") as f:
                json.dump({"created": time.time(), "description": build.description}, f)
            try:
                os.rename(work, self.entry(key))
            except OSError:
                # Published meanwhile by a process that did not take the lock (prune's
                # restore, a concurrent clear): the entry there is complete too.
                shutil.rmtree(work, ignore_errors=True)
        except BaseException:
            if not config.nocleanup:
                shutil.rmtree(work, ignore_errors=True)
            raise
        finally:
            build.lock.__exit__()
            self._pending.pop(key, None)
        if self.max_bytes is not None:
            self._prune_after_build(key)
        return os.path.join(self.entry(key), SO_NAME)

    def _prune_after_build(self, key):
        """Keep the cap without reading every entry after every build (a cold test run
        builds hundreds): scan only when this process's count says the cap may be reached,
        or when the last scan is old."""
        if self._known_bytes is not None:
            self._known_bytes += _entry_bytes(self.entry(key))
            fresh = time.monotonic() - self._scanned_at < RESCAN_SECONDS
            if fresh and self._known_bytes <= self.max_bytes:
                return
        self.prune(self.max_bytes, keep=key)

    # ------------------------------------------------------------------ maintenance

    def entries(self):
        """[(key, bytes, last used time)] of the published entries, oldest use first."""
        found = []
        try:
            names = os.listdir(self.root)
        except OSError:
            return []
        for name in names:
            path = os.path.join(self.root, name)
            if name in ("tmp", "locks", GRAPHS) or not os.path.isdir(path):
                continue
            try:
                size = _entry_bytes(path)
                used = os.stat(path).st_mtime
            except OSError:
                continue  # removed meanwhile
            found.append((name, size, used))
        found.sort(key=lambda e: e[2])
        return found

    def remove(self, key):
        """Remove one entry: moved out of sight atomically, then deleted."""
        return self._discard(self.entry(key), "removed-" + key)

    def _discard(self, path, label):
        """Move the folder ``path`` into tmp/ (atomic: readers see it whole or not at all),
        then delete it. False when it was not there."""
        os.makedirs(self.tmp, exist_ok=True)
        trash = os.path.join(self.tmp, "%s-%d-%d" % (label, os.getpid(), time.monotonic_ns()))
        try:
            os.rename(path, trash)
        except OSError:
            return False
        shutil.rmtree(trash, ignore_errors=True)
        return True

    def prune(self, max_bytes=None, older_than=None, keep=None):
        """Remove the least recently used entries until the total is at most ``max_bytes``,
        every entry unused for ``older_than`` seconds, and crashed builds' leftovers.
        ``keep``: a key never removed (the one just built). Returns the number removed."""
        removed = 0
        now = time.time()
        entries = self.entries()
        total = sum(size for _, size, _ in entries)
        for key, size, used in entries:
            too_old = older_than is not None and now - used > older_than
            too_big = max_bytes is not None and total > max_bytes
            if key != keep and (too_old or too_big) and self.remove(key):
                removed += 1
                total -= size
        self._remove_stale_builds(now)
        self._known_bytes = total
        self._scanned_at = time.monotonic()
        if older_than is not None:
            for version in self._graph_versions():
                removed += self._prune_graphs(os.path.join(self.graphs, version),
                                              older_than)
        return removed

    def _remove_stale_builds(self, now):
        try:
            names = os.listdir(self.tmp)
        except OSError:
            return
        for name in names:
            path = os.path.join(self.tmp, name)
            try:
                if now - os.stat(path).st_mtime > STALE_BUILD_SECONDS:
                    shutil.rmtree(path, ignore_errors=True)
            except OSError:
                pass

    def clear(self):
        """Remove every entry, every stored graph and every leftover build. Returns the
        number of entries (modules and graphs)."""
        removed = sum(1 for key, _, _ in self.entries() if self.remove(key))
        removed += len(self.graph_entries())
        for version in self._graph_versions():
            self._remove_graph_folder(version)
        self._remove_stale_builds(float("inf"))
        return removed


def _unlink(path):
    try:
        os.unlink(path)
    except OSError:
        return 0
    return 1


def _entry_bytes(path):
    return sum(os.path.getsize(os.path.join(path, f)) for f in os.listdir(path))


class Build:
    """One module's build: ``result()`` -> (library path, built: bool), waiting for the
    compiler and publishing the entry the first time; it raises what the build raised (the
    CompileError), each time it is asked."""

    def __init__(self, cache, key, path=None, description=None, work=None, lock=None,
                 job=None):
        self.cache = cache
        self.key = key
        self.path = path
        self.built = job is not None
        self.description = description
        self.work = work
        self.lock = lock
        self.job = job
        self.error = None
        self._waiting = threading.Lock()  # one thread publishes, the others wait for it
        self.restart = None  # start_build again: what a forked child does (see _after_fork)
        self._orphan = False

    @property
    def done(self):
        return self.job is None

    def wait(self):
        """Finish the build (never raises: the error is kept for ``result``)."""
        if self.job is None:
            return
        with self._waiting:
            if self.job is None:
                return
            if self._orphan:
                self._wait_for_parent()
                return
            try:
                self.path = self.cache._publish(self)
            except BaseException as e:  # noqa: BLE001 (re-raised by result)
                self.error = e
            finally:
                self.job = None
                if self in _in_flight:
                    _in_flight.remove(self)

    def _orphaned(self):
        """In a child forked while this build ran: the compiler and the publishing thread
        are the parent's. The parent still holds the key's lock (the lock file's open
        description is shared): the child's copy of it is closed, not unlocked."""
        self._waiting = threading.Lock()  # the parent's thread may have held it at fork
        self._orphan = True
        self.cache._pending.pop(self.key, None)
        if self.lock is not None and self.lock.fd is not None:
            os.close(self.lock.fd)
            self.lock.fd = None

    def _wait_for_parent(self):
        # As any other process would: the key's lock (free once the parent publishes, or
        # dies), then the entry, or this process's own build of it if the parent's failed.
        try:
            self.path, self.built = self.restart().result()
        except BaseException as e:  # noqa: BLE001 (re-raised by result)
            self.error = e
        finally:
            self.job = None

    def result(self):
        self.wait()
        if self.error is not None:
            raise self.error
        return self.path, self.built


class _Finished:
    """A job already done: ``build(c_path, so_path)`` ran when it was made."""

    def __init__(self, build, c_path, so_path):
        try:
            build(c_path, so_path)
            self.error = None
        except BaseException as e:  # noqa: BLE001 (re-raised by wait, in the publisher)
            self.error = e

    def wait(self):
        if self.error is not None:
            raise self.error


# The builds this process has started and not published, oldest first: at most one per CPU
# runs at once (starting one more waits for the oldest). Each is published by a thread of
# its own when its compiler ends, and at the latest at exit.
_in_flight = []


def _throttle():
    while len(_in_flight) >= max(1, os.cpu_count() or 1):
        _oldest_in_flight().wait()


@atexit.register
def _publish_in_flight():
    while _in_flight:
        _oldest_in_flight().wait()


def _after_fork_in_child():
    # Without this a child forked during a build (multiprocessing's fork start method, a
    # server's workers) waits forever for a thread it does not have.
    for build in _in_flight:
        build._orphaned()
    _in_flight.clear()


os.register_at_fork(after_in_child=_after_fork_in_child)


def _oldest_in_flight():
    try:
        return _in_flight[0]
    except IndexError:  # published by its thread meanwhile
        return Build(None, None)


class _KeyLock:
    """An exclusive lock on one key's lock file, released by the kernel if we die."""

    def __init__(self, path):
        self.path = path
        self.fd = None

    def __enter__(self):
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None


_caches = {}


def get_cache():
    """The cache of config.compiledir, sized by config.cmodule.cache_size_mb."""
    root = os.path.join(config.compiledir, "c")
    max_bytes = int(config.cmodule.cache_size_mb) * 1024 * 1024
    cache = _caches.get((root, max_bytes))
    if cache is None:
        cache = _caches[(root, max_bytes)] = ModuleCache(root, max_bytes)
    return cache


def _human(n):
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return "%.1f %s" % (n, unit) if unit != "B" else "%d B" % n
        n /= 1024.0


def _graphs_line(cache):
    graphs = cache.graph_entries()
    return "rewritten graphs: %d, total %s, in %d pytheano version(s) (at most %d each)" % (
        len(graphs), _human(sum(g[2] for g in graphs)), len({g[0] for g in graphs}),
        MAX_GRAPHS)


def main(argv=None, prog="python -m pytheano.link.c.cache"):
    parser = argparse.ArgumentParser(prog=prog,
                                     description="The cache of compiled C modules.")
    parser.add_argument("command", choices=("list", "info", "clear", "prune"))
    parser.add_argument("--older-than", type=float, default=None, metavar="DAYS",
                        help="prune: also remove entries unused for DAYS days")
    args = parser.parse_args(argv)
    cache = get_cache()
    entries = cache.entries()
    total = sum(size for _, size, _ in entries)
    if args.command == "list":
        for key, size, used in entries:
            print("%s  %10s  last used %s" % (key, _human(size),
                                             time.strftime("%Y-%m-%d %H:%M:%S",
                                                           time.localtime(used))))
        print("%d entries, %s in %s" % (len(entries), _human(total), cache.root))
        print(_graphs_line(cache))
    elif args.command == "info":
        print("cache directory: %s" % cache.root)
        print("entries: %d, total %s, cap %s" % (len(entries), _human(total),
                                                 _human(cache.max_bytes)))
        print(_graphs_line(cache))
    elif args.command == "clear":
        print("removed %d entries from %s" % (cache.clear(), cache.root))
    else:
        older = None if args.older_than is None else args.older_than * 86400.0
        print("removed %d entries from %s" % (cache.prune(cache.max_bytes, older),
                                              cache.root))
    return 0


if __name__ == "__main__":
    sys.exit(main())
