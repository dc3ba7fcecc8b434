"""Domain errors. Each carries one plain sentence the user can act on."""

from __future__ import annotations


class JournalError(Exception):
    """Base class: ``str(error)`` is the sentence shown to the user."""


class ValidationError(JournalError):
    """The user's input is not acceptable; nothing was saved."""


class NotFoundError(JournalError):
    """An entry, symptom or file the user named does not exist."""


class CatalogueError(JournalError):
    """The symptom catalogue file is broken."""


class JournalOpenError(JournalError):
    """The journal file cannot be opened as it is."""


class NewerVersionError(JournalOpenError):
    """The journal was written by a newer version of the app."""


class CorruptJournalError(JournalOpenError):
    """The journal file is damaged or is not a journal."""


class JournalLockedError(JournalError):
    """Another program holds the journal for writing."""


class ReadOnlyJournalError(JournalError):
    """The journal or its folder cannot be written."""


class DiskFullError(JournalError):
    """The disk is full; the last change was not saved."""
