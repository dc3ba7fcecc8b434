"""The care plan screen, and what it feeds: Today and the fever rule."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate

from mbc_journal.careplan import QuestionStatus
from mbc_journal.journal import CareContact
from mbc_journal.ui.main_window import MainWindow


def test_treatment_change_appointment_and_questions_show_on_today(window: MainWindow) -> None:
    screen = window.care_plan
    journal = window.journal
    screen.treatment_kind.setCurrentIndex(screen.treatment_kind.findData("hormone"))
    screen.treatment_name.setText("Hormone tablets")
    screen.treatment_start.setDate(QDate.currentDate().addDays(-90))
    assert screen.add_treatment()
    screen.treatment_table.selectRow(0)
    screen.treatment_end_date.setDate(QDate.currentDate().addDays(-1))
    assert screen.end_treatment()
    screen.treatment_kind.setCurrentIndex(screen.treatment_kind.findData("chemotherapy"))
    screen.treatment_name.setText("Chemotherapy tablets")
    screen.treatment_start.setDate(QDate.currentDate())
    assert screen.add_treatment()
    assert [t.name for t in journal.treatments(active_on=dt.date.today())] == [
        "Chemotherapy tablets"
    ]

    screen.appointment_date.setDate(QDate.currentDate().addDays(14))
    screen.appointment_with.setText("Dr Rivera")
    assert screen.add_appointment()
    for text in ("Is the back ache a worry?", "Can I travel?", "Why so tired?"):
        screen.question_text.setText(text)
        assert screen.add_question()
    assert len(journal.questions(open_only=True)) == 3
    summary = window.checkin.plan_summary.text()
    assert "Dr Rivera" in summary and "3 questions to ask" in summary and "Can I travel?" in summary

    # The chemotherapy now drives the fever rule, without any settings change.
    journal.set_care_team([CareContact("Triage", "", "0800 000")])
    window.checkin.row("temperature").input.number.setText("38.2")
    assert window.checkin.save()
    assert window.banner.isVisibleTo(window)


def test_answer_a_question(window: MainWindow) -> None:
    screen = window.care_plan
    screen.question_text.setText("Can I travel?")
    assert screen.add_question()
    screen.question_table.selectRow(0)
    assert screen.answer_selected("Yes, in May.")
    [q] = window.journal.questions()
    assert q.status is QuestionStatus.ANSWERED and q.answer == "Yes, in May."
    assert "answered" in screen.question_table.item(0, 2).text()
    assert window.checkin.plan_summary.isHidden()


def test_bad_input_keeps_the_form(window: MainWindow, dialogs: list[str]) -> None:
    screen = window.care_plan
    screen.treatment_name.setText("Chemo")
    screen.treatment_start.setDate(QDate.currentDate())
    assert screen.add_treatment()
    screen.treatment_table.selectRow(0)
    screen.treatment_end_date.setDate(QDate.currentDate().addDays(-5))
    assert not screen.end_treatment()
    assert "before it starts" in dialogs[-1]
    screen.result_name.setText("Calcium")
    screen.result_value.setText("2,8")
    assert not screen.add_result()
    assert "unit" in dialogs[-1] and screen.result_value.text() == "2,8"
    screen.result_unit.setText("mmol/L")
    screen.result_low.setText("low")
    assert not screen.add_result()
    assert "not a number" in dialogs[-1]
    screen.result_low.setText("2.2")
    assert screen.add_result()
    assert window.journal.results()[0].value == 2.8
    assert not screen.delete_appointment()
    assert "First choose the appointment" in dialogs[-1]
