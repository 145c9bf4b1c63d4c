//! Small builders shared by the migration steps: typed columns, foreign keys, indexes.

use sea_orm_migration::prelude::*;

/// A `NOT NULL` UUID column.
pub fn uuid(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).uuid().not_null().take()
}

/// A nullable UUID column.
pub fn uuid_null(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).uuid().null().take()
}

/// The UUID primary key `id`.
pub fn pk() -> ColumnDef {
    ColumnDef::new("id").uuid().not_null().primary_key().take()
}

/// A `NOT NULL` text column.
pub fn text(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).text().not_null().take()
}

/// A nullable text column.
pub fn text_null(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).text().null().take()
}

/// A `NOT NULL` 32-bit integer column.
pub fn int(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).integer().not_null().take()
}

/// A nullable 32-bit integer column.
pub fn int_null(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).integer().null().take()
}

/// A `NOT NULL` 64-bit integer column.
pub fn bigint(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).big_integer().not_null().take()
}

/// A `NOT NULL` boolean column.
pub fn boolean(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).boolean().not_null().take()
}

/// A `NOT NULL` JSON column.
pub fn json(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).json().not_null().take()
}

/// A nullable JSON column.
pub fn json_null(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).json().null().take()
}

/// A `NOT NULL` instant (timestamp with time zone, stored in UTC).
pub fn at(name: &'static str) -> ColumnDef {
    ColumnDef::new(name)
        .timestamp_with_time_zone()
        .not_null()
        .take()
}

/// A nullable instant.
pub fn at_null(name: &'static str) -> ColumnDef {
    ColumnDef::new(name)
        .timestamp_with_time_zone()
        .null()
        .take()
}

/// A foreign key `table.column → target.id`.
pub fn fk(
    table: &'static str,
    column: &'static str,
    target: &'static str,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{column}"))
        .from(table, column)
        .to(target, "id")
        .take()
}

/// A (non-unique) index over `columns` of `table`.
pub fn index(
    name: &'static str,
    table: &'static str,
    columns: &[&'static str],
) -> IndexCreateStatement {
    let mut stmt = Index::create().name(name).table(table).take();
    for column in columns {
        stmt.col(*column);
    }
    stmt
}

/// Drops the listed tables, last-created first.
pub async fn drop_tables(
    manager: &SchemaManager<'_>,
    tables: &[&'static str],
) -> Result<(), DbErr> {
    for table in tables {
        manager
            .drop_table(Table::drop().table(*table).to_owned())
            .await?;
    }
    Ok(())
}

/// `ALTER TABLE table ADD COLUMN column` — one column per statement, as SQLite wants.
pub async fn add_column(
    manager: &SchemaManager<'_>,
    table: &'static str,
    col: ColumnDef,
) -> Result<(), DbErr> {
    manager
        .alter_table(Table::alter().table(table).add_column(col).to_owned())
        .await
}

/// Drops the listed columns of each table, one per statement.
pub async fn drop_columns(
    manager: &SchemaManager<'_>,
    drops: &[(&'static str, &[&'static str])],
) -> Result<(), DbErr> {
    for (table, columns) in drops {
        for column in *columns {
            manager
                .alter_table(Table::alter().table(*table).drop_column(*column).to_owned())
                .await?;
        }
    }
    Ok(())
}

/// A `NOT NULL` boolean column that starts `false` on existing rows.
pub fn flag(name: &'static str) -> ColumnDef {
    ColumnDef::new(name)
        .boolean()
        .not_null()
        .default(false)
        .take()
}
