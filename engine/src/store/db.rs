//! Connecting to the database (SQLite embedded, PostgreSQL in production). Migrating it is the
//! binary's business (`lianban-migration` stands alone; the engine works on a migrated database).

use crate::error::{Error, Result};
pub use sea_orm::DbBackend;
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection};
use std::time::Duration;

/// How to reach the database.
#[derive(Debug, Clone)]
pub struct DbConfig {
    /// `sqlite://FILE?mode=rwc` or `postgres://…`.
    pub url: String,
    /// PostgreSQL schema to use (created when missing); `None` for the server's default.
    pub schema: Option<String>,
    /// Pool size.
    pub max_connections: u32,
}

/// Which database a URL names.
///
/// # Errors
/// `INVALID_INPUT` for a URL that is neither SQLite nor PostgreSQL.
pub fn backend_of(url: &str) -> Result<DbBackend> {
    if url.starts_with("sqlite:") {
        Ok(DbBackend::Sqlite)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(DbBackend::Postgres)
    } else {
        Err(Error::invalid(
            "database_url",
            "must start with sqlite: or postgres://",
        ))
    }
}

/// Opens a connection pool.
///
/// # Errors
/// `INVALID_INPUT` for a bad URL or schema name; `INTERNAL` when the database cannot be reached.
pub async fn connect(config: &DbConfig) -> Result<DatabaseConnection> {
    let backend = backend_of(&config.url)?;
    let mut options = ConnectOptions::new(config.url.clone());
    options
        .max_connections(config.max_connections.max(1))
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(30))
        // A connection in use is known to be alive; ping only one that sat idle long enough
        // for a server, proxy or firewall to have dropped it (a ping on every checkout doubles
        // the round trips of every statement).
        .test_before_acquire_if_idle_for(Duration::from_secs(30))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(30))
                .foreign_keys(true)
        });
    if let Some(schema) = &config.schema {
        if backend != DbBackend::Postgres {
            return Err(Error::invalid(
                "database_schema",
                "only PostgreSQL has schemas",
            ));
        }
        if schema.is_empty()
            || !schema
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            return Err(Error::invalid(
                "database_schema",
                "use lowercase letters, digits and underscores",
            ));
        }
        let admin = Database::connect(config.url.clone()).await?;
        admin
            .execute_unprepared(&format!("CREATE SCHEMA IF NOT EXISTS {schema}"))
            .await?;
        admin.close().await?;
        options.set_schema_search_path(schema.clone());
    }
    Ok(Database::connect(options).await?)
}

/// The file an SQLite URL names (`sqlite://lianban.db?mode=rwc` → `lianban.db`); `None` for
/// an in-memory database or another backend.
pub fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && path != ":memory:").then(|| std::path::PathBuf::from(path))
}

/// Makes the embedded database readable by the service's own account only (it holds the
/// installation's signing key and applicants' personal data): mode 0600 for the file and its
/// `-wal` and `-shm` companions.
///
/// # Errors
/// `INTERNAL` when the permissions cannot be set.
pub fn restrict_sqlite_file(url: &str) -> Result<()> {
    #[cfg(unix)]
    if let Some(path) = sqlite_file(url) {
        use std::os::unix::fs::PermissionsExt;
        for suffix in ["", "-wal", "-shm"] {
            let mut file = path.clone().into_os_string();
            file.push(suffix);
            if std::path::Path::new(&file).exists() {
                std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))
                    .map_err(|e| Error::Internal(format!("restricting {}: {e}", path.display())))?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::sqlite_file;
    use std::path::PathBuf;

    #[test]
    fn the_sqlite_file_of_a_url() {
        assert_eq!(
            sqlite_file("sqlite://lianban.db?mode=rwc"),
            Some(PathBuf::from("lianban.db"))
        );
        assert_eq!(
            sqlite_file("sqlite:///var/lib/lianban/x.db"),
            Some(PathBuf::from("/var/lib/lianban/x.db"))
        );
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("postgres://h/db"), None);
    }
}
