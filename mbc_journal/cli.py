"""The command line: the same journal service as the GUI.

Every user mistake ends in one sentence on stderr and exit status 2; nothing
already saved is changed.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import errno
import io
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, cast

from mbc_journal import __version__, paths
from mbc_journal.db.cipher import ENV_PASSPHRASE
from mbc_journal.errors import JournalError, NotFoundError, ValidationError
from mbc_journal.model import (
    EntryFilter,
    ItemKind,
    Person,
    Role,
    check_range,
    parse_date,
    parse_time,
)
from mbc_journal.wording import plural, printable

EXIT_OK = 0
EXIT_USER_ERROR = 2
EXIT_INTERNAL_ERROR = 70  # EX_SOFTWARE: a bug, not the user's input

Handler = Callable[[argparse.Namespace, TextIO], int]


def one_line(text: str) -> str:
    """A message quoting what the user typed stays one line: line breaks are shown, and
    no other control character (a terminal's escape sequences) reaches the terminal."""
    text = text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\r")
    return printable(text, keep_line_ends=False)


class OutputError(Exception):
    """What a command prints could not be written (a full disk, a closed output)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _Printable(io.TextIOBase):
    """What a command prints, with user text's control characters shown, not obeyed;
    a failure to write it is an OutputError (a reader that went away stays a
    BrokenPipeError: that is no failure)."""

    def __init__(self, inner: TextIO | None) -> None:
        self._inner = inner

    def write(self, text: str) -> int:
        self._call(lambda inner: inner.write(printable(text)))
        return len(text)

    def flush(self) -> None:
        self._call(lambda inner: inner.flush())

    def _call(self, action: Callable[[TextIO], object]) -> None:
        if self._inner is None:
            raise OutputError("the output is closed")
        try:
            action(self._inner)
        except BrokenPipeError:
            raise
        except OSError as error:
            if error.errno == errno.EPIPE:
                raise BrokenPipeError(*error.args) from None
            raise OutputError(_os_reason(error)) from None
        except ValueError:  # "I/O operation on closed file"
            raise OutputError("the output is closed") from None


def _os_reason(error: OSError) -> str:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full"
    if error.errno == errno.EBADF:
        return "the output is closed"
    return (error.strerror or type(error).__name__).lower()


class _Parser(argparse.ArgumentParser):
    """argparse, but its errors are one sentence and exit 2 (its default code)."""

    def _print_message(self, message: str, file: Any = None) -> None:
        """Help and the version, written (argparse would hide a full or closed output
        and exit 0 as if they had been shown)."""
        if not message:
            return
        file = file or sys.stderr
        try:
            file.write(message)
            file.flush()
        except (OSError, ValueError) as error:
            reason = _os_reason(error) if isinstance(error, OSError) else "the output is closed"
            with contextlib.suppress(OSError, ValueError):
                sys.stderr.write(f"mbc-journal: The output could not be written ({reason}).\n")
            with contextlib.suppress(OSError):
                sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - nothing more to flush
            raise SystemExit(EXIT_USER_ERROR) from None

    def error(self, message: str) -> None:  # type: ignore[override]
        text = one_line(message[0].upper() + message[1:])
        self.exit(
            EXIT_USER_ERROR, f"mbc-journal: {text.rstrip('.')}. (See '{self.prog} --help'.)\n"
        )


def _date(text: str) -> dt.date:
    try:
        return parse_date(text)
    except ValidationError as error:
        raise argparse.ArgumentTypeError(str(error).rstrip(".")) from None


def _time(text: str) -> dt.time:
    try:
        return parse_time(text)
    except ValidationError as error:
        raise argparse.ArgumentTypeError(str(error).rstrip(".")) from None


def _positive_days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of days") from None
    return days


def build_parser() -> argparse.ArgumentParser:
    journal_opts = _Parser(add_help=False)
    journal_opts.add_argument(
        "--db",
        type=Path,
        default=argparse.SUPPRESS,
        metavar="PATH",
        help="use the journal file at PATH (default: $MBC_JOURNAL_DB or your data folder)",
    )
    journal_opts.add_argument(
        "--demo",
        action="store_true",
        default=argparse.SUPPRESS,
        help="use the demo journal (invented data); your own journal is not touched",
    )
    journal_opts.add_argument(
        "--passphrase-file",
        type=Path,
        default=argparse.SUPPRESS,
        metavar="FILE",
        help="an encrypted journal's passphrase, read from the first line of FILE (else "
        f"${ENV_PASSPHRASE}, which other programs of yours can read, else you are asked)",
    )
    parser = _Parser(
        prog="mbc-journal",
        description="MBC Journal: a private symptom journal. With no command, opens the app.",
        parents=[journal_opts],
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    log = commands.add_parser(
        "log",
        parents=[journal_opts],
        help="log one symptom, event or measurement",
        description="Log one item. VALUE is a rating 0-10, 'yes' or a count for an event, "
        "or a number with an optional unit for a measurement (38.2, 100.4F, 70kg, 154lb); "
        "a number without a unit is in your unit (see 'units').",
    )
    log.add_argument("symptom", metavar="SYMPTOM", help="symptom id or name (see 'symptoms')")
    log.add_argument("value", metavar="VALUE")
    log.add_argument(
        "--date",
        type=_date,
        default=None,
        metavar="D",
        help="the day it happened: YYYY-MM-DD, 'today' or 'yesterday' (default: today)",
    )
    log.add_argument("--time", type=_time, default=None, metavar="HH:MM")
    log.add_argument("--note", default="", metavar="TEXT")
    log.add_argument(
        "--by",
        default=None,
        metavar="NAME",
        help="a caregiver's name, if a caregiver is entering this (default: the patient)",
    )
    log.set_defaults(handler=cmd_log)

    lst = commands.add_parser("list", parents=[journal_opts], help="show entries as a table")
    lst.add_argument("--from", dest="date_from", type=_date, default=None, metavar="D")
    lst.add_argument("--to", dest="date_to", type=_date, default=None, metavar="D")
    lst.add_argument(
        "--site", default=None, help="brain, bone, lungs, liver, general, measurements"
    )
    lst.add_argument(
        "--symptom",
        action="append",
        default=None,
        metavar="SYMPTOM",
        help="only this symptom (may be repeated)",
    )
    lst.add_argument("--by", default=None, metavar="NAME", help="only entries by this person")
    lst.add_argument("--deleted", action="store_true", help="include deleted entries")
    lst.set_defaults(handler=cmd_list)

    hist = commands.add_parser(
        "history",
        parents=[journal_opts],
        help="show an entry's earlier versions, or bring one back",
        description="Every change to an entry keeps what it held before. ENTRY is the "
        "number in the Id column of 'list'.",
    )
    hist.add_argument("entry", type=_record_id, metavar="ENTRY")
    hist.add_argument(
        "--bring-back",
        dest="bring_back",
        type=_version_number,
        default=None,
        metavar="VERSION",
        help="make this earlier version the entry's current one (what it holds now is kept)",
    )
    hist.set_defaults(handler=cmd_history)

    sym = commands.add_parser("symptoms", parents=[journal_opts], help="list the symptom catalogue")
    sym.set_defaults(handler=cmd_symptoms)

    units = commands.add_parser(
        "units",
        parents=[journal_opts],
        help="show or choose the units for temperature and weight (new readings, the report)",
        description="With no option, shows the units; each option chooses one.",
    )
    units.add_argument("--temperature", metavar="C|F", help="°C or °F")
    units.add_argument("--weight", metavar="KG|LB", help="kg or lb")
    units.set_defaults(handler=cmd_units)

    demo = commands.add_parser(
        "demo",
        parents=[journal_opts],
        help="make the demo journal (invented data)",
        description="Create the demo journal (or fill the new, empty journal given with --db).",
    )
    demo.add_argument(
        "--days",
        type=_positive_days,
        default=120,
        metavar="N",
        help="how many days of entries, up to 7320 (20 years); default 120",
    )
    demo.set_defaults(handler=cmd_demo)

    sig = commands.add_parser(
        "signals",
        parents=[journal_opts],
        help="safety signals: what to tell your care team",
    )
    sig.add_argument("--from", dest="date_from", type=_date, default=None, metavar="D")
    sig.add_argument("--to", dest="date_to", type=_date, default=None, metavar="D")
    sig.add_argument(
        "--all", dest="show_all", action="store_true", help="include information-only signals"
    )
    sig.set_defaults(handler=cmd_signals)

    _care_plan_parsers(commands, journal_opts)

    rep = commands.add_parser(
        "report",
        parents=[journal_opts],
        help="make the follow-up report (PDF)",
        description="Make the PDF summary for a follow-up visit. The period defaults to "
        "'since the last appointment', else the last 30 days.",
    )
    rep.add_argument("--from", dest="date_from", type=_date, default=None, metavar="D")
    rep.add_argument("--to", dest="date_to", type=_date, default=None, metavar="D")
    rep.add_argument(
        "--sections",
        default=None,
        metavar="LIST",
        help="comma-separated, from: sites, charts, measurements, results, notes, "
        "caregiver (page 1 is always included; default: all)",
    )
    rep.add_argument(
        "--sites",
        default=None,
        metavar="LIST",
        help="comma-separated organ sites (default: every site with entries)",
    )
    rep.add_argument("--page", default="A4", choices=["A4", "Letter"])
    rep.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    rep.set_defaults(handler=cmd_report)

    exp = commands.add_parser("export", parents=[journal_opts], help="export to CSV, JSON or FHIR")
    exp.add_argument(
        "--format",
        required=True,
        choices=["csv", "json", "fhir", "fhir-transaction"],
        help="fhir-transaction: the FHIR bundle as a transaction a server can ingest",
    )
    exp.add_argument("--from", dest="date_from", type=_date, default=None, metavar="D")
    exp.add_argument("--to", dest="date_to", type=_date, default=None, metavar="D")
    exp.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    exp.set_defaults(handler=cmd_export)
    imp = commands.add_parser(
        "import",
        parents=[journal_opts],
        help="import an MBC Journal CSV or JSON export",
        description="Import a CSV or JSON export. The whole file is checked first; if any "
        "part is wrong, nothing is imported. Entries already in the journal are skipped.",
    )
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.set_defaults(handler=cmd_import)

    bak = commands.add_parser("backup", parents=[journal_opts], help="back up the journal now")
    bak.add_argument(
        "-o",
        "--output",
        type=Path,
        default=None,
        metavar="FILE",
        help="where to write it (default: the journal's backup folder)",
    )
    bak.set_defaults(handler=cmd_backup)
    res = commands.add_parser(
        "restore",
        parents=[journal_opts],
        help="restore the journal from a backup file",
        description="Restore from a backup. The journal as it is now is backed up first.",
    )
    res.add_argument("file", type=Path, metavar="FILE")
    res.set_defaults(handler=cmd_restore)
    lst_b = commands.add_parser("backups", parents=[journal_opts], help="list the backups")
    lst_b.set_defaults(handler=cmd_backups)

    check = commands.add_parser("check", parents=[journal_opts], help="check the journal's health")
    check.set_defaults(handler=cmd_check)

    inst = commands.add_parser(
        "install-desktop", help="add MBC Journal to this Linux desktop's applications menu"
    )
    inst.set_defaults(handler=cmd_install_desktop)
    uninst = commands.add_parser("uninstall-desktop", help="remove it from the menu again")
    uninst.set_defaults(handler=cmd_uninstall_desktop)

    _add_encryption_commands(commands, journal_opts)
    return parser


def _add_encryption_commands(commands: Any, journal_opts: argparse.ArgumentParser) -> None:
    new_opts = _Parser(add_help=False)
    new_opts.add_argument(
        "--new-passphrase-file",
        type=Path,
        default=None,
        metavar="FILE",
        help="the new passphrase, read from the first line of FILE (else you are asked twice)",
    )
    recovery_opts = _Parser(add_help=False)
    recovery_opts.add_argument(
        "--no-recovery-key",
        action="store_true",
        help="make no recovery key (then a forgotten passphrase cannot be recovered)",
    )
    enc = commands.add_parser(
        "encrypt",
        parents=[journal_opts, new_opts, recovery_opts],
        help="encrypt the journal and its backups with a passphrase",
        description="Encrypt the journal and its backups with a passphrase (SQLCipher 4). "
        "A recovery key is printed, to keep apart from the computer. Reports and exports "
        "stay plain files.",
    )
    enc.set_defaults(handler=cmd_encrypt)
    dec = commands.add_parser(
        "decrypt",
        parents=[journal_opts],
        help="store the journal and its backups unencrypted again",
    )
    dec.set_defaults(handler=cmd_decrypt)
    pas = commands.add_parser(
        "passphrase", help="change an encrypted journal's passphrase, or recover it"
    )
    pas_cmds = pas.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    pas_cmds.required = True
    change = pas_cmds.add_parser(
        "change",
        parents=[journal_opts, new_opts, recovery_opts],
        help="set a new passphrase (the journal and its backups are re-encrypted)",
    )
    change.set_defaults(handler=cmd_passphrase_change)
    recover = pas_cmds.add_parser(
        "recover",
        parents=[journal_opts, new_opts, recovery_opts],
        help="set a new passphrase with the recovery key",
    )
    recover.add_argument(
        "--recovery-key-file",
        type=Path,
        default=None,
        metavar="FILE",
        help="the recovery key, read from FILE (else you are asked)",
    )
    recover.set_defaults(handler=cmd_passphrase_recover)
    key = pas_cmds.add_parser(
        "recovery-key",
        parents=[journal_opts],
        help="make a new recovery key (the old one stops working)",
    )
    key.set_defaults(handler=cmd_recovery_key)


def _future_date(text: str) -> dt.date:
    try:
        return parse_date(text, allow_future=True)
    except ValidationError as error:
        raise argparse.ArgumentTypeError(str(error).rstrip(".")) from None


def _record_id(text: str) -> int:
    """A record number as 'list' shows it (SQLite keeps them below 2^63)."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text[:40]}' is not a record number") from None
    if not 1 <= number < 2**63:
        raise argparse.ArgumentTypeError(
            f"'{text[:40]}' is not a record number (see the Id column of 'list')"
        )
    return number


