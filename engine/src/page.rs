//! Keyset pages for Relay connections. Rows are ordered by their UUIDv7 id (time-ordered), so
//! the cursor is simply the last id seen: stable under inserts, cheap with an index.

use crate::error::{Error, Result};
use uuid::Uuid;

/// The most items one page returns.
pub const MAX_PAGE: u64 = 100;

/// Which page to read.
#[derive(Debug, Clone, Copy)]
pub struct PageRequest {
    /// How many items.
    pub first: u64,
    /// Read after this id (exclusive).
    pub after: Option<Uuid>,
}

impl PageRequest {
    /// Checks a page request from the API.
    ///
    /// # Errors
    /// `INVALID_INPUT` for a size outside 1..=100 or a malformed cursor.
    pub fn new(first: Option<i32>, after: Option<&str>) -> Result<Self> {
        let first = match first {
            None => 20,
            Some(n) if n >= 1 && i64::from(n) <= MAX_PAGE as i64 => n as u64,
            Some(_) => return Err(Error::invalid("first", format!("must be 1..={MAX_PAGE}"))),
        };
        let after = after
            .map(|c| Uuid::parse_str(c).map_err(|_| Error::invalid("after", "malformed cursor")))
            .transpose()?;
        Ok(PageRequest { first, after })
    }
}

/// One page of items.
#[derive(Debug, Clone)]
pub struct Page<T> {
    /// The items, in order.
    pub items: Vec<T>,
    /// Whether more follow.
    pub has_next: bool,
}

impl<T> Page<T> {
    /// Cuts a page from `rows` fetched with `LIMIT first + 1`.
    pub fn from_rows(mut rows: Vec<T>, request: PageRequest) -> Self {
        let has_next = rows.len() as u64 > request.first;
        rows.truncate(request.first as usize);
        Page {
            items: rows,
            has_next,
        }
    }
}
