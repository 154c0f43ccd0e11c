"""``python -m pytheano.cache list | info | clear | prune [--older-than DAYS]``: the cache of
compiled C modules (the command lives in pytheano/link/c/cache.py; this is its short name)."""
import sys

from pytheano.link.c.cache import main

if __name__ == "__main__":
    sys.exit(main(prog="python -m pytheano.cache"))