def _version_number(text: str) -> int:
    """An earlier version's number, as 'history ENTRY' lists it (1 is the oldest)."""
    if not text.isdigit() or not 1 <= int(text) <= 1_000_000:
        raise argparse.ArgumentTypeError(
            f"'{one_line(text)[:40]}' is not a version number (see the Version column of "
            f"'mbc-journal history ENTRY')"
        )
    return int(text)


def _number(text: str) -> float:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None


if TYPE_CHECKING:  # argparse's generic exists only for the type checker
    from mbc_journal.journal import Journal
    from mbc_journal.signals import SafetySignal

    Actions = argparse._SubParsersAction[argparse.ArgumentParser]


def _action_group(commands: Actions, name: str, help: str, opts: _Parser) -> Actions:
    """A command with actions of its own (``treatment add|end|list`` and the like)."""
    group = commands.add_parser(name, parents=[opts], help=help)
    actions: Actions = group.add_subparsers(
        dest="action", metavar="ACTION", required=True, parser_class=_Parser
    )
    return actions


def _care_plan_parsers(commands: argparse._SubParsersAction, opts: _Parser) -> None:  # type: ignore[type-arg]
    from mbc_journal.careplan import AppointmentKind, TreatmentKind

    t_cmds = _action_group(commands, "treatment", "treatments in your care plan", opts)
    t_add = t_cmds.add_parser("add", parents=[opts], help="add a treatment")
    t_add.add_argument("kind", metavar="KIND", help=", ".join(k.value for k in TreatmentKind))
    t_add.add_argument("name", metavar="NAME")
    t_add.add_argument("--start", type=_future_date, default=None, metavar="D")
    t_add.add_argument("--end", type=_future_date, default=None, metavar="D")
    t_add.add_argument("--details", default="", metavar="TEXT", help="dose or schedule")
    t_add.set_defaults(handler=cmd_treatment_add)
    t_end = t_cmds.add_parser("end", parents=[opts], help="record that a treatment ended")
    t_end.add_argument("id", type=_record_id, metavar="ID")
    t_end.add_argument("--date", type=_date, default=None, metavar="D")
    t_end.set_defaults(handler=cmd_treatment_end)
    t_list = t_cmds.add_parser("list", parents=[opts], help="list treatments")
    t_list.set_defaults(handler=cmd_treatment_list)

    a_cmds = _action_group(commands, "appointment", "appointments", opts)
    a_add = a_cmds.add_parser("add", parents=[opts], help="add an appointment")
    a_add.add_argument("date", type=_future_date, metavar="DATE")
    a_add.add_argument("--time", type=_time, default=None, metavar="HH:MM")
    a_add.add_argument("--with", dest="with_whom", default="", metavar="WHO")
    a_add.add_argument(
        "--kind", default="follow_up", help=", ".join(k.value for k in AppointmentKind)
    )
    a_add.add_argument("--notes", default="", metavar="TEXT")
    a_add.set_defaults(handler=cmd_appointment_add)
    a_list = a_cmds.add_parser("list", parents=[opts], help="list appointments")
    a_list.set_defaults(handler=cmd_appointment_list)

    q_cmds = _action_group(commands, "question", "questions for your doctor", opts)
    q_add = q_cmds.add_parser("add", parents=[opts], help="add a question")
    q_add.add_argument("text", metavar="TEXT")
    q_add.add_argument(
        "--for",
        dest="appointment",
        type=_record_id,
        default=None,
        metavar="APPT_ID",
        help="the appointment to ask it at (see 'appointment list')",
    )
    q_add.set_defaults(handler=cmd_question_add)
    q_list = q_cmds.add_parser("list", parents=[opts], help="list questions")
    q_list.add_argument("--open", dest="open_only", action="store_true")
    q_list.set_defaults(handler=cmd_question_list)
    q_answer = q_cmds.add_parser("answer", parents=[opts], help="write down the answer")
    q_answer.add_argument("id", type=_record_id, metavar="ID")
    q_answer.add_argument("answer", metavar="ANSWER", nargs="?", default="")
    q_answer.set_defaults(handler=cmd_question_answer)

    r_cmds = _action_group(commands, "result", "lab and scan results", opts)
    r_add = r_cmds.add_parser("add", parents=[opts], help="add a lab value or a scan summary")
    r_add.add_argument("name", metavar="NAME")
    r_add.add_argument("value", metavar="VALUE", nargs="?", type=_number, default=None)
    r_add.add_argument("--unit", default="")
    r_add.add_argument("--low", type=_number, default=None, help="reference range, lower limit")
    r_add.add_argument("--high", type=_number, default=None, help="reference range, upper limit")
    r_add.add_argument("--summary", default="", metavar="TEXT", help="for a scan")
    r_add.add_argument("--date", type=_date, default=None, metavar="D")
    r_add.set_defaults(handler=cmd_result_add)
    r_list = r_cmds.add_parser("list", parents=[opts], help="list results")
    r_list.set_defaults(handler=cmd_result_list)


