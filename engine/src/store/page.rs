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

/// Reads one keyset page of `query` with the rows whose boolean `first` column is true ahead of
/// the rest (urgent before ordinary), each part by the UUIDv7 column `id` (oldest first, or
/// newest first). The cursor stays the last id seen: its row's flag is read back to resume (so
/// a row whose flag changes between two pages may be listed twice or skipped once, as with
/// any list that changes while it is read).
///
/// # Errors
/// `INTERNAL` on a database fault.
pub(crate) async fn fetch_flag_first<E, C>(
    db: &C,
    query: Select<E>,
    first: E::Column,
    id: E::Column,
    newest_first: bool,
    page: PageRequest,
) -> Result<Page<E::Model>>
where
    E: EntityTrait,
    E::Model: Sync,
    C: ConnectionTrait,
{
    use sea_orm::Condition;
    let total = if page.with_total {
        Some(query.clone().count(db).await?)
    } else {
        None
    };
    let mut ordered = query.clone().order_by_desc(first);
    ordered = if newest_first {
        ordered.order_by_desc(id)
    } else {
        ordered.order_by_asc(id)
    };
    if let Some(after) = page.after {
        let flag: Option<bool> = E::find()
            .select_only()
            .column(first)
            .filter(id.eq(after))
            .into_tuple()
            .one(db)
            .await?;
        let beyond = if newest_first {
            id.lt(after)
        } else {
            id.gt(after)
        };
        ordered = ordered.filter(match flag {
            Some(true) => Condition::any()
                .add(first.eq(false))
                .add(Condition::all().add(first.eq(true)).add(beyond)),
            _ => Condition::all().add(first.eq(false)).add(beyond),
        });
    }
    let rows = ordered.limit(page.first + 1).all(db).await?;
    let mut found = Page::from_rows(rows, page);
    found.total = total;
    Ok(found)
}
