"""A server's memory: the gunicorn master and all its workers together.

Two figures, since neither alone is exact: the peak of the summed
resident set sizes, sampled a few times a second (it may miss a short
spike), and the sum of each living process's own high-water mark
(VmHWM) at the end (which may add peaks that never coincided). Linux
only; psutil finds the processes when it is installed, /proc otherwise.
"""
import os
import threading

try:
    import psutil
except ImportError:  # pragma: no cover - psutil comes with oslo.utils
    psutil = None

SAMPLE_SECONDS = 0.2


def _children_from_proc():
    """{parent pid: [child pids]} of every process, from /proc."""
    children = {}
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % entry) as stat:
                # The name, in parentheses, may hold spaces.
                fields = stat.read().rsplit(')', 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
    return children


def process_tree(pid):
    """``pid`` and all its descendants still alive."""
    if psutil is not None:
        try:
            root = psutil.Process(pid)
            return [pid] + [child.pid
                            for child in root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []
    children = _children_from_proc()
    tree, pending = [], [pid]
    while pending:
        current = pending.pop()
        tree.append(current)
        pending.extend(children.get(current, []))
    return tree


def _status_kib(pid, field):
    try:
        with open('/proc/%d/status' % pid) as status:
            for line in status:
                if line.startswith(field + ':'):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss(pid):
    return sum(_status_kib(each, 'VmRSS') for each in process_tree(pid))


def tree_high_water(pid):
    return sum(_status_kib(each, 'VmHWM') for each in process_tree(pid))


class Sampler:
    """Samples the summed RSS of each server's process tree in a thread,
    from ``start()`` to ``stop()``; ``peaks`` maps each server's label to
    its peak in KiB."""

    def __init__(self, pids):
        self.pids = dict(pids)
        self.peaks = {label: 0 for label in self.pids}
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self):
        self._thread.start()

    def _run(self):
        while not self._stopping.is_set():
            self.sample()
            self._stopping.wait(SAMPLE_SECONDS)

    def sample(self):
        for label, pid in self.pids.items():
            self.peaks[label] = max(self.peaks[label], tree_rss(pid))

    def stop(self):
        """The peaks, and each tree's summed high-water marks, in KiB."""
        self._stopping.set()
        self._thread.join(5)
        self.sample()
        return self.peaks, {label: tree_high_water(pid)
                            for label, pid in self.pids.items()}
