"""The first-use panel: a few choices above an empty check-in, never a blocking wizard.

Shown while a journal has no entries and the welcome was neither filled in nor skipped;
reachable again from Settings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from mbc_journal.ui import errors
from mbc_journal.ui.widgets.checkbox import ReadableCheckBox
from mbc_journal.ui.widgets.fever import FeverChoice

if TYPE_CHECKING:
    from mbc_journal.journal import Journal

SCALE_TEXT = (
    "Ratings go from 0 to 10: 0 means none, 1–3 mild, 4–6 moderate, 7–10 severe, and 10 "
    "the worst you can imagine. An item you leave empty is simply not logged that day."
)

INTRO_TEXT = (
    "A few choices make the check-in yours. Everything can be changed later in "
    "Settings, and you can skip this now."
)


class WelcomePanel(QFrame):
    """Signals: finished(str) — saved or skipped; the caregiver's name if one is entering,
    else an empty string."""

    finished = Signal(str)

    def __init__(self, journal: Journal, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.journal = journal
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Welcome to MBC Journal")
        outer = QVBoxLayout(self)
        title = QLabel("Welcome to MBC Journal")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        title.setFont(font)
        outer.addWidget(title)
        intro = QLabel(INTRO_TEXT)
        intro.setWordWrap(True)
        outer.addWidget(intro)

        form = QFormLayout()
        self.name = QLineEdit(journal.profile_name())
        self.name.setAccessibleName("Your name (the patient's name, shown on reports)")
        # The keyboard starts here: a screen reader hears what the panel is, first.
        self.name.setAccessibleDescription(
            f"Welcome to MBC Journal. {INTRO_TEXT} {SCALE_TEXT} "
            "Skip for now and Save and start are at the end of the panel."
        )
        form.addRow("Name of the person the journal is for", self.name)

        who = QHBoxLayout()
        self.as_patient = QRadioButton("I am the patient")
        self.as_caregiver = QRadioButton("I am a caregiver, named")
        self.as_patient.setChecked(True)
        self.as_patient.setAccessibleName("I am the patient")
        self.as_caregiver.setAccessibleName("I am a caregiver")
        group = QButtonGroup(self)
        group.addButton(self.as_patient)
        group.addButton(self.as_caregiver)
        self.caregiver_name = QLineEdit()
        self.caregiver_name.setAccessibleName("Caregiver's name")
        self.caregiver_name.setEnabled(False)
        self.as_caregiver.toggled.connect(self.caregiver_name.setEnabled)
        who.addWidget(self.as_patient)
        who.addWidget(self.as_caregiver)
        who.addWidget(self.caregiver_name, 1)
        form.addRow("Who is entering", who)

        sites = QGridLayout()  # three to a line, so the panel fits 960 px (200 %)
        self.site_boxes: dict[str, QCheckBox] = {}
        mine = set(journal.my_sites())
        for n, site in enumerate(journal.catalogue.sites):
            box = ReadableCheckBox(site.label)
            box.setAccessibleName(f"My site: {site.label}")
            box.setChecked(site.id in mine)
            self.site_boxes[site.id] = box
            sites.addWidget(box, n // 3, n % 3)
        form.addRow("My sites (shown first)", sites)

        team = QHBoxLayout()
        self.team_name = QLineEdit()
        self.team_name.setPlaceholderText("e.g. Oncology 24-hour line")
        self.team_name.setAccessibleName("Care team contact's name")
        self.team_phone = QLineEdit()
        self.team_phone.setPlaceholderText("phone number")
        self.team_phone.setAccessibleName("Care team phone number")
        team.addWidget(self.team_name, 2)
        team.addWidget(self.team_phone, 1)
        form.addRow("Care team number", team)
        self.emergency = QLineEdit()
        self.emergency.setPlaceholderText("e.g. 999, 112 or 911")
        self.emergency.setAccessibleName("Emergency number")
        self.emergency.setToolTip(
            "Shown with the most serious warning signs (a seizure, sudden breathlessness or "
            "chest pain, heavy bleeding)."
        )
        form.addRow("Emergency number", self.emergency)
        self.fever = FeverChoice(journal.thresholds().fever_celsius)
        form.addRow("Fever temperature on my alert card", self.fever)
        outer.addLayout(form)

        scale = QLabel(SCALE_TEXT)
        scale.setWordWrap(True)
        scale.setAccessibleName("What the ratings mean")
        outer.addWidget(scale)

        buttons = QHBoxLayout()
        self.status = QLabel("")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.skip_button = QPushButton("Skip for now")
        self.skip_button.setAccessibleName("Skip the welcome")
        self.save_button = QPushButton("Save and start")
        self.save_button.setAccessibleName("Save these choices and start the check-in")
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.skip_button)
        buttons.addWidget(self.save_button)
        outer.addLayout(buttons)
        self.skip_button.clicked.connect(self.skip)
        self.save_button.clicked.connect(self.save)

    def focus_first(self) -> None:
        """The keyboard to the panel's first control, the panel in view."""
        self.name.setFocus(Qt.FocusReason.OtherFocusReason)

    def save(self) -> bool:
        from mbc_journal.errors import JournalError
        from mbc_journal.journal import CareContact

        caregiver = self.caregiver_name.text().strip() if self.as_caregiver.isChecked() else ""
        if self.as_caregiver.isChecked() and not caregiver:
            self.status.setText("Please type the caregiver's name, or choose “I am the patient”.")
            return False
        phone = self.team_phone.text().strip()
        contact = CareContact(self.team_name.text(), "Care team", phone) if phone else None
        try:
            self.journal.save_welcome(
                profile_name=self.name.text(),
                caregiver=caregiver or None,
                my_sites=[s for s, box in self.site_boxes.items() if box.isChecked()],
                contact=contact,
                emergency_number=self.emergency.text(),
                fever_celsius=self.fever.celsius(),
            )
        except JournalError as error:
            errors.show_error(self, error)
            return False
        self.finished.emit(caregiver)
        return True

    def skip(self) -> None:
        from mbc_journal.errors import JournalError

        try:
            self.journal.skip_welcome()
        except JournalError as error:
            errors.show_error(self, error)
            return
        self.finished.emit("")
