"""What a file is, from its bytes (never its name), and a readable .xlsx of it for the ordinary path.

A zip is OOXML (.xlsx/.xlsm, however named), .xlsb (xl/workbook.bin) or .ods (its `mimetype`). An
OLE2 compound file (D0 CF 11 E0) is an encrypted OOXML package (EncryptionInfo + EncryptedPackage
streams), a BIFF8 workbook (a Workbook or Book stream; a FILEPASS record means it is encrypted), or
not a workbook at all (a Word .doc, a PowerPoint .ppt). WPS .et/.ett files are BIFF8 in an OLE2 file
(WPS's own format is the .xls one with WPS additions), and newer WPS may write OOXML under those
names: both are known from their bytes like any other.

`prepared` gives the ordinary reader a path it can read: the user's file itself when it is plain
OOXML; else, in a private temporary folder, the decrypted package (msoffcrypto-tool) and/or the
workbook converted to .xlsx (python-calamine's cached values of every sheet, its merged ranges). The
folder is removed when the check is done, on errors and timeouts too; a worker killed past its time
budget (SIGKILL) cannot clean up, so each `prepared` first removes the folders of processes that no
longer run. The user's file is only ever read.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import msoffcrypto
import olefile
from msoffcrypto import exceptions as crypto_errors

from perfeval.model import Phrase
from perfeval.read import convert
from perfeval.read.workbook import MAX_UNPACKED, Unreadable

ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
TEMP_PREFIX = "perfeval-source-"
ENVIRONMENT = "PERFEVAL_PASSWORD"

# kinds of file: what the bytes say
OOXML, XLSB, ODS, XLS, ENCRYPTED_OOXML, ENCRYPTED_XLS, OTHER_OLE, OTHER = (
    "xlsx", "xlsb", "ods", "xls", "encrypted-xlsx", "encrypted-xls", "other-ole", "other")
CONVERTED = {XLSB: ".xlsb", ODS: ".ods", XLS: ".xls"}       # kinds read through a converted copy


class Password:
    """A password that never shows: its repr and str hide it (tracebacks, logs, pickled arguments
    printed by a debugger); `.text` is the password itself, for the decrypter alone."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return "Password(***)"

    __str__ = __repr__

    def __reduce__(self):
        return (Password, (self.text,))

    @staticmethod
    def given(text: str | None) -> Password | None:
        return Password(text) if text else None


@dataclass(frozen=True)
class Source:
    """The path the reader reads, and what was done to get it (the 汇总 notes say so)."""
    path: Path
    kind: str = OOXML
    decrypted: bool = False
    notes: tuple[Phrase, ...] = field(default=())   # what was done to read it, what the copy lacks

    @property
    def converted(self) -> bool:
        return self.kind in CONVERTED