def cmd_treatment_add(args: argparse.Namespace, out: TextIO) -> int:
    with open_journal(args) as journal:
        t = journal.add_treatment(
            args.kind, args.name, args.start or dt.date.today(), end=args.end, details=args.details
        )
    out.write(f"Added treatment {t.id}: {t.label} from {t.start.isoformat()}.\n")
    return EXIT_OK


def cmd_treatment_end(args: argparse.Namespace, out: TextIO) -> int:
    with open_journal(args) as journal:
        t = journal.end_treatment(args.id, args.date or dt.date.today())
    out.write(f"Treatment {t.id} ({t.label}) ended on {t.end.isoformat() if t.end else ''}.\n")
    return EXIT_OK


def cmd_treatment_list(args: argparse.Namespace, out: TextIO) -> int:
    with open_journal(args, create=False) as journal:
        rows = [
            [
                str(t.id),
                t.kind.label,
                t.name,
                t.start.isoformat(),
                t.end.isoformat() if t.end else "ongoing",
                t.details,
            ]
            for t in journal.treatments()
        ]
    _write_table(out, ["Id", "Kind", "Name", "Start", "End", "Details"], rows, "No treatments yet.")
    return EXIT_OK


def cmd_appointment_add(args: argparse.Namespace, out: TextIO) -> int:
    with open_journal(args) as journal:
        a = journal.add_appointment(
            args.date, args.kind, time=args.time, with_whom=args.with_whom, notes=args.notes
        )
    out.write(f"Added appointment {a.id}: {a.label}.\n")
    return EXIT_OK


def cmd_appointment_list(args: argparse.Namespace, out: TextIO) -> int:
    with open_journal(args, create=False) as journal:
        rows = [
            [
                str(a.id),
                a.day.isoformat(),
                a.time.strftime("%H:%M") if a.time else "",
                a.kind.label,
                a.with_whom,
                " ".join(a.notes.split())[:40],
            ]
            for a in journal.appointments()
        ]
    _write_table(out, ["Id", "Date", "Time", "Kind", "With", "Notes"], rows, "No appointments yet.")
    return EXIT_OK


def cmd_question_add(args: argparse.Namespace, out: TextIO) -> int:
    with open_journal(args) as journal:
        q = journal.add_question(args.text, appointment_id=args.appointment)
    out.write(f"Added question {q.id}.\n")
    return EXIT_OK


def cmd_question_list(args: argparse.Namespace, out: TextIO) -> int:
    with open_journal(args, create=False) as journal:
        rows = [
            [str(q.id), q.status.value, q.text, q.answer]
            for q in journal.questions(open_only=args.open_only)
        ]
    _write_table(out, ["Id", "Status", "Question", "Answer"], rows, "No questions.")
    return EXIT_OK


def cmd_question_answer(args: argparse.Namespace, out: TextIO) -> int:
    with open_journal(args) as journal:
        q = journal.answer_question(args.id, args.answer, asked_only=not args.answer)
    out.write(f"Question {q.id} marked {q.status.value}.\n")
    return EXIT_OK


def cmd_result_add(args: argparse.Namespace, out: TextIO) -> int:
    with open_journal(args) as journal:
        r = journal.add_result(
            args.name,
            args.date or dt.date.today(),
            value=args.value,
            unit=args.unit,
            ref_low=args.low,
            ref_high=args.high,
            summary=args.summary,
        )
    out.write(f"Added result {r.id}: {r.name} {r.display} on {r.day.isoformat()}.\n")
    return EXIT_OK


def cmd_result_list(args: argparse.Namespace, out: TextIO) -> int:
    with open_journal(args, create=False) as journal:
        rows = [[str(r.id), r.day.isoformat(), r.name, r.display] for r in journal.results()]
    _write_table(out, ["Id", "Date", "Name", "Result"], rows, "No results yet.")
    return EXIT_OK


# --- choosing the journal --------------------------------------------------


def journal_path(args: argparse.Namespace, *, unlock: bool = True) -> Path:
    """The journal a command works on; an encrypted one is unlocked here (its passphrase
    from --passphrase-file, $MBC_JOURNAL_PASSPHRASE or a prompt), once per command."""
    path = _journal_path(args)
    if unlock:
        unlock_file(path, args)
    return path


