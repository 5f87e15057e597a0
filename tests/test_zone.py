"""The company's time zone, read one way (ct/core/zone.py): days and hours across the
daylight-saving changes, in any zone the company sets."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from ct.core.zone import day_bounds, local_today, start_of_day, to_local, to_utc


@pytest.fixture
def paris(app):
    with app.app_context():
        yield


def test_a_day_lasts_23_hours_when_the_clocks_go_forward(paris):
    start, end = day_bounds(date(2026, 3, 29), date(2026, 3, 29))
    assert start == datetime(2026, 3, 28, 23, 0, tzinfo=UTC)
    assert end - start == timedelta(hours=23)


def test_a_day_lasts_25_hours_when_the_clocks_go_back(paris):
    start, end = day_bounds(date(2026, 10, 25), date(2026, 10, 25))
    assert end - start == timedelta(hours=25)


def test_open_ranges_stay_open(paris):
    assert day_bounds(None, None) == (None, None)
    assert day_bounds(date(2026, 1, 1), None) == (datetime(2025, 12, 31, 23, tzinfo=UTC), None)


def test_wall_clock_times_take_the_offset_of_their_season(paris):
    assert to_utc(datetime(2026, 1, 15, 9, 0)) == datetime(2026, 1, 15, 8, 0, tzinfo=UTC)
    assert to_utc(datetime(2026, 7, 15, 9, 0)) == datetime(2026, 7, 15, 7, 0, tzinfo=UTC)
    assert to_local(datetime(2026, 7, 15, 7, 0, tzinfo=UTC)) == datetime(2026, 7, 15, 9, 0)


def test_today_is_the_company_s_day_not_the_server_s(app):
    late_evening_utc = datetime(2026, 12, 6, 23, 30, tzinfo=UTC)
    with app.app_context():
        assert local_today(late_evening_utc) == date(2026, 12, 7)  # Paris: 00:30
        app.config["BABEL_DEFAULT_TIMEZONE"] = "America/New_York"
        try:
            assert local_today(late_evening_utc) == date(2026, 12, 6)  # 18:30
            assert start_of_day(date(2026, 12, 6)) == datetime(2026, 12, 6, 5, tzinfo=UTC)
        finally:
            app.config["BABEL_DEFAULT_TIMEZONE"] = "Europe/Paris"