def classify(path: Path) -> str:
    """The kind of file `path` holds, from its first bytes and, for containers, their contents."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError:
        return OTHER                    # preflight says why it cannot be opened
    if head.startswith(b"PK"):
        return _zip_kind(path)
    if head == OLE2:
        return _ole_kind(path)
    return OTHER


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            kind = XLSB if "xl/workbook.bin" in names else \
                ODS if "mimetype" in names and zf.read("mimetype")[:100].strip() == ODS_MIME else OOXML
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, NotImplementedError, EOFError, zlib.error):
        return OOXML                    # preflight names the damage
    if kind != OOXML and sum(i.file_size for i in infos) > MAX_UNPACKED:
        raise Unreadable("too_big_unpacked")      # before calamine unpacks it (OOXML: preflight's own check)
    return kind


def _ole_kind(path: Path) -> str:
    try:
        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(entry) for entry in ole.listdir(streams=True, storages=False)}
    except Exception:                   # olefile raises many kinds on a damaged or cut-off file
        raise Unreadable("ole_damaged") from None
    if {"EncryptionInfo", "EncryptedPackage"} <= streams:
        return ENCRYPTED_OOXML
    if streams & {"Workbook", "Book"}:
        try:
            with open(path, "rb") as fh:
                return ENCRYPTED_XLS if msoffcrypto.OfficeFile(fh).is_encrypted() else XLS
        except Exception:
            raise Unreadable("ole_damaged") from None
    return OTHER_OLE


def ole_opens(path: Path) -> bool:
    """An OLE2 file whose directory reads (a file still being copied does not)."""
    try:
        with olefile.OleFileIO(str(path)) as ole:
            ole.listdir()
        return True
    except Exception:
        return False


@contextlib.contextmanager
def prepared(path: Path, password: Password | None = None) -> Iterator[Source]:
    """A Source the ordinary reader can read, for as long as the `with` lasts."""
    path = Path(path)
    kind = classify(path)
    if kind == OTHER_OLE:
        raise Unreadable("not_a_workbook_ole")
    if kind in (OOXML, OTHER):
        yield Source(path, kind)        # the ordinary path (preflight refuses what is not a workbook)
        return
    _sweep_orphans()
    folder = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-"))
    try:
        yield _prepare(path, kind, password, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _prepare(path: Path, kind: str, password: Password | None, folder: Path) -> Source:
    decrypted = kind in (ENCRYPTED_OOXML, ENCRYPTED_XLS)
    if decrypted:
        path = _decrypt(path, kind, password, folder)
        kind = OOXML if kind == ENCRYPTED_OOXML else XLS
        if kind == OOXML and classify(path) != OOXML:     # an encrypted .xlsb: converted like any .xlsb
            kind = classify(path)
    notes = (Phrase("source.decrypted"),) if decrypted else ()
    if kind not in CONVERTED:
        return Source(path, kind, decrypted, notes)
    target = folder / "converted.xlsx"
    convert.to_xlsx(path, target, CONVERTED[kind])
    said = "source.converted" if kind == XLS else "source.converted_values"     # .xls: with its column widths
    return Source(target, kind, decrypted, notes + (Phrase(said, {"kind": CONVERTED[kind]}),))


def _decrypt(path: Path, kind: str, password: Password | None, folder: Path) -> Path:
    if password is None:
        raise Unreadable("password_needed")
    target = folder / ("decrypted.xlsx" if kind == ENCRYPTED_OOXML else "decrypted.xls")
    try:
        with open(path, "rb") as fh, open(target, "wb") as out:
            office = msoffcrypto.OfficeFile(fh)
            if kind == ENCRYPTED_OOXML:
                office.load_key(password=password.text, verify_password=True)
            else:
                office.load_key(password=password.text)
            office.decrypt(out)
    except crypto_errors.InvalidKeyError:
        raise Unreadable("password_wrong") from None
    except crypto_errors.DecryptionError as exc:
        if "password" in str(exc).lower() or "key" in str(exc).lower():
            raise Unreadable("password_wrong") from None
        raise Unreadable("encryption_unsupported", detail=_one_line(exc)) from None
    except (crypto_errors.FileFormatError, crypto_errors.ParseError, NotImplementedError, AssertionError) as exc:
        raise Unreadable("encryption_unsupported", detail=_one_line(exc)) from None
    except OSError as exc:
        raise Unreadable("cannot_open", detail=str(exc.strerror or exc)) from None
    except Exception:       # msoffcrypto meets a cut-off stream as many kinds of error
        raise Unreadable("ole_damaged") from None
    return target


def _one_line(exc: BaseException) -> str:
    return " ".join(f"{type(exc).__name__}: {exc}".split())[:120]


def _sweep_orphans() -> None:
    """Remove the temporary folders of processes that no longer run (a worker killed past its time)."""
    root = Path(tempfile.gettempdir())
    try:
        entries = [e for e in os.scandir(root) if e.name.startswith(TEMP_PREFIX) and e.is_dir(follow_symlinks=False)]
    except OSError:
        return
    for entry in entries:
        pid = entry.name[len(TEMP_PREFIX):].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(entry.path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True             # another user's process: alive, and not ours to touch
    return True


AWAITS_PASSWORD = ("reason.password_needed", "reason.password_wrong")


def awaits_password(result) -> bool:
    """Is this SheetResult a file refused for want of its password (never final: a later run may give it)?"""
    return getattr(result.error, "key", None) in AWAITS_PASSWORD
