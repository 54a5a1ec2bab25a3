//! Partial dates (HURIDOCS micro-thesaurus 48, "types of dates"): victims often remember "spring
//! 2024" or "some day in March", and a court must see exactly what was known. A day-unknown date is
//! stored as the 1st of the month and a month-unknown date as 1 January, as the Events Standard
//! Formats do, with the precision beside it so nobody mistakes it for an exact date.

use std::fmt;

use time::{Date, Month, OffsetDateTime, UtcOffset};

/// Asia/Dushanbe: UTC+5 all year (Tajikistan has not observed daylight saving time since 1991).
/// Days (case-number years, "today", date filters) are Dushanbe days.
pub const DUSHANBE: UtcOffset = match UtcOffset::from_hms(5, 0, 0) {
    Ok(offset) => offset,
    Err(_) => UtcOffset::UTC,
};

/// How much of a date is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DatePrecision {
    /// The exact day.
    Exact,
    /// A day given as an estimate.
    Estimated,
    /// Year and month known, day not.
    DayUnknown,
    /// Only the year known.
    MonthDayUnknown,
}

impl DatePrecision {
    /// Every precision, in the order forms offer them.
    pub const ALL: [DatePrecision; 4] = [
        DatePrecision::Exact,
        DatePrecision::Estimated,
        DatePrecision::DayUnknown,
        DatePrecision::MonthDayUnknown,
    ];

    /// The stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            DatePrecision::Exact => "exact",
            DatePrecision::Estimated => "estimated",
            DatePrecision::DayUnknown => "day-unknown",
            DatePrecision::MonthDayUnknown => "month-day-unknown",
        }
    }

    /// Parses a stored code.
    pub fn parse(code: &str) -> Option<Self> {
        DatePrecision::ALL.into_iter().find(|p| p.code() == code)
    }
}

/// Why a partial date was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PartialDateError {
    /// The year is missing or outside 1900..=2100.
    #[error("the year must be between 1900 and 2100")]
    Year,
    /// The month is not 1..=12, or missing where the precision needs it.
    #[error("the month must be between 1 and 12")]
    Month,
    /// The day does not exist in that month, or is missing where the precision needs it.
    #[error("the day does not exist in that month")]
    Day,
}

/// A date and how much of it is known. Cannot be built in an inconsistent state: a day-unknown date
/// always falls on the 1st, a month-unknown date on 1 January.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PartialDate {
    date: Date,
    precision: DatePrecision,
}

fn parse_number(text: &str) -> Option<i32> {
    let t = text.trim();
    if t.is_empty() || t.len() > 4 || !t.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}

impl PartialDateError {
    /// Every reason.
    pub const ALL: [PartialDateError; 3] =
        [PartialDateError::Year, PartialDateError::Month, PartialDateError::Day];
}

impl PartialDate {
    /// Builds a partial date from form fields: year, month and day as typed (empty when unknown)
    /// and whether the user marked the date as estimated. The precision follows from what was
    /// given: no day → day unknown; no month → month and day unknown. Returns `Ok(None)` when all
    /// three fields are empty (no date at all).
    pub fn from_fields(
        year: &str,
        month: &str,
        day: &str,
        estimated: bool,
    ) -> Result<Option<Self>, PartialDateError> {
        if year.trim().is_empty() && month.trim().is_empty() && day.trim().is_empty() {
            return Ok(None);
        }
        let year = parse_number(year).filter(|y| (1900..=2100).contains(y)).ok_or(PartialDateError::Year)?;
        let month_given = !month.trim().is_empty();
        let day_given = !day.trim().is_empty();
        if day_given && !month_given {
            return Err(PartialDateError::Month);
        }
        let month = if month_given {
            let m = parse_number(month).ok_or(PartialDateError::Month)?;
            Month::try_from(u8::try_from(m).map_err(|_| PartialDateError::Month)?)
                .map_err(|_| PartialDateError::Month)?
        } else {
            Month::January
        };
        let day = if day_given {
            u8::try_from(parse_number(day).ok_or(PartialDateError::Day)?)
                .map_err(|_| PartialDateError::Day)?
        } else {
            1
        };
        let date = Date::from_calendar_date(year, month, day).map_err(|_| PartialDateError::Day)?;
        let precision = match (month_given, day_given, estimated) {
            (false, _, _) => DatePrecision::MonthDayUnknown,
            (true, false, _) => DatePrecision::DayUnknown,
            (true, true, true) => DatePrecision::Estimated,
            (true, true, false) => DatePrecision::Exact,
        };
        Ok(Some(PartialDate { date, precision }))
    }

