"""The on-disk cache of compiled C modules, safe for many processes sharing one directory.

Layout under ``<config.compiledir>/c``::

    <key>/module.c, module.so, info.json    a published entry (complete, never rewritten)
    tmp/<key>-<pid>-<random>/               a build in progress (or left by a crash)
    locks/<key>.lock                        the lock file of one key

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

Command line: ``python -m pytheano.cache list | info | clear | prune [--older-than
DAYS]``.
"""
import argparse
import fcntl
import hashlib
import json
import os
import shutil
import sys
import tempfile
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


class ModuleCache:
    """The compiled modules under ``root``."""

    def __init__(self, root, max_bytes=None):
        self.root = root
        self.max_bytes = max_bytes
        self.tmp = os.path.join(root, "tmp")
        self.locks = os.path.join(root, "locks")
        # The total at this process's last scan, plus what it built since (other processes
        # build too: a scan is due anyway after RESCAN_SECONDS).
        self._known_bytes = None
        self._scanned_at = 0.0

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

    # ------------------------------------------------------------------ building

    def get_or_build(self, source, description, build):
        """The library path for ``source``: from the cache, or built by
        ``build(c_path, so_path)`` and published. Returns (path, built: bool)."""
        key = self.key(source, description)
        found = self.lookup(key)
        if found is not None:
            return found, False
        os.makedirs(self.tmp, exist_ok=True)
        os.makedirs(self.locks, exist_ok=True)
        with _KeyLock(os.path.join(self.locks, key + ".lock")):
            found = self.lookup(key)  # built by the process we waited for
            if found is not None:
                return found, False
            work = tempfile.mkdtemp(prefix="%s-%d-" % (key, os.getpid()), dir=self.tmp)
            try:
                c_path = os.path.join(work, C_NAME)
                with open(c_path, "w") as f:
                    f.write(source)
                build(c_path, os.path.join(work, SO_NAME))
                with open(os.path.join(work, INFO_NAME), "w") as f:
                    json.dump({"created": time.time(), "description": description}, f)
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
        if self.max_bytes is not None:
            self._prune_after_build(key)
        return os.path.join(self.entry(key), SO_NAME), True

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
            if name in ("tmp", "locks") or not os.path.isdir(path):
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
        os.makedirs(self.tmp, exist_ok=True)
        trash = os.path.join(self.tmp, "removed-%s-%d-%d" % (key, os.getpid(),
                                                             time.monotonic_ns()))
        try:
            os.rename(self.entry(key), trash)
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
        """Remove every entry and every leftover build. Returns the number of entries."""
        removed = sum(1 for key, _, _ in self.entries() if self.remove(key))
        self._remove_stale_builds(float("inf"))
        return removed


def _entry_bytes(path):
    return sum(os.path.getsize(os.path.join(path, f)) for f in os.listdir(path))


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
    elif args.command == "info":
        print("cache directory: %s" % cache.root)
        print("entries: %d, total %s, cap %s" % (len(entries), _human(total),
                                                 _human(cache.max_bytes)))
    elif args.command == "clear":
        print("removed %d entries from %s" % (cache.clear(), cache.root))
    else:
        older = None if args.older_than is None else args.older_than * 86400.0
        print("removed %d entries from %s" % (cache.prune(cache.max_bytes, older),
                                              cache.root))
    return 0


if __name__ == "__main__":
    sys.exit(main())