def _journal_path(args: argparse.Namespace) -> Path:
    for name in ("MBC_JOURNAL_DB", "MBC_JOURNAL_HOME"):
        value = os.environ.get(name, "")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValidationError(
                f"{name} holds a name that is not valid text (UTF-8); set it to a folder or "
                f"file name written in UTF-8."
            ) from None
    if getattr(args, "demo", False):
        if getattr(args, "db", None) is not None:
            raise ValidationError("Use either --db or --demo, not both.")
        return paths.demo_journal_path()
    db = getattr(args, "db", None)
    path = Path(db).expanduser() if db is not None else paths.default_journal_path()
    return resolved(path)


def resolved(path: Path) -> Path:
    """The journal's real, absolute path: a symbolic link to it gets the same lock and
    backups folder as the file itself, and 'file:…' is never read as an SQLite address.
    A path the system refuses (a name too long, a loop of links) or a link to a folder
    that does not exist is one sentence naming what the user gave."""
    shown = paths.short(path)
    try:
        real = path.resolve()
    except RuntimeError:  # Python 3.12: a loop of symbolic links
        raise ValidationError(
            f"{shown} cannot be used as a journal (it is a loop of symbolic links)."
        ) from None
    except OSError as error:
        raise ValidationError(
            f"{shown} cannot be used as a journal ({_os_reason(error)})."
        ) from None
    try:
        os.stat(real)
    except (FileNotFoundError, NotADirectoryError):
        if path.is_symlink() and not real.parent.is_dir():
            raise NotFoundError(
                f"{shown} is a symbolic link to {paths.short(real)}, but the folder "
                f"{paths.short(real.parent)} it points into does not exist; fix the link or "
                f"give another --db. Nothing was changed."
            ) from None
    except OSError as error:  # a name too long for the file system, a loop of links
        raise ValidationError(
            f"{shown} cannot be used as a journal ({_os_reason(error)}); give a shorter "
            f"or another path with --db. Nothing was changed."
        ) from None
    return real


# A command waits this long for another command to finish with the journal (never for
# the app: a journal open in the app is refused at once).
LOCK_WAIT_S = 10.0


@contextlib.contextmanager
def writing(path: Path) -> Iterator[None]:
    """Hold the journal's one-writer lock for a command that changes it."""
    from mbc_journal.operations import COMMAND, JournalLock, refuse_other_files

    refuse_other_files(path)  # before the lock: no lock file beside another program's file
    paths.check_journal_folder(path)
    lock = JournalLock(path, COMMAND)
    lock.acquire(timeout=LOCK_WAIT_S)
    try:
        yield
    finally:
        lock.release()


@contextlib.contextmanager
def open_journal(args: argparse.Namespace, *, create: bool = True) -> Iterator[Journal]:
    """The journal the command works on. Commands that change it (``create=True``) hold
    its lock, so they never write under the app's feet; commands that only read pass
    ``create=False``: they never make the user's journal (one sentence instead, exit 2)
    and run beside the app (and on a read-only disk). The demo journal is made on first
    use either way."""
    from mbc_journal.operations import open_for_reading

    path = journal_path(args)
    make = getattr(args, "demo", False) and not path.exists()
    if not create and not make and not path.exists():
        raise NotFoundError(
            f"There is no journal at {path} yet; it is made when you open the app or log "
            f"a first entry (mbc-journal log …)."
        )
    with writing(path) if create or make else contextlib.nullcontext():
        if make:
            journal = make_demo(path, days=120)
        elif create:
            from mbc_journal.db import encryption
            from mbc_journal.journal import Journal

            journal = Journal.open(path)
            encryption.finish(path)
        else:
            journal = open_for_reading(path)
        with journal:
            yield journal


def make_demo(path: Path, *, days: int, replace: bool = True) -> Journal:
    from mbc_journal import operations

    return operations.make_demo(path, days=days, replace=replace)


# --- passphrases -----------------------------------------------------------------


def _first_line(path: Path, what: str) -> str:
    """The first line of a file ('-': the standard input), without a byte-order mark
    (Notepad writes one, and it would silently become part of a passphrase)."""
    try:
        if str(path) == "-":
            text = sys.stdin.buffer.read().decode("utf-8") if sys.stdin else ""
        else:
            text = paths.check_input_file(Path(path).expanduser(), what).read_text("utf-8")
    except UnicodeDecodeError:
        raise ValidationError(
            f"{paths.short(path)} is not UTF-8 text; write {what} in it as text."
        ) from None
    except OSError as error:
        raise ValidationError(
            f"{paths.short(path)} could not be read ({_os_reason(error)})."
        ) from None
    text = text.removeprefix("\ufeff")
    line = text.splitlines()[0] if text.splitlines() else ""
    if not line:
        raise ValidationError(f"{paths.short(path)} is empty; write {what} on its first line.")
    return line


def _ask(prompt: str) -> str | None:
    """A passphrase typed at the terminal (not echoed), or None with no terminal."""
    if not (sys.stdin and sys.stdin.isatty()):
        return None
    import getpass

    try:
        typed = getpass.getpass(prompt)
    except EOFError:  # Ctrl+D
        raise ValidationError("No passphrase was typed; nothing was changed.") from None
    return typed.removeprefix("\ufeff")


def given_passphrase(args: argparse.Namespace) -> str | None:
    """The passphrase given to this command (--passphrase-file, else the environment)."""
    given = getattr(args, "passphrase_file", None)
    if given is not None:
        return _first_line(given, "the passphrase")
    return os.environ.get(ENV_PASSPHRASE) or None


def read_passphrase(
    args: argparse.Namespace, path: Path, *, asked: bool = False, what: str = "journal"
) -> str:
    """An encrypted journal's passphrase: --passphrase-file, $MBC_JOURNAL_PASSPHRASE,
    then a prompt (``asked``: only the prompt); one sentence if none can be had."""
    from mbc_journal.errors import PassphraseNeededError

    given = None if asked else given_passphrase(args)
    if given is not None:
        return given
    typed = _ask(f"Passphrase for {path.name}: ")
    if typed is None:
        raise PassphraseNeededError(
            f"The {what} {path.name} is encrypted; give its passphrase with "
            f"--passphrase-file FILE or in {ENV_PASSPHRASE}, or run the command in a "
            f"terminal to be asked. Nothing was changed.",
            path,
        )
    return typed


def unlock_file(path: Path, args: argparse.Namespace, *, journal: bool = True) -> None:
    """Make an encrypted journal (or, ``journal=False``, a backup) at ``path`` readable
    for this command: the passphrase given, else asked at the terminal, three tries.
    A plain journal keeps a given passphrase too, for backups still encrypted."""
    from mbc_journal.db import cipher, encryption
    from mbc_journal.errors import PassphraseNeededError, WrongPassphraseError

    if not path.is_file() or not cipher.is_encrypted(path):
        with contextlib.suppress(JournalError):  # a plain journal needs none: never refused
            given = given_passphrase(args) if cipher.available() else None
            if given:
                cipher.remember(given)  # for backups a killed decrypt left encrypted
        return
    try:
        cipher.key_for(path)
        return
    except PassphraseNeededError:
        pass  # none known yet, or the ones known open other files, not this one
    given = given_passphrase(args)
    terminal = bool(sys.stdin and sys.stdin.isatty())
    what = "journal" if journal else "backup"
    for attempt in range(4 if given is not None else 3):
        passphrase = (
            given if given is not None else read_passphrase(args, path, asked=True, what=what)
        )
        try:
            if journal:
                encryption.unlock(path, passphrase)
            else:
                cipher.unlock(path, passphrase)
            return
        except (WrongPassphraseError, ValidationError) as error:
            # The passphrase given is the journal's: a backup under another one is asked
            # at a terminal; an empty line at the prompt is another try.
            if given is not None:
                if journal or not terminal:
                    raise
                given = None
                continue
            if attempt >= 2:
                raise
            sys.stderr.write(
                "That passphrase does not open it; try again.\n"
                if isinstance(error, WrongPassphraseError)
                else "No passphrase was typed; try again.\n"
            )