    /// Rebuilds a stored date, normalising the unknown parts (a stored value that contradicts its
    /// precision is corrected rather than trusted).
    pub fn from_stored(date: Date, precision: DatePrecision) -> Self {
        let date = match precision {
            DatePrecision::Exact | DatePrecision::Estimated => date,
            DatePrecision::DayUnknown => date.replace_day(1).unwrap_or(date),
            DatePrecision::MonthDayUnknown => {
                Date::from_calendar_date(date.year(), Month::January, 1).unwrap_or(date)
            }
        };
        PartialDate { date, precision }
    }

    /// The stored date (1st of the month / 1 January for unknown parts).
    pub fn date(self) -> Date {
        self.date
    }

    /// The precision.
    pub fn precision(self) -> DatePrecision {
        self.precision
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.date.year()
    }

    /// The month, if known.
    pub fn month(self) -> Option<u8> {
        (self.precision != DatePrecision::MonthDayUnknown).then(|| u8::from(self.date.month()))
    }

    /// The day, if known (also for an estimated day).
    pub fn day(self) -> Option<u8> {
        matches!(self.precision, DatePrecision::Exact | DatePrecision::Estimated).then(|| self.date.day())
    }

    /// The last day the date could stand for: for range filters ("acts in March 2024" must find a
    /// day-unknown March 2024 date).
    pub fn latest(self) -> Date {
        match self.precision {
            DatePrecision::Exact | DatePrecision::Estimated => self.date,
            DatePrecision::DayUnknown => {
                let next = self.date.month().next();
                let year = if next == Month::January { self.date.year() + 1 } else { self.date.year() };
                Date::from_calendar_date(year, next, 1)
                    .map(|d| d.previous_day().unwrap_or(d))
                    .unwrap_or(self.date)
            }
            DatePrecision::MonthDayUnknown => {
                Date::from_calendar_date(self.date.year(), Month::December, 31).unwrap_or(self.date)
            }
        }
    }
}

impl fmt::Display for PartialDate {
    /// Numeric and language-neutral: `12.03.2024`, `~12.03.2024`, `03.2024`, `2024`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.date;
        match self.precision {
            DatePrecision::Exact => write!(f, "{:02}.{:02}.{}", d.day(), u8::from(d.month()), d.year()),
            DatePrecision::Estimated => write!(f, "~{:02}.{:02}.{}", d.day(), u8::from(d.month()), d.year()),
            DatePrecision::DayUnknown => write!(f, "{:02}.{}", u8::from(d.month()), d.year()),
            DatePrecision::MonthDayUnknown => write!(f, "{}", d.year()),
        }
    }
}

/// Parses an ISO day (`2026-11-30`: an `<input type="date">`, or a stored day). `None` for
/// anything else.
pub fn parse_iso_day(text: &str) -> Option<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text.trim(), &format).ok()
}

/// Parses the value of an `<input type="datetime-local">` (`2026-11-30T14:05`, seconds allowed)
/// as Dushanbe time. `None` for anything else.
pub fn parse_local_datetime(text: &str) -> Option<OffsetDateTime> {
    let text = text.trim();
    let (date, clock) = text.split_once('T').or_else(|| text.split_once(' '))?;
    let mut d = date.splitn(3, '-').map(|p| p.parse::<i32>().ok());
    let (year, month, day) = (d.next()??, d.next()??, d.next()??);
    let mut c = clock.splitn(3, ':').map(|p| p.parse::<u8>().ok());
    let (hour, minute) = (c.next()??, c.next()??);
    let second = match c.next() {
        Some(s) => s?,
        None => 0,
    };
    let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
    let date = Date::from_calendar_date(year, month, u8::try_from(day).ok()?).ok()?;
    let clock = time::Time::from_hms(hour, minute, second).ok()?;
    Some(time::PrimitiveDateTime::new(date, clock).assume_offset(DUSHANBE))
}

