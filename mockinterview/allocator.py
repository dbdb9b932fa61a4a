"""The C allocator told to give large buffers their own memory maps, so a long file's memory stays flat.

glibc raises its mmap threshold each time a large mapped block is freed (up to 32 MB), after which the
transcriber's per-window arrays land on the heap, and freed heap is kept: RSS then climbs with every window
of a long file (bench/memory.py measured 382 -> 512 MB over 20 minutes of audio, flat with this set). A fixed
8 MB threshold keeps the model's many small working buffers on the heap, which is as fast as before; a low
one (1 MB) made transcription 60% slower.
"""

from __future__ import annotations

import ctypes

M_MMAP_THRESHOLD = -3  # glibc's <malloc.h>
MMAP_THRESHOLD_BYTES = 8 << 20


def map_large_buffers() -> bool:
    """Sets the threshold for this process; False where the C library has no such setting (not glibc)."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES))