def new_passphrase(args: argparse.Namespace) -> str:
    """A new passphrase: --new-passphrase-file (or, for encrypt, --passphrase-file or the
    environment), else typed twice at the terminal."""
    from mbc_journal.db import cipher

    given = getattr(args, "new_passphrase_file", None)
    if given is not None:
        passphrase = _first_line(given, "the new passphrase")
    else:
        first = _ask("New passphrase: ")
        if first is None:
            raise ValidationError(
                "A new passphrase is needed: give it with --new-passphrase-file FILE, or run "
                "the command in a terminal to be asked. Nothing was changed."
            )
        problem = cipher.new_passphrase_problem(first)
        if problem:
            raise ValidationError(problem + " Nothing was changed.")
        if _ask("The same passphrase again: ") != first:
            raise ValidationError("The two passphrases differ; nothing was changed.")
        passphrase = first
    cipher.check_passphrase_text(passphrase)
    problem = cipher.new_passphrase_problem(passphrase)
    if problem:
        raise ValidationError(problem + " Nothing was changed.")
    return passphrase


FORGOTTEN = (
    "If the passphrase is forgotten, nobody can open the journal, not even MBC Journal's makers"
)


def _say_recovery(out: TextIO, path: Path, passphrase: str, args: argparse.Namespace) -> None:
    from mbc_journal.db import encryption

    if getattr(args, "no_recovery_key", False):
        out.write(f"No recovery key was made. {FORGOTTEN}.\n")
        return
    key = encryption.make_recovery_key(path, passphrase)
    out.write(
        f"Recovery key: {key}\n"
        f"Print it or write it down, and keep it away from this computer: with it "
        f"('mbc-journal passphrase recover') a new passphrase can be set. Without the "
        f"passphrase and this key, nobody can open the journal.\n"
    )


def _said_backups(done: object) -> str:
    backups = getattr(done, "backups", 0)
    skipped = getattr(done, "skipped", 0)
    text = f" and {plural(backups, 'backup')}" if backups else ""
    if skipped:
        text += (
            f"; {plural(skipped, 'older backup')} under another passphrase "
            f"{'was' if skipped == 1 else 'were'} left as "
            f"{'it was' if skipped == 1 else 'they were'}"
        )
    failed = getattr(done, "failed", "")
    if failed:
        count = getattr(done, "not_rewritten", 1)
        text += (
            f". But {plural(count, 'backup')} could not be rewritten now and "
            f"{'is' if count == 1 else 'are'} kept whole as before ({failed.rstrip('.')}); "
            f"the next time the journal opens with room on the disk, "
            f"{'it is' if count == 1 else 'they are'} rewritten"
        )
    return text


def _plain_note(path: Path, why: str) -> str:
    """Said after a report or export of an encrypted journal: that file is not."""
    from mbc_journal.db import cipher

    if not cipher.is_encrypted(path):
        return ""
    return f"It is not encrypted ({why}): keep it somewhere private.\n"


def cmd_encrypt(args: argparse.Namespace, out: TextIO) -> int:
    from mbc_journal.db import cipher, encryption

    path = journal_path(args)
    if not path.is_file():
        raise NotFoundError(f"There is no journal at {path} yet; nothing was encrypted.")
    with writing(path):
        if cipher.is_encrypted(path):
            missing = not encryption.recovery_path(path).exists()
            raise ValidationError(
                f"The journal {path.name} is already encrypted; to change its passphrase "
                f"use 'mbc-journal passphrase change'"
                + (
                    ", and to make its recovery key 'mbc-journal passphrase recovery-key'."
                    if missing
                    else "."
                )
            )
        given = getattr(args, "passphrase_file", None) or os.environ.get(ENV_PASSPHRASE)
        if args.new_passphrase_file is None and given:
            passphrase = read_passphrase(args, path)  # for scripts: the one given
        else:
            passphrase = new_passphrase(args)
        done = encryption.encrypt(path, passphrase)
        out.write(
            f"Encrypted the journal {path.name}{_said_backups(done)}. Reports and exports "
            f"you make stay plain files: keep them somewhere private.\n"
        )
        _say_recovery(out, path, passphrase, args)
    return EXIT_OK


def cmd_decrypt(args: argparse.Namespace, out: TextIO) -> int:
    from mbc_journal.db import encryption

    path = journal_path(args)
    with writing(path):
        done = encryption.decrypt(path)
    out.write(
        f"The journal {path.name}{_said_backups(done)} "
        f"{'are' if done.backups else 'is'} stored unencrypted again.\n"
    )
    return EXIT_OK


def cmd_passphrase_change(args: argparse.Namespace, out: TextIO) -> int:
    from mbc_journal.db import encryption

    path = journal_path(args)
    with writing(path):
        passphrase = new_passphrase(args)
        done = encryption.change_passphrase(path, passphrase)
        out.write(
            f"The passphrase is changed for {path.name}{_said_backups(done)}. The old "
            f"recovery key no longer works.\n"
        )
        _say_recovery(out, path, passphrase, args)
    return EXIT_OK


def cmd_passphrase_recover(args: argparse.Namespace, out: TextIO) -> int:
    from mbc_journal.db import cipher, encryption

    path = journal_path(args, unlock=False)
    if not path.is_file() or not cipher.is_encrypted(path):
        raise ValidationError(f"{path.name} is not an encrypted journal; nothing to recover.")
    if args.recovery_key_file is not None:
        key = _first_line(args.recovery_key_file, "the recovery key")
    else:
        typed = _ask("Recovery key: ")
        if typed is None:
            raise ValidationError(
                "The recovery key is needed: give it with --recovery-key-file FILE, or run "
                "the command in a terminal to be asked."
            )
        key = typed
    old = encryption.recover_passphrase(path, key)
    cipher.remember(old)
    with writing(path):
        passphrase = new_passphrase(args)
        done = encryption.change_passphrase(path, passphrase)
        out.write(f"A new passphrase is set for {path.name}{_said_backups(done)}.\n")
        _say_recovery(out, path, passphrase, args)
    return EXIT_OK


def cmd_recovery_key(args: argparse.Namespace, out: TextIO) -> int:
    from mbc_journal.db import cipher

    path = journal_path(args, unlock=False)
    if not path.is_file() or not cipher.is_encrypted(path):
        raise ValidationError(
            f"{path.name} is not encrypted; a recovery key is for an encrypted journal."
        )
    passphrase = read_passphrase(args, path)
    cipher.unlock(path, passphrase)
    with writing(path):
        _say_recovery(out, path, passphrase, args)
    return EXIT_OK


# --- commands -----------------------------------------------------------------


def cmd_log(args: argparse.Namespace, out: TextIO) -> int:
    with open_journal(args) as journal:
        person = _person(args.by, journal.profile_name())
        draft = journal.draft_from_text(
            args.symptom, args.value, time=args.time, note=args.note, preferred_unit=True
        )
        day = args.date or dt.date.today()
        before = {e.id: e for e in journal.entries_on(day)}
        entry = journal.add_entry(draft, day=day, person=person)
        item = journal.catalogue.item(entry.item_id)
        who = f" by caregiver {person.name}" if person.is_caregiver else ""
        value = item.format_value(entry.value, entry.unit)
        was = before.get(entry.id)
        at = f" at {entry.time:%H:%M}" if entry.time else ""
        if was is not None:
            earlier = item.format_value(was.value, was.unit)
            if item.kind is ItemKind.RATING:
                earlier = f"{was.value:g}"  # "(was 5)", not "(was 5 (moderate))"
            text = f"Updated {item.label}: {value} on {day.isoformat()}{who} (was {earlier})"
        elif item.kind is ItemKind.RATING:
            text = f"Logged {item.label}: {value} on {day.isoformat()}{who}"
        else:  # measurements and events: a reading (an episode) of its own, beside others
            noun = "reading" if item.kind is ItemKind.MEASUREMENT else "episode"
            readings = sum(e.item_id == item.id for e in before.values() if not e.deleted) + 1
            by = f"; entered by {person.name}" if person.is_caregiver else ""
            text = (
                f"Added {'a' if noun == 'reading' else 'an'} {noun} of {item.label}: {value}{at} "
                f"on {day.isoformat()} ({plural(readings, noun)} that day{by})"
            )
        out.write(f"{text}.\n")
        said = [x for x in journal.signals(day, day) if x.item_id in (item.id, "several")]
        if said:
            for signal in said:
                out.write(f"{_signal_line(signal)}\n    {signal.text}\n")
            out.write(_contacts(journal, said))
            out.write("Patient-reported, not a diagnosis.\n")
    return EXIT_OK