/// The value of an `<input type="datetime-local">` for `t`, in Dushanbe time, to the minute.
pub fn local_datetime_input(t: OffsetDateTime) -> String {
    let d = t.to_offset(DUSHANBE);
    format!("{}-{:02}-{:02}T{:02}:{:02}", d.year(), u8::from(d.month()), d.day(), d.hour(), d.minute())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn pd(y: &str, m: &str, d: &str, est: bool) -> Result<Option<PartialDate>, PartialDateError> {
        PartialDate::from_fields(y, m, d, est)
    }

    #[test]
    fn precision_follows_what_is_known() -> Result<(), PartialDateError> {
        let exact = pd("2024", "3", "12", false)?.ok_or(PartialDateError::Year)?;
        assert_eq!((exact.precision(), exact.to_string()), (DatePrecision::Exact, "12.03.2024".into()));
        let est = pd("2024", "03", "12", true)?.ok_or(PartialDateError::Year)?;
        assert_eq!(est.to_string(), "~12.03.2024");
        let month = pd("2024", "3", "", false)?.ok_or(PartialDateError::Year)?;
        assert_eq!(
            (month.date(), month.to_string(), month.day()),
            (date!(2024 - 03 - 01), "03.2024".into(), None)
        );
        let year = pd(" 2024 ", "", "", true)?.ok_or(PartialDateError::Year)?;
        assert_eq!(
            (year.precision(), year.date(), year.month()),
            (DatePrecision::MonthDayUnknown, date!(2024 - 01 - 01), None)
        );
        assert_eq!(pd("", "", "", false)?, None);
        Ok(())
    }

    #[test]
    fn impossible_dates_are_refused() {
        assert_eq!(pd("2023", "2", "29", false), Err(PartialDateError::Day));
        assert_eq!(pd("2024", "13", "", false), Err(PartialDateError::Month));
        assert_eq!(pd("2024", "", "5", false), Err(PartialDateError::Month));
        assert_eq!(pd("1850", "", "", false), Err(PartialDateError::Year));
        assert_eq!(pd("", "3", "", false), Err(PartialDateError::Year));
        assert_eq!(pd("20x4", "", "", false), Err(PartialDateError::Year));
        assert_eq!(pd("2024", "-1", "", false), Err(PartialDateError::Month));
    }

    #[test]
    fn ranges_cover_the_unknown_parts() -> Result<(), PartialDateError> {
        let feb = pd("2024", "2", "", false)?.ok_or(PartialDateError::Year)?;
        assert_eq!(feb.latest(), date!(2024 - 02 - 29));
        let dec = pd("2023", "12", "", false)?.ok_or(PartialDateError::Year)?;
        assert_eq!(dec.latest(), date!(2023 - 12 - 31));
        let year = pd("2023", "", "", false)?.ok_or(PartialDateError::Year)?;
        assert_eq!(year.latest(), date!(2023 - 12 - 31));
        Ok(())
    }

    #[test]
    fn stored_values_are_normalised() {
        let d = PartialDate::from_stored(date!(2024 - 05 - 17), DatePrecision::DayUnknown);
        assert_eq!(d.date(), date!(2024 - 05 - 01));
        assert_eq!(DatePrecision::parse("day-unknown"), Some(DatePrecision::DayUnknown));
    }

    #[test]
    fn local_datetimes_are_dushanbe_time() {
        let t = parse_local_datetime("2026-11-30T14:05");
        assert_eq!(t, Some(time::macros::datetime!(2026-11-30 09:05 UTC)));
        assert_eq!(t.map(local_datetime_input).as_deref(), Some("2026-11-30T14:05"));
        assert_eq!(parse_local_datetime("2026-11-30T14:05:30").map(|t| t.second()), Some(30));
        for bad in ["", "2026-11-30", "2026-13-01T10:00", "2026-02-30T10:00", "2026-11-30T25:00", "x-1-1T1:1"]
        {
            assert_eq!(parse_local_datetime(bad), None, "{bad}");
        }
    }
}
