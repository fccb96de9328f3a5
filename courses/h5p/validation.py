"""Reading and judging an ``.h5p`` file before anything is written.

``inspect_package`` works on the ZIP's central directory first (names, types,
sizes, ratios: nothing is inflated), then reads only the small JSON files it
needs and the first bytes of the files to be stored. It returns an
``ImportPlan`` or raises ``PackageRejected`` with every reason it found, in
plain language. ``pyh5p`` supplies the archive-member policy and the package
model checks; the platform's own rules are stricter.
"""

import json
import logging
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pyh5p import H5PPackage, SecurityError
from pyh5p.library import CoreApiVersion, LibraryId
from pyh5p.package import PackagedLibrary
from pyh5p.security import ArchiveLimits, validate_archive_member

from . import conf, svg

logger = logging.getLogger(__name__)

# H5P's own allow-list without the risky types: no Flash (swf), no XML (can be
# served as XHTML with script, A14). Scripts and styles only inside libraries.
CONTENT_EXTENSIONS = frozenset(
    [
        "json",
        "png",
        "jpg",
        "jpeg",
        "gif",
        "bmp",
        "tif",
        "tiff",
        "svg",
        "webp",
        "eot",
        "ttf",
        "woff",
        "woff2",
        "otf",
        "webm",
        "mp4",
        "ogg",
        "ogv",
        "oga",
        "mp3",
        "m4a",
        "wav",
        "txt",
        "pdf",
        "rtf",
        "doc",
        "docx",
        "xls",
        "xlsx",
        "ppt",
        "pptx",
        "odt",
        "ods",
        "odp",
        "csv",
        "diff",
        "patch",
        "md",
        "textile",
        "vtt",
        "webvtt",
        "gltf",
        "glb",
    ]
)
LIBRARY_EXTENSIONS = CONTENT_EXTENSIONS | {"js", "css"}

LIBRARY_FOLDER = re.compile(r"^[A-Za-z0-9_.\-]{1,255}$")
MACHINE_NAME = re.compile(r"^[A-Za-z0-9_.\-]{1,255}$")
PERCENT_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
DRIVE = re.compile(r"^[A-Za-z]:")
CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")
SUB_CONTENT_LIBRARY = re.compile(r"^([A-Za-z0-9_.\-]+) (\d+)\.(\d+)$")
BIDI_CONTROLS = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
SUPPORTED_COMPRESSION = {
    zipfile.ZIP_STORED,
    zipfile.ZIP_DEFLATED,
    zipfile.ZIP_BZIP2,
    zipfile.ZIP_LZMA,
}

S_IFMT = 0o170000
S_IFREG = 0o100000
S_IFDIR = 0o040000
S_IFLNK = 0o120000

