//! How some fields of a mail's payload are written: an enum by the label the reader sees (as
//! the engine has always stored it), a date in Chinese, and a time that older messages stored
//! as an empty string when there was none.

use crate::enums::{AppointmentKind, UrgentCategory};
use chrono::{DateTime, NaiveDate, Utc};
use serde::de::{Error as _, IntoDeserializer};
use serde::{Deserialize, Deserializer, Serializer};

/// An enum stored by its label (`窗口预约`); read back from the label or its name (`WINDOW`).
pub(crate) trait Labelled: Copy + for<'de> Deserialize<'de> + 'static {
    /// Every value.
    const VALUES: &'static [Self];
    /// The label.
    fn text(self) -> &'static str;
}

impl Labelled for AppointmentKind {
    const VALUES: &'static [Self] = &AppointmentKind::ALL;
    fn text(self) -> &'static str {
        self.label()
    }
}

impl Labelled for UrgentCategory {
    const VALUES: &'static [Self] = &UrgentCategory::ALL;
    fn text(self) -> &'static str {
        self.label()
    }
}

/// `#[serde(with = "label")]`: an enum as its label.
pub(crate) mod label {
    use super::*;

    pub(crate) fn serialize<T: Labelled, S: Serializer>(
        value: &T,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(value.text())
    }

    pub(crate) fn deserialize<'de, T: Labelled, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<T, D::Error> {
        let text = String::deserialize(deserializer)?;
        if let Some(value) = T::VALUES.iter().find(|v| v.text() == text) {
            return Ok(*value);
        }
        let by_name: Result<T, serde::de::value::Error> =
            T::deserialize(text.as_str().into_deserializer());
        by_name.map_err(|_| D::Error::custom(format!("unknown label `{text}`")))
    }
}

/// `#[serde(with = "chinese_date")]`: a day as `2026年12月04日`.
pub(crate) mod chinese_date {
    use super::*;

    const FORMAT: &str = "%Y年%m月%d日";

    pub(crate) fn serialize<S: Serializer>(
        day: &NaiveDate,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&day.format(FORMAT))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<NaiveDate, D::Error> {
        let text = String::deserialize(deserializer)?;
        NaiveDate::parse_from_str(&text, FORMAT).map_err(D::Error::custom)
    }
}

/// `#[serde(default, deserialize_with = "blank_is_none::deserialize")]`: an optional time that
/// may be stored as `null`, absent, or (before it was typed) an empty string.
pub(crate) mod blank_is_none {
    use super::*;

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<DateTime<Utc>>, D::Error> {
        match Option::<String>::deserialize(deserializer)? {
            None => Ok(None),
            Some(text) if text.is_empty() => Ok(None),
            Some(text) => text.parse().map(Some).map_err(D::Error::custom),
        }
    }
}