def _person(by: str | None, profile_name: str) -> Person:
    if by is None or by.strip().lower() in {"", "me", "patient", profile_name.strip().lower()}:
        return Person(profile_name if by else "", Role.PATIENT)
    return Person(by.strip(), Role.CAREGIVER)


def cmd_list(args: argparse.Namespace, out: TextIO) -> int:
    with open_journal(args, create=False) as journal:
        where = EntryFilter(
            date_from=args.date_from,
            date_to=args.date_to,
            site_id=args.site,
            item_ids=tuple(args.symptom) if args.symptom else None,
            entered_by=args.by,
            include_deleted=args.deleted,
        )
        entries = journal.entries(where)
        catalogue = journal.catalogue
        versions = journal.versions_count()
        rows = []
        for e in entries:
            item = catalogue.item(e.item_id) if catalogue.has_item(e.item_id) else None
            label = item.label if item else e.item_id
            value = item.format_value(e.value, e.unit) if item else f"{e.value:g}"
            who = e.person.name or ("caregiver" if e.person.is_caregiver else "patient")
            if e.person.is_caregiver:
                who += " (caregiver)"
            note = " ".join(e.note.split())
            earlier = versions.get(e.id, 0)
            rows.append(
                [
                    str(e.id),
                    e.local_date.isoformat(),
                    e.time.strftime("%H:%M") if e.time else "",
                    ", ".join(item.sites) if item else "",
                    label,
                    value,
                    who,
                    (note[:40] + "…") if len(note) > 41 else note,
                    f"{plural(earlier, 'earlier version')}" if earlier else "",
                    "deleted" if e.deleted else "",
                ]
            )
        if not rows:
            out.write("No entries match.\n")
            return EXIT_OK
        headers = ["Id", "Date", "Time", "Sites", "Symptom", "Value", "Entered by", "Note",
                   "History", ""]  # fmt: skip
        keep = [
            i
            for i, h in enumerate(headers)
            if (h != "History" or any(r[i] for r in rows)) and (h or args.deleted)
        ]
        out.write(_table([headers[i] for i in keep], [[r[i] for i in keep] for r in rows]))
        out.write(f"{plural(len(rows), 'entry')}.\n")
        if any(versions.get(e.id) for e in entries):
            out.write("See an entry's earlier versions with 'mbc-journal history ID'.\n")
    return EXIT_OK


def _local(stamp: dt.datetime) -> str:
    """A stored UTC time, as the clock on this computer shows it."""
    return f"{stamp.replace(tzinfo=dt.UTC).astimezone():%Y-%m-%d %H:%M}"


def _bring_back(args: argparse.Namespace, out: TextIO) -> int:
    if not journal_path(args).exists():
        raise NotFoundError(f"There is no journal at {journal_path(args)} yet.")
    with open_journal(args) as journal:  # a change: it holds the journal's lock
        versions = journal.entry_versions(args.entry)
        if args.bring_back > len(versions):
            raise NotFoundError(
                f"Entry {args.entry} has no earlier version {args.bring_back}; "
                f"see 'mbc-journal history {args.entry}'."
            )
        entry = journal.bring_back(versions[args.bring_back - 1].id)
        item = journal.catalogue.item(entry.item_id)
    out.write(
        f"Brought back version {args.bring_back} of entry {entry.id}: {item.label} "
        f"{item.format_value(entry.value, entry.unit)} on {entry.local_date.isoformat()}"
        f"{' (deleted)' if entry.deleted else ''}. What it held until now is kept as "
        f"a version too.\n"
    )
    return EXIT_OK


def cmd_history(args: argparse.Namespace, out: TextIO) -> int:
    if args.bring_back is not None:
        return _bring_back(args, out)
    with open_journal(args, create=False) as journal:
        entry = journal.entry(args.entry)
        versions = journal.entry_versions(entry.id)
        catalogue = journal.catalogue
    item = catalogue.item(entry.item_id) if catalogue.has_item(entry.item_id) else None

    def shown(value: float, unit: str | None) -> str:
        return item.format_value(value, unit) if item else f"{value:g}"

    def who(person: Person) -> str:
        return f"{person.name} (caregiver)" if person.is_caregiver else (person.name or "patient")

    label = item.label if item else entry.item_id
    out.write(f"Entry {entry.id}: {label} on {entry.local_date.isoformat()}.\n")
    rows = [
        [
            str(n),  # numbered per entry, oldest first, as the app's Versions dialog does
            shown(v.value, v.unit),
            f"{v.local_date.isoformat()}{f' {v.time:%H:%M}' if v.time else ''}",
            " ".join(v.note.split())[:40],
            who(v.person) + (" (deleted)" if v.deleted else ""),
            _local(v.saved_at),
            f"{v.change.words} {_local(v.replaced_at)}",
        ]
        for n, v in enumerate(versions, start=1)
    ]
    rows.append(
        [
            "now",
            shown(entry.value, entry.unit),
            f"{entry.local_date.isoformat()}{f' {entry.time:%H:%M}' if entry.time else ''}",
            " ".join(entry.note.split())[:40],
            who(entry.person) + (" (deleted)" if entry.deleted else ""),
            _local(entry.updated_at),
            "",
        ]
    )
    headers = ["Version", "Value", "Day", "Note", "Entered by", "Saved", "Then"]
    out.write(_table(headers, rows))
    if versions:
        out.write(
            f"{plural(len(versions), 'earlier version')}. Bring one back with "
            f"'mbc-journal history {entry.id} --bring-back VERSION'.\n"
        )
    else:
        out.write("No earlier versions: this entry was never changed.\n")
    return EXIT_OK


def _write_table(out: TextIO, headers: list[str], rows: list[list[str]], empty: str) -> None:
    out.write(_table(headers, rows) if rows else empty + "\n")


def _table(headers: list[str], rows: list[list[str]]) -> str:
    rows = [[printable(c, keep_line_ends=False) for c in r] for r in rows]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return "\n".join(lines) + "\n"


def cmd_symptoms(args: argparse.Namespace, out: TextIO) -> int:
    from mbc_journal import catalogue as catalogue_module

    path = journal_path(args)
    if path.exists() or getattr(args, "demo", False):
        with open_journal(args) as journal:
            catalogue = journal.catalogue
            hidden = set(journal.hidden_items())
    else:  # no journal yet: the catalogue as it ships, and no journal made for it
        catalogue, hidden = catalogue_module.load(), set()
    for site in catalogue.sites:
        out.write(f"{site.label} ({site.id})\n")
        for item in catalogue.items_for_site(site.id):
            extra = [item.kind.value]
            if item.units:
                extra.append("/".join(item.units))
            if item.red_flag:
                extra.append("warning sign")
            if item.id in hidden:
                extra.append("hidden")
            out.write(f"  {item.id:<30} {item.label}  [{', '.join(extra)}]\n")
    return EXIT_OK