# First bytes that files of each type start with (A15).
MAGIC = {
    "png": [(0, b"\x89PNG\r\n\x1a\n")],
    "jpg": [(0, b"\xff\xd8\xff")],
    "jpeg": [(0, b"\xff\xd8\xff")],
    "gif": [(0, b"GIF87a"), (0, b"GIF89a")],
    "webp": [(8, b"WEBP")],
    "bmp": [(0, b"BM")],
    "tif": [(0, b"II*\x00"), (0, b"MM\x00*")],
    "tiff": [(0, b"II*\x00"), (0, b"MM\x00*")],
    "woff": [(0, b"wOFF")],
    "woff2": [(0, b"wOF2")],
    "ttf": [(0, b"\x00\x01\x00\x00"), (0, b"true"), (0, b"typ1"), (0, b"OTTO")],
    "otf": [(0, b"OTTO"), (0, b"\x00\x01\x00\x00")],
    "eot": [(34, b"LP")],
    "pdf": [(0, b"%PDF-")],
    "mp3": [(0, b"ID3"), (0, b"\xff\xfb"), (0, b"\xff\xf3"), (0, b"\xff\xf2")],
    "wav": [(8, b"WAVE")],
    "ogg": [(0, b"OggS")],
    "ogv": [(0, b"OggS")],
    "oga": [(0, b"OggS")],
    "webm": [(0, b"\x1a\x45\xdf\xa3")],
    "mp4": [(4, b"ftyp")],
    "m4a": [(4, b"ftyp")],
    "doc": [(0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")],
    "xls": [(0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")],
    "ppt": [(0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")],
    "docx": [(0, b"PK\x03\x04")],
    "xlsx": [(0, b"PK\x03\x04")],
    "pptx": [(0, b"PK\x03\x04")],
    "odt": [(0, b"PK\x03\x04")],
    "ods": [(0, b"PK\x03\x04")],
    "odp": [(0, b"PK\x03\x04")],
    "rtf": [(0, b"{\\rtf")],
    "glb": [(0, b"glTF")],
}
MAGIC_HEAD = 64


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    # What the problem is about, where code can act on it (the library a
    # trainer's package needs approved).
    subject: str = ""

    def __str__(self):
        return self.message


class PackageRejected(Exception):
    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


@dataclass
class Entry:
    info: zipfile.ZipInfo
    name: str
    relative: str  # inside "content/" or the library folder
    extension: str


@dataclass
class PackageLibrary:
    folder: str
    metadata: dict
    library_id: LibraryId
    files: dict = field(default_factory=dict)  # relative -> Entry

    @property
    def key(self):
        return (
            self.library_id.machine_name,
            self.library_id.major,
            self.library_id.minor,
        )


@dataclass
class LibraryDecision:
    key: tuple
    action: str  # "install", "upgrade" or "use"
    package: PackageLibrary | None
    installed: object | None  # H5PLibrary

    @property
    def metadata(self):
        return (
            self.package.metadata if self.action != "use" else self.installed.metadata
        )


@dataclass
class ImportPlan:
    title: str
    h5p_json: dict
    main_key: tuple
    content_entries: list
    libraries: list  # LibraryDecision, in dependency order
    replacements: dict  # entry name -> bytes (sanitised SVGs)
    notes: list
    file_count: int = 0
    total_bytes: int = 0


class _Collector:
    def __init__(self):
        self.problems = []

    def add(self, code, message, subject=""):
        problem = Problem(code, message, subject)
        if problem not in self.problems:
            self.problems.append(problem)

    def raise_if_any(self):
        if self.problems:
            raise PackageRejected(self.problems)


# ------------------------------------------------------------------ helpers


def _limits():
    return {
        "max_files": conf.get("H5P_MAX_FILES"),
        "max_file": conf.get("H5P_MAX_FILE_BYTES"),
        "max_total": conf.get("H5P_MAX_TOTAL_BYTES"),
        "max_ratio": conf.get("H5P_MAX_COMPRESSION_RATIO"),
        "ratio_min": conf.get("H5P_RATIO_CHECK_MIN_BYTES"),
        "max_path": conf.get("H5P_MAX_PATH_LENGTH"),
    }


def _mib(value):
    return f"{value / (1024 * 1024):.0f} MiB"


def _extension(name):
    suffix = PurePosixPath(name).suffix
    return suffix[1:].lower() if suffix else ""


def _json_depth(value, limit):
    """Depth of a parsed JSON value, walking iteratively."""
    stack = [(value, 1)]
    deepest = 0
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > limit:
            return deepest
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return deepest


def _reject_constant(name):
    raise ValueError(f"{name} is not allowed in JSON")


def parse_json_bytes(data, *, max_depth):
    """Parse JSON with bounded depth and without NaN/Infinity. Raises
    ValueError with a short reason."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError("not UTF-8") from exc
    try:
        value = json.loads(text, parse_constant=_reject_constant)
    except RecursionError as exc:
        raise ValueError("nested too deeply") from exc
    except json.JSONDecodeError as exc:
        raise ValueError(f"line {exc.lineno}, column {exc.colno}: {exc.msg}") from exc
    if _json_depth(value, max_depth) > max_depth:
        raise ValueError("nested too deeply")
    return value


def _read_member(archive, info, limit):
    """Read at most ``limit`` bytes of a member; None when it is longer than
    its header said or than the limit (A08)."""
    with archive.open(info) as stream:
        data = stream.read(limit + 1)
    if len(data) > limit or len(data) > info.file_size:
        return None
    return data


def _read_head(archive, info, size=MAGIC_HEAD):
    with archive.open(info) as stream:
        return stream.read(size)


def clean_title(value, fallback=""):
    """Metadata text: no control or bidi-override characters, no markup
    expansion, at most 255 characters (A25)."""
    if not isinstance(value, str):
        value = fallback
    value = BIDI_CONTROLS.sub("", CONTROL_CHARS.sub(" ", value))
    value = " ".join(value.split())
    return value[:255] or fallback[:255]


def _version_int(value):
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    raise ValueError


def _dependency_key(item):
    if not isinstance(item, dict):
        raise ValueError
    name = item.get("machineName")
    if not isinstance(name, str) or not MACHINE_NAME.match(name):
        raise ValueError
    return (
        name,
        _version_int(item.get("majorVersion")),
        _version_int(item.get("minorVersion")),
    )


def _key_label(key):
    return f"{key[0]} {key[1]}.{key[2]}"


# ------------------------------------------------------------ archive pass


def _check_name(info, limits, problems):
    """Rules on one member name; returns the (kind, parts) or None."""
    raw = info.orig_filename
    shown = repr(raw)[1:-1][:200]
    if "\x00" in raw:
        problems.add(
            "nul", _("File name “%(name)s” contains a NUL byte.") % {"name": shown}
        )
        return None
    if "\\" in raw:
        problems.add(
            "backslash",
            _("File name “%(name)s” uses a backslash; only “/” may separate folders.")
            % {"name": shown},
        )
        return None
    if raw.startswith("/") or DRIVE.match(raw):
        problems.add(
            "absolute",
            _("File name “%(name)s” is an absolute path.") % {"name": shown},
        )
        return None
    if CONTROL_CHARS.search(raw) or ":" in raw or PERCENT_ESCAPE.search(raw):
        problems.add(
            "bad-characters",
            _("File name “%(name)s” contains characters that are not allowed.")
            % {"name": shown},
        )
        return None
    if not raw.isascii() and not info.flag_bits & 0x800:
        problems.add(
            "name-encoding",
            _("File name “%(name)s” is not plain ASCII and does not declare UTF-8.")
            % {"name": shown},
        )
        return None
    if len(raw) > limits["max_path"]:
        problems.add(
            "long-name", _("File name “%(name)s…” is too long.") % {"name": shown[:80]}
        )
        return None
    parts = raw.rstrip("/").split("/") if info.is_dir() else raw.split("/")
    for part in parts:
        folded = unicodedata.normalize("NFKC", part)
        if part == "" or folded.strip() in (".", ".."):
            problems.add(
                "traversal",
                _("File name “%(name)s” tries to leave its folder.") % {"name": shown},
            )
            return None
        if len(part.encode("utf-8")) > 255:
            problems.add(
                "long-name",
                _("File name “%(name)s…” is too long.") % {"name": shown[:80]},
            )
            return None
        if part.startswith(".") or part == "__MACOSX":
            problems.add(
                "hidden-file",
                _("Hidden or system file “%(name)s” is not allowed in a package.")
                % {"name": shown},
            )
            return None
    return parts


def _check_member_type(info, shown, problems):
    if info.flag_bits & 0x1:
        problems.add("encrypted", _("File “%(name)s” is encrypted.") % {"name": shown})
        return False
    if info.compress_type not in SUPPORTED_COMPRESSION:
        problems.add(
            "compression",
            _("File “%(name)s” uses an unsupported compression method.")
            % {"name": shown},
        )
        return False
    if info.create_system == 3:
        kind = (info.external_attr >> 16) & S_IFMT
        if kind == S_IFLNK:
            problems.add(
                "symlink",
                _("File “%(name)s” is a symbolic link; links are not allowed.")
                % {"name": shown},
            )
            return False
        if kind not in (0, S_IFREG, S_IFDIR):
            problems.add(
                "special-file",
                _("File “%(name)s” is not a regular file.") % {"name": shown},
            )
            return False
    return True


def _scan_archive(archive, problems):
    """Central-directory pass. Returns (root files, content entries,
    library folder -> {relative: Entry}, ignored names)."""
    limits = _limits()
    infos = archive.infolist()
    if len(infos) > limits["max_files"]:
        problems.add(
            "too-many-files",
            _("The package has %(count)s files; at most %(limit)s are allowed.")
            % {"count": len(infos), "limit": limits["max_files"]},
        )
        problems.raise_if_any()
    policy = ArchiveLimits(
        max_files=limits["max_files"],
        max_file_size=limits["max_file"],
        max_total_size=limits["max_total"],
        # The ratio is judged below, only for entries large enough to matter.
        max_compression_ratio=float("inf"),
        allowed_extensions=LIBRARY_EXTENSIONS,
    )
    seen = {}
    total = 0
    total_reported = False
    root = {}
    content = {}
    libraries = {}
    ignored = []
    for info in infos:
        shown = repr(info.orig_filename)[1:-1][:200]
        parts = _check_name(info, limits, problems)
        if parts is None or not _check_member_type(info, shown, problems):
            continue
        key = unicodedata.normalize("NFC", "/".join(parts)).casefold()
        if key in seen:
            if seen[key] != ("d" if info.is_dir() else "f") or not info.is_dir():
                problems.add(
                    "duplicate",
                    _(
                        "File “%(name)s” appears twice (names differing only in case "
                        "or accents count as the same)."
                    )
                    % {"name": shown},
                )
            continue
        seen[key] = "d" if info.is_dir() else "f"
        if info.is_dir():
            if (
                parts[0] != "content"
                and len(parts) == 1
                and not LIBRARY_FOLDER.match(parts[0])
            ):
                problems.add(
                    "library-folder",
                    _("Folder “%(name)s” is not a valid library folder name.")
                    % {"name": parts[0][:100]},
                )
            continue
        if info.file_size > limits["max_file"]:
            problems.add(
                "file-too-large",
                _("File “%(name)s” is %(size)s; a file may be at most %(limit)s.")
                % {
                    "name": shown,
                    "size": _mib(info.file_size),
                    "limit": _mib(limits["max_file"]),
                },
            )
            continue
        total += info.file_size
        if total > limits["max_total"] and not total_reported:
            total_reported = True
            problems.add(
                "total-too-large",
                _("The package unpacks to more than %(limit)s.")
                % {"limit": _mib(limits["max_total"])},
            )
        if (
            info.file_size >= limits["ratio_min"]
            and info.file_size / max(info.compress_size, 1) > limits["max_ratio"]
        ):
            problems.add(
                "compression-ratio",
                _(
                    "File “%(name)s” is compressed suspiciously well (more than "
                    "%(ratio)s:1); the package looks like a ZIP bomb."
                )
                % {"name": shown, "ratio": limits["max_ratio"]},
            )
            continue
        extension = _extension(parts[-1])
        name = "/".join(parts)
        if len(parts) == 1:
            if name == "h5p.json":
                root[name] = Entry(info, name, name, extension)
            elif extension in CONTENT_EXTENSIONS:
                ignored.append(name)
            else:
                problems.add(
                    "extension",
                    _("File “%(name)s” has a type that is not allowed.")
                    % {"name": shown},
                )
            continue
        if parts[0] == "content":
            allowed = CONTENT_EXTENSIONS
        else:
            allowed = LIBRARY_EXTENSIONS
            if not LIBRARY_FOLDER.match(parts[0]):
                problems.add(
                    "library-folder",
                    _("Folder “%(name)s” is not a valid library folder name.")
                    % {"name": parts[0][:100]},
                )
                continue
        if extension not in allowed:
            if parts[0] == "content" and extension in ("js", "css"):
                message = _(
                    "File “%(name)s”: scripts and styles are only allowed inside "
                    "libraries, not in content."
                )
            else:
                message = _("File “%(name)s” has a type that is not allowed.")
            problems.add("extension", message % {"name": shown})
            continue
        try:
            validate_archive_member(name, info, policy)
        except SecurityError:
            problems.add(
                "unsafe-member",
                _("File “%(name)s” is not allowed in a package.") % {"name": shown},
            )
            continue
        entry = Entry(info, name, "/".join(parts[1:]), extension)
        if parts[0] == "content":
            content[entry.relative] = entry
        else:
            libraries.setdefault(parts[0], {})[entry.relative] = entry
    return root, content, libraries, ignored


# --------------------------------------------------------------- JSON pass


def _load_json(archive, entry, limit, problems, label):
    data = _read_member(archive, entry.info, limit)
    if data is None:
        problems.add(
            "json-too-large",
            _("%(file)s is too large (at most %(limit)s).")
            % {"file": label, "limit": _mib(limit)},
        )
        return None
    try:
        return parse_json_bytes(data, max_depth=conf.get("H5P_MAX_JSON_DEPTH"))
    except ValueError as exc:
        problems.add(
            "invalid-json",
            _("%(file)s is not valid JSON (%(reason)s).")
            % {"file": label, "reason": exc},
        )
        return None


def _check_library(archive, folder, files, problems):
    label = f"{folder}/library.json"
    if "library.json" not in files:
        problems.add(
            "library-json-missing",
            _("Library folder “%(folder)s” has no library.json.") % {"folder": folder},
        )
        return None
    metadata = _load_json(
        archive,
        files["library.json"],
        conf.get("H5P_MAX_METADATA_JSON_BYTES"),
        problems,
        label,
    )
    if metadata is None:
        return None
    if not isinstance(metadata, dict):
        problems.add(
            "library-json", _("%(file)s must contain an object.") % {"file": label}
        )
        return None
    ok = True
    for required in (
        "title",
        "machineName",
        "majorVersion",
        "minorVersion",
        "patchVersion",
        "runnable",
    ):
        if required not in metadata:
            problems.add(
                "library-json-field",
                _("%(file)s lacks the required field “%(field)s”.")
                % {"file": label, "field": required},
            )
            ok = False
    if not ok:
        return None
    name = metadata["machineName"]
    if not isinstance(name, str) or not MACHINE_NAME.match(name):
        problems.add(
            "library-json-field",
            _("%(file)s has an invalid machineName.") % {"file": label},
        )
        return None
    try:
        major = _version_int(metadata["majorVersion"])
        minor = _version_int(metadata["minorVersion"])
        patch = _version_int(metadata["patchVersion"])
    except ValueError:
        problems.add(
            "library-json-field",
            _("%(file)s has version numbers that are not whole numbers.")
            % {"file": label},
        )
        return None
    if not isinstance(metadata["title"], str):
        problems.add(
            "library-json-field", _("%(file)s has an invalid title.") % {"file": label}
        )
        ok = False
    expected = f"{name}-{major}.{minor}"
    if folder != expected:
        problems.add(
            "library-folder-mismatch",
            _(
                "Library folder “%(folder)s” should be named “%(expected)s” after its "
                "library.json."
            )
            % {"folder": folder, "expected": expected},
        )
        ok = False
    if "coreApi" in metadata:
        try:
            required_api = CoreApiVersion.parse(metadata["coreApi"])
        except (TypeError, ValueError):
            required_api = None
            problems.add(
                "library-json-field",
                _("%(file)s has an invalid coreApi.") % {"file": label},
            )
            ok = False
        supported = CoreApiVersion(*conf.get("H5P_CORE_API"))
        if required_api is not None and not required_api.compatible_with(supported):
            problems.add(
                "core-api",
                _(
                    "Library %(library)s needs H5P core %(needed)s; the platform's "
                    "player offers %(offered)s."
                )
                % {
                    "library": expected,
                    "needed": f"{required_api.major}.{required_api.minor}",
                    "offered": f"{supported.major}.{supported.minor}",
                },
            )
            ok = False
    for kind, extension in (("preloadedJs", "js"), ("preloadedCss", "css")):
        listed = metadata.get(kind, [])
        if not isinstance(listed, list):
            problems.add(
                "library-json-field",
                _("%(file)s: “%(field)s” must be a list.")
                % {"file": label, "field": kind},
            )
            ok = False
            continue
        for item in listed:
            path = item.get("path") if isinstance(item, dict) else None
            if (
                not isinstance(path, str)
                or _extension(path) != extension
                or path.startswith("/")
                or ".." in path.split("/")
                or "\\" in path
            ):
                problems.add(
                    "preloaded-file",
                    _("%(file)s lists an invalid %(field)s entry.")
                    % {"file": label, "field": kind},
                )
                ok = False
            elif path not in files:
                problems.add(
                    "preloaded-file-missing",
                    _(
                        "Library %(library)s lists “%(path)s”, which is not in the "
                        "package."
                    )
                    % {"library": folder, "path": path[:200]},
                )
                ok = False
    for kind in ("preloadedDependencies", "dynamicDependencies", "editorDependencies"):
        listed = metadata.get(kind, [])
        if not isinstance(listed, list):
            problems.add(
                "library-json-field",
                _("%(file)s: “%(field)s” must be a list.")
                % {"file": label, "field": kind},
            )
            ok = False
            continue
        for item in listed:
            try:
                _dependency_key(item)
            except ValueError:
                problems.add(
                    "dependency",
                    _("%(file)s has an invalid entry in “%(field)s”.")
                    % {"file": label, "field": kind},
                )
                ok = False
    for relative, entry in files.items():
        is_language = relative.startswith("language/") and entry.extension == "json"
        if is_language or relative == "semantics.json":
            _load_json(
                archive,
                entry,
                conf.get("H5P_MAX_METADATA_JSON_BYTES"),
                problems,
                f"{folder}/{relative}",
            )
    if not ok:
        return None
    return PackageLibrary(folder, metadata, LibraryId(name, major, minor, patch), files)


def _content_libraries(value):
    """Sub-content libraries a content.json selects ({"library": "X 1.2",
    "params": ...}), found without recursion."""
    found = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            library = item.get("library")
            if isinstance(library, str) and "params" in item:
                match = SUB_CONTENT_LIBRARY.match(library)
                if match:
                    found.add((match[1], int(match[2]), int(match[3])))
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _pyh5p_issues(h5p_json, content_json, libraries, names, installed_main):
    """The package-model checks of pyh5p, on file names only (nothing is
    loaded into memory for them)."""
    package = H5PPackage(
        metadata=h5p_json,
        content=content_json,
        libraries=tuple(
            PackagedLibrary(lib.library_id, dict.fromkeys(lib.files, b""), lib.metadata)
            for lib in libraries
        ),
        files=dict.fromkeys(names, b""),
    )
    issues = []
    for issue in package.validate(require_content=True, allow_content_only=True):
        if issue.keyword == "dependency" and installed_main:
            continue  # the main library is installed on the platform
        if issue.keyword in ("path", "asset"):
            continue  # judged by the platform below (URLs are allowed)
        issues.append(issue)
    return issues


# ------------------------------------------------------------------- main


def inspect_package(fileobj, *, can_install_libraries, installed=None):
    """Judge an ``.h5p`` file. ``installed`` maps (machine_name, major, minor)
    to installed ``H5PLibrary`` rows. Returns an ImportPlan or raises
    PackageRejected."""
    problems = _Collector()
    installed = installed or {}
    notes = []
    try:
        archive = zipfile.ZipFile(fileobj)
    except UnicodeDecodeError as exc:
        raise PackageRejected(
            [
                Problem(
                    "name-encoding",
                    _("The package has file names that are not valid UTF-8."),
                )
            ]
        ) from exc
    except (
        zipfile.BadZipFile,
        OSError,
        ValueError,
        EOFError,
        NotImplementedError,
    ) as exc:
        raise PackageRejected(
            [
                Problem(
                    "not-zip",
                    _(
                        "This is not a valid .h5p file (it cannot be read as a ZIP "
                        "archive)."
                    ),
                )
            ]
        ) from exc
    with archive:
        root, content, folders, ignored = _scan_archive(archive, problems)
        problems.raise_if_any()
        try:
            return _inspect_files(
                archive,
                root,
                content,
                folders,
                ignored,
                problems,
                notes,
                can_install_libraries=can_install_libraries,
                installed=installed,
            )
        except (
            zipfile.BadZipFile,
            zipfile.LargeZipFile,
            OSError,
            EOFError,
            NotImplementedError,
        ) as exc:
            logger.info("h5p import: unreadable member: %s", exc)
            raise PackageRejected(
                problems.problems
                + [
                    Problem(
                        "corrupt",
                        _("The package is damaged: a file in it cannot be read."),
                    )
                ]
            ) from exc


def _inspect_files(
    archive,
    root,
    content,
    folders,
    ignored,
    problems,
    notes,
    *,
    can_install_libraries,
    installed,
):
    metadata_limit = conf.get("H5P_MAX_METADATA_JSON_BYTES")
    h5p_json = None
    if "h5p.json" not in root:
        problems.add(
            "h5p-json-missing", _("The package has no h5p.json file at its top level.")
        )
    else:
        h5p_json = _load_json(
            archive, root["h5p.json"], metadata_limit, problems, "h5p.json"
        )
        if h5p_json is not None and not isinstance(h5p_json, dict):
            problems.add("h5p-json", _("h5p.json must contain an object."))
            h5p_json = None
    content_json = None
    if "content.json" not in content:
        problems.add(
            "content-json-missing", _("The package has no content/content.json file.")
        )
    else:
        content_json = _load_json(
            archive,
            content["content.json"],
            conf.get("H5P_MAX_JSON_BYTES"),
            problems,
            "content/content.json",
        )
        if content_json is not None and not isinstance(content_json, dict):
            problems.add(
                "content-json", _("content/content.json must contain an object.")
            )
            content_json = None
    libraries = {}
    for folder, files in sorted(folders.items()):
        library = _check_library(archive, folder, files, problems)
        if library is not None:
            libraries[library.key] = library
    if h5p_json is None or content_json is None:
        problems.raise_if_any()

    # h5p.json: required fields (pyh5p) and the platform's stricter reading.
    main_name = h5p_json.get("mainLibrary")
    dependencies = []
    raw_dependencies = h5p_json.get("preloadedDependencies")
    if isinstance(raw_dependencies, list):
        for item in raw_dependencies:
            try:
                dependencies.append(_dependency_key(item))
            except ValueError:
                problems.add(
                    "dependency",
                    _("h5p.json has an invalid entry in “preloadedDependencies”."),
                )
    main_keys = [key for key in dependencies if key[0] == main_name]
    installed_main = bool(main_keys) and main_keys[0] in installed
    names = [e.name for e in content.values()] + ["h5p.json"]
    names += [f"{lib.folder}/{rel}" for lib in libraries.values() for rel in lib.files]
    for issue in _pyh5p_issues(
        h5p_json, content_json, libraries.values(), names, installed_main
    ):
        field_name = issue.path.rsplit(".", 1)[-1]
        if issue.keyword == "required":
            problems.add(
                "h5p-json-field",
                _("h5p.json lacks the required field “%(field)s”.")
                % {"field": field_name},
            )
        elif issue.keyword == "type":
            problems.add(
                "h5p-json-field",
                _("h5p.json: “%(field)s” has the wrong type.") % {"field": field_name},
            )
        elif issue.keyword == "dependency":
            problems.add(
                "main-library-missing",
                _("The main library %(name)s is neither in the package nor installed.")
                % {"name": str(main_name)[:100]},
            )
        elif issue.keyword == "additionalProperties":
            problems.add(
                "unexpected-file",
                _("“%(name)s” is not inside a valid library folder.")
                % {"name": issue.path.removeprefix("$.package.")[:200]},
            )
        else:
            problems.add("h5p-json", str(issue)[:300])
    if isinstance(main_name, str) and dependencies and not main_keys:
        problems.add(
            "main-library-missing",
            _(
                "h5p.json names %(name)s as its main library but does not list it as "
                "a dependency."
            )
            % {"name": main_name[:100]},
        )
    problems.raise_if_any()
    main_key = main_keys[0]

    # Dependency closure, with the rule for libraries already installed:
    # the installed copy wins unless an administrator brings a newer patch.
    decisions = {}
    order = []
    queue = list(dependencies)
    while queue:
        key = queue.pop(0)
        if key in decisions:
            continue
        package_copy = libraries.get(key)
        installed_copy = installed.get(key)
        if installed_copy is not None:
            if (
                package_copy is not None
                and package_copy.library_id.patch > installed_copy.patch_version
            ):
                if can_install_libraries:
                    decision = LibraryDecision(
                        key, "upgrade", package_copy, installed_copy
                    )
                    notes.append(
                        _("Library %(library)s is upgraded from %(old)s to %(new)s.")
                        % {
                            "library": _key_label(key),
                            "old": installed_copy.version,
                            "new": ".".join(map(str, package_copy.library_id.version)),
                        }
                    )
                else:
                    decision = LibraryDecision(key, "use", None, installed_copy)
                    notes.append(
                        _(
                            "The package brings %(library)s %(new)s; the installed "
                            "%(old)s is used (only an administrator can upgrade "
                            "libraries)."
                        )
                        % {
                            "library": _key_label(key),
                            "new": ".".join(map(str, package_copy.library_id.version)),
                            "old": installed_copy.version,
                        }
                    )
            else:
                decision = LibraryDecision(key, "use", None, installed_copy)
        elif package_copy is not None:
            if not can_install_libraries:
                label = f"{_key_label(key)}.{package_copy.library_id.patch}"
                problems.add(
                    "library-not-installed",
                    _(
                        "Library %(library)s is not installed on the platform yet; "
                        "an administrator must approve it before it can be used."
                    )
                    % {"library": label},
                    subject=label,
                )
                decisions[key] = None
                continue
            decision = LibraryDecision(key, "install", package_copy, None)
        else:
            problems.add(
                "library-missing",
                _(
                    "Library %(library)s is needed but is neither in the package nor "
                    "installed."
                )
                % {"library": _key_label(key)},
            )
            decisions[key] = None
            continue
        decisions[key] = decision
        order.append(decision)
        for item in decision.metadata.get("preloadedDependencies", []) or []:
            try:
                queue.append(_dependency_key(item))
            except ValueError:
                problems.add(
                    "dependency",
                    _("Library %(library)s has an invalid dependency.")
                    % {"library": _key_label(key)},
                )
    main_decision = decisions.get(main_key)
    if main_decision is not None and not main_decision.metadata.get("runnable"):
        problems.add(
            "main-not-runnable",
            _("The main library %(library)s cannot be run on its own.")
            % {"library": _key_label(main_key)},
        )
    for key in sorted(_content_libraries(content_json)):
        if key not in decisions:
            problems.add(
                "sub-content-library",
                _("The content uses %(library)s, which is not among its dependencies.")
                % {"library": _key_label(key)},
            )
    unused = sorted(set(libraries) - set(decisions))
    if unused:
        notes.append(
            ngettext(
                "%(count)s library in the package is not needed to play it "
                "(an editor library) and was not installed.",
                "%(count)s libraries in the package are not needed to play it "
                "(editor libraries) and were not installed.",
                len(unused),
            )
            % {"count": len(unused)}
        )
    if ignored:
        notes.append(
            _("Ignored files at the top level of the package: %(names)s.")
            % {"names": ", ".join(ignored)[:300]}
        )
    problems.raise_if_any()

    # What will be stored: content files and the libraries to install.
    stored = [("content", entry) for entry in content.values()]
    for decision in order:
        if decision.action in ("install", "upgrade"):
            stored += [
                (decision.package.folder, e) for e in decision.package.files.values()
            ]
    replacements = {}
    for _owner, entry in stored:
        _check_file_body(archive, entry, problems, replacements, notes)
    problems.raise_if_any()

    title = clean_title(h5p_json.get("title"), fallback=str(main_name))
    return ImportPlan(
        title=title,
        h5p_json=h5p_json,
        main_key=main_key,
        content_entries=list(content.values()),
        libraries=order,
        replacements=replacements,
        notes=notes,
        file_count=len(stored),
        total_bytes=sum(e.info.file_size for _o, e in stored),
    )


def _check_file_body(archive, entry, problems, replacements, notes):
    extension = entry.extension
    if extension == "svg":
        limit = conf.get("H5P_MAX_SVG_BYTES")
        data = _read_member(archive, entry.info, limit)
        if data is None:
            problems.add(
                "svg-too-large",
                _("Image “%(name)s” is too large for an SVG (at most %(limit)s).")
                % {"name": entry.name, "limit": _mib(limit)},
            )
            return
        try:
            cleaned, report = svg.sanitise(data)
        except svg.SVGRejected:
            problems.add(
                "svg-invalid",
                _(
                    "Image “%(name)s” is not a readable SVG file (or uses a DTD or "
                    "entities)."
                )
                % {"name": entry.name},
            )
            return
        if report.changed:
            replacements[entry.name] = cleaned
        if report.active_content_removed:
            notes.append(
                _("Active content was removed from “%(name)s”: %(what)s.")
                % {"name": entry.name, "what": report.summary()}
            )
        return
    signatures = MAGIC.get(extension)
    if not signatures:
        return
    head = _read_head(archive, entry.info)
    if not any(head[offset : offset + len(sig)] == sig for offset, sig in signatures):
        problems.add(
            "magic",
            _("File “%(name)s” is not really a .%(extension)s file.")
            % {"name": entry.name, "extension": extension},
        )
