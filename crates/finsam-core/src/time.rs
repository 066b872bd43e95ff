//! Times as the förbund read them: Europe/Stockholm, with the offset written out.

use chrono::{DateTime, Utc};
use chrono_tz::Europe::Stockholm;

/// `2024-02-28 10:45:54 +01:00`, the form of the signature page the members know.
pub fn format_stockholm(t: DateTime<Utc>) -> String {
    t.with_timezone(&Stockholm)
        .format("%Y-%m-%d %H:%M:%S %:z")
        .to_string()
}

/// The date in Europe/Stockholm at `t`: a document's date, today's date of a schedule.
pub fn stockholm_date(t: DateTime<Utc>) -> chrono::NaiveDate {
    t.with_timezone(&Stockholm).date_naive()
}

/// `2024-02-28 10:45 +01:00`, for lists in the UI.
pub fn format_stockholm_minutes(t: DateTime<Utc>) -> String {
    t.with_timezone(&Stockholm)
        .format("%Y-%m-%d %H:%M %:z")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn winter_and_summer_offsets() {
        let winter = Utc.with_ymd_and_hms(2024, 2, 28, 9, 45, 54).unwrap();
        assert_eq!(format_stockholm(winter), "2024-02-28 10:45:54 +01:00");
        let summer = Utc.with_ymd_and_hms(2024, 6, 30, 22, 0, 0).unwrap();
        assert_eq!(format_stockholm(summer), "2024-07-01 00:00:00 +02:00");
        assert_eq!(format_stockholm_minutes(summer), "2024-07-01 00:00 +02:00");
    }
}