def cmd_units(args: argparse.Namespace, out: TextIO) -> int:
    chosen = {k: v for k in ("temperature", "weight") if (v := getattr(args, k)) is not None}
    with open_journal(args, create=bool(chosen)) as journal:
        if chosen:
            journal.set_preferred_units(chosen)
        for item_id, unit in journal.preferred_units().items():
            out.write(f"{journal.catalogue.item(item_id).label}: {unit}\n")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace, out: TextIO) -> int:
    db = getattr(args, "db", None)
    path = Path(db).expanduser() if db is not None else paths.demo_journal_path()
    with writing(path), make_demo(path, days=args.days, replace=db is None) as journal:
        count = journal.count_entries()
    out.write(
        f"Made a demo journal with {plural(count, 'invented entry')} over "
        f"{plural(args.days, 'day')}: {path}\n"
    )
    if db is None:
        out.write("Use it with --demo, for example: mbc-journal list --demo --site bone\n")
    return EXIT_OK


def cmd_signals(args: argparse.Namespace, out: TextIO) -> int:
    from mbc_journal.signals import Level

    with open_journal(args, create=False) as journal:
        date_from = args.date_from
        if date_from is None and args.date_to is None:
            date_from = dt.date.today() - dt.timedelta(days=29)
        found = journal.signals(date_from, args.date_to)
        if not args.show_all:
            found = [s for s in found if s.level is not Level.INFO]
        acknowledged = journal.acknowledged()
        contacts = _contacts(journal, found)
    if not found:
        out.write("No safety signals in this period. If you are worried, contact your care team.\n")
        return EXIT_OK
    for signal in found:
        seen = " (seen)" if signal.key in acknowledged else ""
        out.write(f"{signal.day.isoformat()}  {_signal_line(signal)}{seen}\n")
        out.write(f"            {signal.text}\n")
    out.write(contacts)
    out.write("Patient-reported, not a diagnosis.\n")
    return EXIT_OK


def _signal_line(signal: SafetySignal) -> str:
    """A signal's level and title as the app and the report say them (urgent in capitals)."""
    heading = signal.level.heading
    who = " [entered by a caregiver]" if signal.by_caregiver else ""
    return f"{heading.upper() if signal.level.is_urgent else heading}: {signal.title}{who}"


def _contacts(journal: Journal, found: Sequence[SafetySignal]) -> str:
    """The numbers to call, when a signal says to call one."""
    from mbc_journal.signals import needs_emergency_number

    lines = ""
    if any(needs_emergency_number(s) for s in found):
        lines += f"Emergency number: {journal.emergency_number()}\n"
    team = journal.care_team()
    if team and any(s.level.is_urgent for s in found):
        lines += "Care team: " + "; ".join(f"{c.name or c.role} {c.phone}" for c in team) + "\n"
    return lines


def _list(text: str | None) -> list[str] | None:
    return None if text is None else [p.strip() for p in text.split(",") if p.strip()]


def cmd_report(args: argparse.Namespace, out: TextIO) -> int:
    from mbc_journal import operations, report

    operations.check_output(journal_path(args), args.output, "report.pdf")  # before the work
    with open_journal(args, create=False) as journal:
        start, end, why = report.default_period(journal)
        if args.date_from or args.date_to:
            end = args.date_to or dt.date.today()
            start = args.date_from or end - dt.timedelta(days=report.DEFAULT_DAYS - 1)
            why = ""
        sections = _list(args.sections)
        sites = _list(args.sites)
        options = report.ReportOptions(
            start,
            end,
            frozenset(sections) if sections is not None else frozenset(report.SECTIONS),
            tuple(sites) if sites else None,
            args.page,
        )
        data = report.collect(journal, options, why)
    if not data.has_entries:
        raise ValidationError(
            f"Nothing was logged from {start:%d %b %Y} to {end:%d %b %Y}, so there is no "
            f"report to make; choose another period with --from and --to."
        )
    pages = operations.write_report(journal_path(args), data, args.output)
    out.write(
        f"Wrote {args.output} ({plural(pages, 'page')}, {start:%d %b %Y} – {end:%d %b %Y}).\n"
    )
    out.write(_plain_note(journal_path(args), "a PDF cannot be"))
    return EXIT_OK


def cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    from mbc_journal import operations

    check_range(args.date_from, args.date_to)
    with open_journal(args, create=False) as journal:
        count = operations.export(
            journal,
            args.format,
            Path(args.output).expanduser(),
            date_from=args.date_from,
            date_to=args.date_to,
        )
    out.write(f"Exported {plural(count, 'entry')} to {args.output} ({args.format.upper()}).\n")
    out.write(_plain_note(journal_path(args), "exports are plain files"))
    return EXIT_OK


def cmd_import(args: argparse.Namespace, out: TextIO) -> int:
    from mbc_journal import operations

    with open_journal(args) as journal:
        result = operations.import_file(journal, Path(args.file))
    out.write(result.text + "\n")
    return EXIT_OK


def cmd_backup(args: argparse.Namespace, out: TextIO) -> int:
    from mbc_journal import operations

    with open_journal(args, create=False) as journal:
        path = journal.path
    info = operations.backup(path, args.output)
    if args.output is None:
        out.write(f"Backed up {plural(info.entries, 'entry')} to {info.path}\n")
    else:
        out.write(f"Backed up to {info.path}\n")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace, out: TextIO) -> int:
    from mbc_journal import operations
    from mbc_journal.journal import Journal

    path = journal_path(args)
    source = Path(args.file).expanduser()
    unlock_file(source, args, journal=False)  # a backup under its own passphrase is asked
    from mbc_journal.db import cipher

    was_plain = not (path.is_file() and cipher.is_encrypted(path))
    with writing(path):
        aside = set(path.parent.glob(f"{path.name}.damaged-*"))
        safety = operations.restore(path, source)
        aside = set(path.parent.glob(f"{path.name}.damaged-*")) - aside
        with Journal.open(path) as journal:
            count = journal.count_entries()
    out.write(f"Restored {plural(count, 'entry')} from {source}.\n")
    if was_plain and cipher.is_encrypted(path):
        out.write(
            "The journal is now encrypted, as the backup was: it opens with the backup's "
            "passphrase ('mbc-journal decrypt' stores it unencrypted again).\n"
        )
    if safety is not None:
        out.write(f"The journal as it was is kept in {safety.path}\n")
    for kept in sorted(aside):  # a file that could not be read as a journal: kept whole
        if not kept.name.endswith(("-wal", "-shm")):
            out.write(f"The file that was there could not be read; it is kept as {kept}\n")
    return EXIT_OK


def cmd_backups(args: argparse.Namespace, out: TextIO) -> int:
    from mbc_journal import operations

    path = journal_path(args)
    found = operations.list_backups(path)
    operations.tidy_journal(path)  # a crash's -wal and -shm: this command leaves none either
    if not found:
        out.write("No backups yet.\n")
    for info in found:
        out.write(f"{info.label}\n    {info.path}\n")
    return EXIT_OK


def cmd_install_desktop(args: argparse.Namespace, out: TextIO) -> int:
    from mbc_journal import desktop

    done = desktop.install()
    for path in done.files:
        out.write(f"Wrote {path}\n")
    out.write(
        f"MBC Journal is in your applications menu (it starts {desktop.launch_command()[0]}); "
        f"remove it with 'mbc-journal uninstall-desktop'.\n"
    )
    return EXIT_OK


def cmd_uninstall_desktop(args: argparse.Namespace, out: TextIO) -> int:
    from mbc_journal import desktop

    removed = desktop.uninstall()
    for path in removed:
        out.write(f"Removed {path}\n")
    out.write(
        "MBC Journal is no longer in your applications menu; your journal is kept.\n"
        if removed
        else "MBC Journal was not in your applications menu; nothing to remove.\n"
    )
    return EXIT_OK


def cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    with open_journal(args, create=False) as journal:
        report = journal.check()
    out.write(f"Journal:   {report.path}\n")
    out.write(f"Integrity: {'ok' if report.ok else 'PROBLEM: ' + report.integrity}\n")
    out.write(f"Schema:    revision {report.revision} (up to date)\n")
    out.write(f"Entries:   {report.entries:,} ({report.deleted_entries:,} deleted, recoverable)\n")
    if report.first_day and report.last_day:
        out.write(
            f"Days:      {plural(report.days_logged, 'day')} logged, "
            f"{report.first_day.isoformat()} to {report.last_day.isoformat()}\n"
        )
    out.write(f"Size:      {report.size_bytes / 1024:,.0f} KiB\n")
    from mbc_journal.db import cipher, encryption

    encrypted = cipher.is_encrypted(report.path)
    plain = len(encryption.plain_backups(report.path)) if encrypted else 0
    if plain:
        said = (
            f"yes (SQLCipher 4); {plural(plain, 'backup')} still unencrypted, until the "
            f"journal is next opened to write"
        )
    else:
        said = "yes (SQLCipher 4, with its backups)" if encrypted else "no"
    out.write(f"Encrypted: {said}\n")
    return EXIT_OK if report.ok else EXIT_USER_ERROR


# --- entry point ----------------------------------------------------------------


class _Quiet(io.StringIO):
    """Where messages go when the error output is closed: the exit status still tells."""


def run(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the command; every failure is one sentence on ``err``. ``out`` defaults to
    the standard output as it is now (None when it is closed)."""
    handler: Handler = args.handler
    err = err if err is not None else (sys.stderr or _Quiet())  # a closed stderr: still exit 2
    printer = _Printable(out if out is not None else sys.stdout)
    try:
        code = handler(args, cast(TextIO, printer))
        printer.flush()  # a full disk shows here, not at exit
        return code
    except JournalError as error:
        err.write(f"mbc-journal: {one_line(str(error))}\n")
        return EXIT_USER_ERROR
    except OutputError as error:
        err.write(
            f"mbc-journal: What this command prints could not be written ({error.reason}); "
            f"anything it saved before printing is kept.\n"
        )
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        err.write("mbc-journal: Stopped; nothing half-done was saved.\n")
        return 130
    except (BrokenPipeError, SystemExit):
        raise
    except OSError as error:
        # The system refused a file operation (a name too long, a device gone): the
        # user's or the machine's problem, not a bug, and still one sentence.
        if os.environ.get("MBC_JOURNAL_DEBUG"):
            raise
        name = f" on {paths.short(str(error.filename))}" if error.filename else ""
        err.write(
            f"mbc-journal: The system refused a file operation{name} "
            f"({_os_reason(error)}); what was saved before is safe.\n"
        )
        return EXIT_USER_ERROR
    except Exception as error:
        # A bug of ours, not the user's mistake: still one sentence, a distinct exit
        # status, and where it happened (no user text: it may hold symptoms).
        if isinstance(error, RuntimeError) and "home directory" in str(error):  # "~nobody/x"
            err.write("mbc-journal: A path starting with '~' names an unknown user.\n")
            return EXIT_USER_ERROR
        if os.environ.get("MBC_JOURNAL_DEBUG"):
            raise
        where = ""
        tb = error.__traceback__
        while tb is not None:
            if "mbc_journal" in tb.tb_frame.f_code.co_filename:
                where = f" at {Path(tb.tb_frame.f_code.co_filename).name}:{tb.tb_lineno}"
            tb = tb.tb_next
        err.write(
            f"mbc-journal: Something went wrong inside MBC Journal ({type(error).__name__}"
            f"{where}); what was saved before is safe, and this command changed nothing "
            f"it had not finished. Please report it (set MBC_JOURNAL_DEBUG=1 for details).\n"
        )
        return EXIT_INTERNAL_ERROR


def main(
    argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Run one command (the GUI is opened by ``mbc_journal.__main__``)."""
    err = err or sys.stderr
    bad = _not_text(sys.argv[1:] if argv is None else argv)
    if bad:
        err.write(bad)
        return EXIT_USER_ERROR
    with contextlib.redirect_stderr(err):
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.command is None:
            parser.error("give a command, or run mbc-journal without one to open the app")
    return run(args, out or sys.stdout, err)


def _not_text(argv: Sequence[str]) -> str:
    """A sentence if an argument is not UTF-8 text (bytes a terminal in another encoding
    sent, or a file name that is not UTF-8): SQLite, reports and exports hold UTF-8."""
    for n, arg in enumerate(argv, start=1):
        if "\x00" in arg:
            return (
                f"mbc-journal: Argument {n} contains an invisible NUL character; remove it. "
                f"Nothing was changed.\n"
            )
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            shown = arg.encode("utf-8", "replace").decode("utf-8")
            return (
                f"mbc-journal: Argument {n} ({shown}) is not UTF-8 text; MBC Journal reads "
                f"words and file names as UTF-8. Nothing was changed.\n"
            )
    return ""


def entry_point(argv: Sequence[str] | None = None) -> int:
    """``mbc-journal``: run a command, or with none open the app.

    The app (Qt) is imported only here, and only when no command is given, so
    commands never pay for it.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    bad = _not_text(argv)
    if bad:
        sys.stderr.write(bad)
        return EXIT_USER_ERROR
    args = build_parser().parse_args(argv)
    if args.command is not None:
        return _run_on_stdout(args)
    try:
        path = journal_path(args, unlock=False)  # the app asks in a window
    except JournalError as error:
        sys.stderr.write(f"mbc-journal: {error}\n")
        return EXIT_USER_ERROR
    if _no_display():
        sys.stderr.write(
            "mbc-journal: No display was found, so the app cannot open here; the command line "
            "works without one (see 'mbc-journal --help').\n"
        )
        return EXIT_USER_ERROR
    missing = _missing_x11_libraries()
    if missing:
        # Qt would abort with a long message; say what to install instead.
        sys.stderr.write(
            f"mbc-journal: The app needs system libraries that are missing here "
            f"({', '.join(missing)}); on Debian or Ubuntu install them with: "
            f"sudo apt install {' '.join(X11_PACKAGES[m] for m in missing)}\n"
        )
        return EXIT_USER_ERROR
    from mbc_journal.ui.app import run_app

    return run_app(path, demo=bool(getattr(args, "demo", False)))


def _run_on_stdout(args: argparse.Namespace) -> int:
    """A command run from a shell: its output is the standard output, whatever that is."""
    if sys.stdout is None:  # started with the output closed (`mbc-journal list >&-`)
        sys.stderr.write(
            "mbc-journal: The standard output is closed, so nothing could be shown; the "
            "command was not run. Send its output to a file or /dev/null instead.\n"
        )
        return EXIT_USER_ERROR
    with contextlib.suppress(AttributeError, ValueError, OSError):
        # Characters the output's encoding lacks (PYTHONIOENCODING=ascii, an old
        # terminal) are printed as '?', never a crash.
        sys.stdout.reconfigure(errors="replace")  # type: ignore[union-attr]
    try:
        code = run(args)
    except BrokenPipeError:
        # The reader went away (`mbc-journal list | head`). Anything the command saves
        # is committed before it prints, so nothing is lost: stop quietly.
        code = EXIT_OK
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        # Keep Python's own flush at exit from raising again over what was said.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return code


# Libraries Qt's X11 (xcb) platform plugin loads that desktops may lack, and their
# Debian/Ubuntu packages.
X11_PACKAGES = {
    "xcb-cursor": "libxcb-cursor0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-keysyms": "libxcb-keysyms1",
    "xkbcommon-x11": "libxkbcommon-x11-0",
}


def _missing_x11_libraries() -> list[str]:
    """On an X11 session, the libraries Qt's xcb plugin needs that cannot be found."""
    if (
        not sys.platform.startswith("linux")
        or os.environ.get("QT_QPA_PLATFORM")
        or os.environ.get("WAYLAND_DISPLAY")
        or not os.environ.get("DISPLAY")
    ):
        return []
    import ctypes.util

    return [name for name in X11_PACKAGES if ctypes.util.find_library(name) is None]


def _no_display() -> bool:
    """On Linux without X11 or Wayland (and no Qt platform chosen), Qt would abort."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
