"""Settings: profile, care team, my sites, hidden and own items, caregivers."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTime, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from mbc_journal import desktop
from mbc_journal.careplan import FEVER_TREATMENTS
from mbc_journal.errors import JournalError
from mbc_journal.journal import CareContact, Journal
from mbc_journal.model import ItemKind
from mbc_journal.signals import can_be_quieted
from mbc_journal.ui import errors
from mbc_journal.ui.qsettings import TEXT_SIZES, apply_text_scale, text_scale
from mbc_journal.ui.widgets.checkbox import ReadableCheckBox, frame_item_checks
from mbc_journal.ui.widgets.fever import CelsiusSpin, FeverChoice
from mbc_journal.wording import plural


class SettingsScreen(QWidget):
    """Signals:
    settings_saved() — the journal's settings changed (screens rebuild).
    restore_requested(object) — the user chose a backup (a Path) to restore.
    welcome_requested() — the user asked to see the first-use welcome again.
    text_size_changed() — the app's text size was changed (and kept).
    encryption_requested(str) — 'encrypt', 'change', 'decrypt' or 'recovery'.
    lock_minutes_changed(int) — minutes without use before the window locks (0: never).
    """

    settings_saved = Signal()
    restore_requested = Signal(object)
    welcome_requested = Signal()
    text_size_changed = Signal()
    encryption_requested = Signal(str)
    lock_minutes_changed = Signal(int)

    def __init__(self, journal: Journal, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.journal = journal
        outer = QVBoxLayout(self)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        content = QWidget()
        layout = QVBoxLayout(content)
        scroll.setWidget(content)
        outer.addWidget(scroll)

        profile = QGroupBox("About you")
        form = QFormLayout(profile)
        self.profile_name = QLineEdit(journal.profile_name())
        self.profile_name.setAccessibleName("Your name")
        form.addRow("Your name (shown on reports)", self.profile_name)
        self.caregivers = QLineEdit(", ".join(journal.people()))
        self.caregivers.setAccessibleName("Caregivers' names, separated by commas")
        form.addRow("Caregivers (comma-separated)", self.caregivers)
        self.welcome_button = QPushButton("Show the welcome again")
        self.welcome_button.setAccessibleName("Show the first-use welcome again on Today")
        self.welcome_button.clicked.connect(self.welcome_requested)
        form.addRow("", self.welcome_button)
        layout.addWidget(profile)

        looks = QGroupBox("Text size — applied at once to the whole app")
        looks_row = QHBoxLayout(looks)
        self.text_size = QComboBox()
        self.text_size.setAccessibleName("Text size")
        for percent in TEXT_SIZES:
            self.text_size.addItem(f"{percent} %", percent)
        self.text_size.setCurrentIndex(TEXT_SIZES.index(round(text_scale() * 100)))
        self.text_size.currentIndexChanged.connect(self._on_text_size_current_index_changed)
        looks_row.addWidget(QLabel("Text size"))
        looks_row.addWidget(self.text_size)
        looks_row.addStretch(1)
        layout.addWidget(looks)

        units = QGroupBox("Units — for new readings and in the report for your care team")
        units_row = QHBoxLayout(units)
        self.unit_boxes: dict[str, QComboBox] = {}
        for item_id, unit in journal.preferred_units().items():
            item = journal.catalogue.item(item_id)
            unit_box = QComboBox()
            unit_box.setAccessibleName(f"{item.label}: unit")
            for choice in item.units:
                unit_box.addItem(choice, choice)
            unit_box.setCurrentIndex(max(0, unit_box.findData(unit)))
            self.unit_boxes[item_id] = unit_box
            units_row.addWidget(QLabel(item.label))
            units_row.addWidget(unit_box)
            units_row.addSpacing(12)
        units_row.addStretch(1)
        if self.unit_boxes:
            layout.addWidget(units)

        reminder = QGroupBox("Daily reminder — a notification while the app is open")
        reminder_layout = QHBoxLayout(reminder)
        when = journal.reminder()
        self.reminder_on = ReadableCheckBox("Remind me to check in at")
        self.reminder_on.setAccessibleName("Remind me to check in every day")
        self.reminder_on.setChecked(when is not None)
        self.reminder_time = QTimeEdit(QTime(when.hour, when.minute) if when else QTime(19, 0))
        self.reminder_time.setDisplayFormat("HH:mm")
        self.reminder_time.setAccessibleName("Reminder time")
        reminder_layout.addWidget(self.reminder_on)
        reminder_layout.addWidget(self.reminder_time)
        reminder_layout.addStretch(1)
        layout.addWidget(reminder)

        team = QGroupBox("Care team contacts — shown when something needs them now")
        team_layout = QVBoxLayout(team)
        self.care_team = QTableWidget(0, 3)
        self.care_team.setHorizontalHeaderLabels(["Name", "Role", "Phone"])
        self.care_team.setAccessibleName("Care team contacts")
        self.care_team.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.care_team.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Room for four contacts without scrolling: these are the numbers to call.
        row = self.care_team.verticalHeader().defaultSectionSize()
        header = self.care_team.horizontalHeader().sizeHint().height()
        self.care_team.setMinimumHeight(header + 4 * row + 2 * self.care_team.frameWidth())
        for contact in journal.care_team():
            self._add_contact_row(contact)
        buttons = QHBoxLayout()
        self.add_contact = QPushButton("Add contact")
        self.remove_contact = QPushButton("Remove contact")
        self.add_contact.setAccessibleName("Add a care team contact")
        self.remove_contact.setAccessibleName("Remove the selected care team contact")
        buttons.addWidget(self.add_contact)
        buttons.addWidget(self.remove_contact)
        buttons.addStretch(1)
        team_layout.addWidget(self.care_team)
        team_layout.addLayout(buttons)
        emergency = QHBoxLayout()
        self.emergency = QLineEdit(journal.get_setting("emergency_number", ""))
        self.emergency.setPlaceholderText("e.g. 999, 112 or 911")
        self.emergency.setAccessibleName("Emergency number")
        self.emergency.setToolTip("Shown with the most serious warning signs.")
        emergency.addWidget(QLabel("Emergency number:"))
        emergency.addWidget(self.emergency, 1)
        team_layout.addLayout(emergency)
        layout.addWidget(team)

        sites = QGroupBox("My sites — where the cancer has spread, shown first and open")
        sites_layout = QHBoxLayout(sites)
        self.site_boxes: dict[str, QCheckBox] = {}
        mine = set(journal.my_sites())
        for site in journal.catalogue.sites:
            if site.id == "measurements":
                continue
            box = ReadableCheckBox(site.label)
            box.setChecked(site.id in mine)
            box.setAccessibleName(f"{site.label} is one of my sites")
            self.site_boxes[site.id] = box
            sites_layout.addWidget(box)
        sites_layout.addStretch(1)
        layout.addWidget(sites)

        items = QGroupBox(
            "Items in the check-in — untick those that do not apply (old entries are kept)"
        )
        items_layout = QVBoxLayout(items)
        self.items = QListWidget()
        frame_item_checks(self.items)  # its tick boxes seen on any palette
        self.items.setAccessibleName("Items shown in the check-in")
        self.items.setMinimumHeight(220)
        self._fill_items()
        items_layout.addWidget(self.items)
        own = QHBoxLayout()
        self.own_label = QLineEdit()
        self.own_label.setPlaceholderText("Your own item, e.g. Dry eyes")
        self.own_label.setAccessibleName("Name of your own item")
        self.own_site = QComboBox()
        self.own_site.setAccessibleName("Site of your own item")
        for site in journal.catalogue.sites:
            if site.id != "measurements":
                self.own_site.addItem(site.label, site.id)
        self.own_kind = QComboBox()
        self.own_kind.setAccessibleName("Kind of your own item")
        self.own_kind.addItem("Rating 0–10", ItemKind.RATING)
        self.own_kind.addItem("Event (it happened)", ItemKind.EVENT)
        self.add_own = QPushButton("Add item")
        self.add_own.setAccessibleName("Add your own item")
        for widget in (QLabel("Add:"), self.own_label, self.own_site, self.own_kind, self.add_own):
            own.addWidget(widget)
        items_layout.addLayout(own)
        layout.addWidget(items)

        safety = QGroupBox("Safety signals — your care team may give you different thresholds")
        safety_form = QFormLayout(safety)
        thresholds = journal.thresholds()
        # The box is the patient's own setting only: a chemotherapy in the care plan
        # counts as well, and is told beside it, but is never saved into the box.
        self.on_chemo = ReadableCheckBox("I am on anticancer treatment now")
        self.on_chemo.setChecked(journal.chemotherapy_ticked())
        self.on_chemo.setAccessibleName("I am on anticancer treatment now")
        self.on_chemo.setToolTip(
            "Tick this for a chemotherapy, targeted therapy, immunotherapy or radiotherapy "
            "that is not in your care plan. One in the care plan counts while it runs and "
            "for the weeks after, ticked or not."
        )
        self.chemo_note = QLabel("")
        self.chemo_note.setWordWrap(True)
        self.chemo_note.setTextFormat(Qt.TextFormat.PlainText)
        self.refresh_chemo_note()
        self.fever = FeverChoice(thresholds.fever_celsius)
        self.low = CelsiusSpin(34.0, 37.0)
        self.low.setValue(thresholds.low_celsius)
        self.low.setAccessibleName("Low temperature threshold on treatment")
        self.weeks_after = QSpinBox()
        self.weeks_after.setRange(0, 52)
        self.weeks_after.setSuffix(" weeks")
        self.weeks_after.setValue(thresholds.weeks_after_treatment)
        self.weeks_after.setAccessibleName("Weeks after the last treatment that still count")
        self.worsening = QSpinBox()
        self.worsening.setRange(1, 10)
        self.worsening.setValue(thresholds.worsening_points)
        self.worsening.setSuffix(" points")
        self.worsening.setAccessibleName(
            "Worse: points above the 7-day average, and into a higher band"
        )
        self.worsening.setToolTip(
            "A rating counts as worse when it is this many points above its 7-day average "
            "and has moved into a higher band (none, mild, moderate, severe). For warning "
            "signs of the spine and for confusion the points alone count."
        )
        self.severe = QSpinBox()
        self.severe.setRange(1, 10)
        self.severe.setValue(thresholds.severe_rating)
        self.severe.setAccessibleName("A rating counts as severe from")
        self.breathless = QSpinBox()
        self.breathless.setRange(1, 10)
        self.breathless.setValue(thresholds.breathless_rating)
        self.breathless.setAccessibleName("Shortness of breath is urgent from")
        safety_form.addRow(self.on_chemo)
        safety_form.addRow(self.chemo_note)
        safety_form.addRow("Fever on treatment from", self.fever)
        safety_form.addRow("Low temperature on treatment at or below", self.low)
        safety_form.addRow("Treatment counts for the weeks after it ends", self.weeks_after)
        safety_form.addRow(
            "Worse: into a higher band and above the 7-day average by", self.worsening
        )
        safety_form.addRow("A rating is severe from", self.severe)
        safety_form.addRow("Shortness of breath is urgent from", self.breathless)
        # An expected level agreed with the care team quiets new, worse and severe at or
        # below it (never a warning sign).
        self._expected = {k: int(v) for k, v in journal.expected_levels().items()}
        expected = QHBoxLayout()
        self.expected_item = QComboBox()
        self.expected_item.setAccessibleName("Symptom with a level agreed with my care team")
        # Long labels must not widen the screen (it fits 960 px wide).
        self.expected_item.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.expected_item.setMinimumContentsLength(18)
        for item in journal.catalogue.items:
            if can_be_quieted(item) and not item.retired:  # never a warning sign
                self.expected_item.addItem(item.label, item.id)
        self.expected_level = QSpinBox()
        self.expected_level.setRange(0, 10)
        self.expected_level.setSpecialValueText("none agreed")
        self.expected_level.setAccessibleName("Expected level agreed with my care team")
        self.expected_level.setToolTip(
            "At or below this rating, a new, worse or severe rating of this symptom is not "
            "flagged. A warning sign always is: leg numbness or back pain that changes, or "
            "any seizure, bleeding or fever on treatment."
        )
        expected.addWidget(self.expected_item, 1)
        expected.addWidget(self.expected_level)
        safety_form.addRow("Expected level agreed with my care team", expected)
        self.expected_item.currentIndexChanged.connect(self._show_expected)
        self.expected_level.valueChanged.connect(self._on_expected_level_changed)
        self._show_expected()
        layout.addWidget(safety)

        layout.addWidget(self._privacy_group())

        backups = QGroupBox("Backups — made automatically when the journal changes")
        backups_layout = QVBoxLayout(backups)
        self.backups = QListWidget()
        self.backups.setAccessibleName("Backups of this journal")
        self.backups.setMinimumHeight(120)
        backup_buttons = QHBoxLayout()
        self.backup_button = QPushButton("Back up now")
        self.backup_button.setAccessibleName("Back up the journal now")
        self.restore_button = QPushButton("Restore the selected backup…")
        self.restore_button.setAccessibleName("Restore the selected backup")
        backup_buttons.addWidget(self.backup_button)
        backup_buttons.addWidget(self.restore_button)
        backup_buttons.addStretch(1)
        backups_layout.addWidget(QLabel("Restoring keeps a copy of the journal as it is now."))
        backups_layout.addWidget(self.backups)
        backups_layout.addLayout(backup_buttons)
        layout.addWidget(backups)
        if desktop.supported():
            layout.addWidget(self._menu_entry_box())
        layout.addStretch(1)

        bottom = QHBoxLayout()
        self.status = QLabel("")
        self.save_button = QPushButton("Save settings")
        self.save_button.setAccessibleName("Save settings")
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.save_button)
        outer.addLayout(bottom)

        self.add_contact.clicked.connect(lambda: self._add_contact_row(CareContact("", "", "")))
        self.remove_contact.clicked.connect(self._on_remove_contact_clicked)
        self.add_own.clicked.connect(self._on_add_own_clicked)
        self.own_label.returnPressed.connect(self._on_add_own_clicked)
        self.save_button.clicked.connect(self.save)
        self._saved = self._choices()  # what "unsaved changes" compares against
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button.clicked.connect(self._on_restore_button_clicked)
        self.fill_backups()

    def _privacy_group(self) -> QGroupBox:
        """Encryption at rest and the lock: acted on at once, not with Save settings."""
        from mbc_journal import operations
        from mbc_journal.ui.privacy import LOCK_CHOICES
        from mbc_journal.ui.qsettings import lock_minutes

        group = QGroupBox("Privacy — a passphrase for this journal")
        box = QVBoxLayout(group)
        available = operations.encryption_available()
        encrypted = operations.is_encrypted(self.journal.path)
        if not available:
            text = (
                "Encryption is not available on this computer (the SQLCipher library "
                "could not be installed here), so the journal is stored unencrypted."
            )
        elif encrypted:
            text = (
                "This journal and its backups are encrypted: they open only with the "
                "passphrase. Reports and exports you make are ordinary files."
            )
        else:
            text = (
                "This journal is not encrypted: anyone using this computer's account can "
                "open it. Encrypt it so it opens only with a passphrase (the backups too)."
            )
        self.privacy_status = QLabel(text)
        self.privacy_status.setWordWrap(True)
        box.addWidget(self.privacy_status)
        buttons = QHBoxLayout()
        self.encryption_buttons: dict[str, QPushButton] = {}
        for action, label, shown in (
            ("encrypt", "Encrypt with a passphrase…", not encrypted),
            ("change", "Change the passphrase…", encrypted),
            ("recovery", "New recovery key…", encrypted),
            ("decrypt", "Remove the encryption…", encrypted),
        ):
            button = QPushButton(label)
            button.setAccessibleName(label.rstrip("…"))
            button.setVisible(shown)
            button.setEnabled(available)
            button.clicked.connect(lambda _=False, a=action: self.encryption_requested.emit(a))
            self.encryption_buttons[action] = button
            buttons.addWidget(button)
        buttons.addStretch(1)
        box.addLayout(buttons)
        form = QFormLayout()
        self.lock_after = QComboBox()
        self.lock_after.setAccessibleName("Lock the window when not used")
        for label, minutes in LOCK_CHOICES:
            self.lock_after.addItem(label, minutes)
        self.lock_after.setCurrentIndex(max(0, self.lock_after.findData(lock_minutes())))
        self.lock_after.setEnabled(encrypted)
        self.lock_after.setToolTip(
            "Hides the journal behind its passphrase after this long without use; "
            "anything being typed is kept."
        )
        self.lock_after.currentIndexChanged.connect(
            lambda _i: self.lock_minutes_changed.emit(int(self.lock_after.currentData()))
        )
        form.addRow("Lock the window when not used", self.lock_after)
        box.addLayout(form)
        return group

    def _menu_entry_box(self) -> QGroupBox:
        """Adding the app to the desktop's menu without a terminal (install-desktop)."""
        box = QGroupBox("Applications menu — start MBC Journal from your desktop's menu")
        row = QHBoxLayout(box)
        self.menu_status = QLabel("")
        self.menu_status.setWordWrap(True)
        self.menu_button = QPushButton("")
        self.menu_button.clicked.connect(self._on_menu_button_clicked)
        row.addWidget(self.menu_status, 1)
        row.addWidget(self.menu_button)
        self._show_menu_entry()
        return box

    def _show_menu_entry(self) -> None:
        if desktop.installed():
            self.menu_status.setText("MBC Journal is in your applications menu, with its icon.")
            self.menu_button.setText("Remove from the menu")
        else:
            self.menu_status.setText("MBC Journal is not in your applications menu yet.")
            self.menu_button.setText("Add to the applications menu")
        self.menu_button.setAccessibleName(self.menu_button.text())

    def _on_menu_button_clicked(self) -> None:
        try:
            if desktop.installed():
                desktop.uninstall()
                self.status.setText("✓ Removed from the applications menu; the journal is kept.")
            else:
                desktop.install()
                self.status.setText("✓ Added to the applications menu.")
        except (JournalError, OSError) as error:
            errors.show_error(self, error, "changing the menu entry")
        self._show_menu_entry()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        self.refresh_chemo_note()  # the care plan may have changed since
        super().showEvent(event)

    def _show_expected(self) -> None:
        item_id = self.expected_item.currentData()
        self.expected_level.blockSignals(True)
        self.expected_level.setValue(self._expected.get(item_id, 0))
        self.expected_level.blockSignals(False)

    def _on_expected_level_changed(self, value: int) -> None:
        item_id = self.expected_item.currentData()
        if value:
            self._expected[item_id] = value
        else:
            self._expected.pop(item_id, None)

    def refresh_chemo_note(self) -> None:
        """Say, in words, when the care plan has an anticancer treatment today: the
        fever rules then apply even with the box unticked."""
        today = dt.date.today()
        try:
            chemo = [
                t for t in self.journal.treatments(active_on=today) if t.kind in FEVER_TREATMENTS
            ]
        except JournalError:
            chemo = []
        if not chemo:
            self.chemo_note.setText("")
            self.chemo_note.hide()
            return
        which = "; ".join(f"{t.name or t.kind.label}, since {t.start:%d %b %Y}" for t in chemo)
        self.chemo_note.setText(
            f"Your care plan has an anticancer treatment now ({which}): the temperature "
            "rules (fever and low temperature) apply, whether or not the box above is ticked."
        )
        self.chemo_note.setAccessibleName(self.chemo_note.text())
        self.chemo_note.show()

    def _on_text_size_current_index_changed(self, index: int) -> None:
        apply_text_scale(int(self.text_size.itemData(index)))
        self.text_size_changed.emit()

    def _reminder_choice(self) -> dt.time | None:
        if not self.reminder_on.isChecked():
            return None
        t = self.reminder_time.time()
        return dt.time(t.hour(), t.minute())

    def fill_backups(self) -> None:
        from mbc_journal import operations

        self.backups.clear()
        for info in operations.list_backups(self.journal.path):
            row = QListWidgetItem(info.label)
            row.setData(Qt.ItemDataRole.UserRole, str(info.path))
            self.backups.addItem(row)
        if not self.backups.count():
            self.backups.addItem("No backups yet.")

    def backup_now(self) -> None:
        from mbc_journal import operations

        try:
            info = operations.backup(self.journal.path)
        except (JournalError, OSError) as error:
            errors.show_error(self, error, "backing up")
            return
        self.status.setText(f"✓ Backed up {plural(info.entries, 'entry')}.")
        self.fill_backups()

    def _on_restore_button_clicked(self) -> None:
        row = self.backups.currentItem()
        path = row.data(Qt.ItemDataRole.UserRole) if row else None
        if not path:
            errors.show_message(self, "First choose a backup in the list.")
            return
        answer = QMessageBox.question(
            self,
            "Restore backup",
            f"Replace the journal with the backup from {row.text()}?\n\nThe journal as it is "
            f"now is backed up first, so this can be undone.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.restore_requested.emit(Path(path))

    def _fill_items(self) -> None:
        hidden = set(self.journal.hidden_items())
        self.items.clear()
        for site in self.journal.catalogue.sites:
            for item in self.journal.catalogue.items_for_site(site.id):
                if item.sites[0] != site.id:
                    continue  # list each item once, under its first site
                row = QListWidgetItem(
                    f"{site.label.split(' ')[0]} · {item.label}"
                    + (" (yours)" if item.custom else "")
                )
                row.setData(Qt.ItemDataRole.UserRole, item.id)
                if item.red_flag:
                    # Warning signs can always be reported: never hidden.
                    row.setFlags(row.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                    row.setText(row.text() + "  (warning sign, always shown)")
                else:
                    row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                row.setCheckState(
                    Qt.CheckState.Unchecked if item.id in hidden else Qt.CheckState.Checked
                )
                self.items.addItem(row)

    def _add_contact_row(self, contact: CareContact) -> None:
        row = self.care_team.rowCount()
        self.care_team.insertRow(row)
        for column, text in enumerate((contact.name, contact.role, contact.phone)):
            self.care_team.setItem(row, column, QTableWidgetItem(text))

    def _on_remove_contact_clicked(self) -> None:
        for row in sorted({i.row() for i in self.care_team.selectedIndexes()}, reverse=True):
            self.care_team.removeRow(row)

    def _on_add_own_clicked(self) -> None:
        try:
            item = self.journal.add_custom_item(
                self.own_label.text(), self.own_site.currentData(), self.own_kind.currentData()
            )
        except JournalError as error:
            errors.show_error(self, error)
            return
        self.own_label.clear()
        self._fill_items()
        self.status.setText(f"Added “{item.label}”. It is in the check-in now.")
        self.settings_saved.emit()

    def contacts(self) -> list[CareContact]:
        result = []
        for row in range(self.care_team.rowCount()):
            cells = [self.care_team.item(row, c) for c in range(3)]
            name, role, phone = (cell.text() if cell else "" for cell in cells)
            result.append(CareContact(name, role, phone))
        return result

    def _choices(self) -> dict[str, Any]:
        """Everything the Save button saves, as it stands on screen."""
        hidden = [
            self.items.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.items.count())
            if self.items.item(i).checkState() == Qt.CheckState.Unchecked
        ]
        return {
            "profile_name": self.profile_name.text(),
            "caregivers": self.caregivers.text().split(","),
            "care_team": [c for c in self.contacts() if (c.name + c.role + c.phone).strip()],
            "my_sites": [s for s, box in self.site_boxes.items() if box.isChecked()],
            "hidden_items": hidden,
            "thresholds": replace(
                self.journal.thresholds(),
                fever_celsius=self.fever.celsius(),
                low_celsius=round(self.low.value(), 1),
                weeks_after_treatment=self.weeks_after.value(),
                worsening_points=self.worsening.value(),
                severe_rating=self.severe.value(),
                breathless_rating=self.breathless.value(),
            ),
            "on_chemotherapy": self.on_chemo.isChecked(),
            "reminder": self._reminder_choice(),
            "emergency_number": self.emergency.text(),
            "expected_levels": dict(self._expected),
            "units": {k: str(box.currentData()) for k, box in self.unit_boxes.items()},
        }

    @property
    def dirty(self) -> bool:
        """True while something on the screen differs from what is saved."""
        return self._choices() != self._saved

    def resolve_unsaved(self) -> bool:
        """Ask what to do with unsaved settings; False means stay put."""
        return not self.dirty or errors.resolve_unsaved(self.ask_unsaved(), self.save)

    def ask_unsaved(self) -> QMessageBox.StandardButton:
        return errors.ask_save_discard_cancel(
            self, "Unsaved settings", "Save the changes to your settings?"
        )

    def save(self) -> bool:
        choices = self._choices()
        try:
            self.journal.save_preferences(**choices)
        except JournalError as error:
            errors.show_error(self, error)
            return False
        self._saved = choices
        self.status.setText("✓ Settings saved.")
        self.settings_saved.emit()
        return True
