//! Keyset pages for Relay connections. Rows are ordered by their UUIDv7 id (time-ordered), so
//! the cursor is simply the last id seen: stable under inserts, cheap with an index.

use crate::error::{Error, Result};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};
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
    /// Whether to count every matching item too (`totalCount`, asked for only when selected).
    pub with_total: bool,
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
        Ok(PageRequest {
            first,
            after,
            with_total: false,
        })
    }

    /// The same page, counting every match too when `yes`.
    pub fn counting(self, yes: bool) -> Self {
        PageRequest {
            with_total: yes,
            ..self
        }
    }
}

/// One page of items.
#[derive(Debug, Clone)]
pub struct Page<T> {
    /// The items, in order.
    pub items: Vec<T>,
    /// Whether more follow.
    pub has_next: bool,
    /// How many match across every page, when asked for.
    pub total: Option<u64>,
}

impl<T> Page<T> {
    /// Cuts a page from `rows` fetched with `LIMIT first + 1`.
    pub fn from_rows(mut rows: Vec<T>, request: PageRequest) -> Self {
        let has_next = rows.len() as u64 > request.first;
        rows.truncate(request.first as usize);
        Page {
            items: rows,
            has_next,
            total: None,
        }
    }

    /// The same page with its items mapped.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            has_next: self.has_next,
            total: self.total,
        }
    }
}

/// Reads one keyset page of `query` ordered by the UUIDv7 column `id` (newest first, or oldest
/// first), counting every match too when the request asks.
///
/// # Errors
/// `INTERNAL` on a database fault.
pub(crate) async fn fetch<E, C>(
    db: &C,
    query: Select<E>,
    id: E::Column,
    newest_first: bool,
    page: PageRequest,
) -> Result<Page<E::Model>>
where
    E: EntityTrait,
    E::Model: Sync,
    C: ConnectionTrait,
{
    let total = if page.with_total {
        Some(query.clone().count(db).await?)
    } else {
        None
    };
    let mut query = if newest_first {
        query.order_by_desc(id)
    } else {
        query.order_by_asc(id)
    };
    if let Some(after) = page.after {
        query = query.filter(if newest_first {
            id.lt(after)
        } else {
            id.gt(after)
        });
    }
    let rows = query.limit(page.first + 1).all(db).await?;
    let mut found = Page::from_rows(rows, page);
    found.total = total;
    Ok(found)
}
