"""Peak memory and time of the H5P importer on a package near the caps.

Builds a package of the platform's quiz library plus content media: by default
about 60 MiB unpacked in 3 files of nearly 16 MiB and 1,000 of 12 KiB (the
caps are 64 MiB, 16 MiB per file, 5,000 files), imports it into a throw-away
SQLite database and media folder, and prints the peak Python heap
(tracemalloc) and the peak resident set size of the process.

    .venv/bin/python bench/h5p_import_memory.py [--big-files 3] [--small-files 1000]
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)


def build(path, big_files, small_files):
    from courses.h5p import package_builder

    files = package_builder.quiz_files()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
        # Media does not compress (ratio ~1), like real photos and videos.
        for index in range(big_files):
            head = b"\x00\x00\x00\x18ftypmp42"
            body = os.urandom(16 * 1024 * 1024 - 4096 - len(head))
            archive.writestr(f"content/videos/clip-{index}.mp4", head + body)
        for index in range(small_files):
            png = b"\x89PNG\r\n\x1a\n" + os.urandom(12 * 1024)
            archive.writestr(f"content/images/i{index:04d}.png", png)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big-files", type=int, default=3)
    parser.add_argument("--small-files", type=int, default=1000)
    parser.add_argument("--build-only", metavar="PATH", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build_only:
        build(args.build_only, args.big_files, args.small_files)
        return
    workdir = tempfile.mkdtemp(prefix="h5p-bench-")
    package = os.path.join(workdir, "near-caps.h5p")
    # Built in another process so that this one's peak RSS is the importer's.
    subprocess.run(
        [
            sys.executable,
            __file__,
            "--build-only",
            package,
            "--big-files",
            str(args.big_files),
            "--small-files",
            str(args.small_files),
        ],
        check=True,
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "training_platform.settings")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["MEDIA_ROOT"] = os.path.join(workdir, "media")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    with zipfile.ZipFile(package) as archive:
        unpacked = sum(i.file_size for i in archive.infolist())
        count = len(archive.infolist())
    from courses.h5p.services import content_import

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    started = time.perf_counter()
    with open(package, "rb") as handle:
        content = content_import(file=handle, filename="near-caps.h5p")
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"package: {os.path.getsize(package) / 2**20:.1f} MiB on disk, "
        f"{unpacked / 2**20:.1f} MiB unpacked, {count} files"
    )
    print(
        f"imported content {content.uuid} with {content.file_count} files "
        f"in {elapsed:.2f} s"
    )
    print(f"peak Python heap during import (tracemalloc): {peak / 2**20:.1f} MiB")
    print(
        f"process max RSS: {rss_before / 1024:.0f} MiB before, "
        f"{rss_after / 1024:.0f} MiB after"
    )


if __name__ == "__main__":
    main()
