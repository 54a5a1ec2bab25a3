//! Account queries.

use ozodi_domain::{DisplayName, Role, RoleSet, UserId, Username};
use sqlx::{FromRow, SqliteConnection, SqlitePool};
use time::OffsetDateTime;

use super::{from_micros, micros};
use crate::{NewUser, Session, StoreError, StoreResult, User};

#[derive(FromRow)]
struct UserRow {
    id: String,
    username: String,
    display_name: String,
    roles: Option<String>,
    disabled: bool,
    must_change_password: bool,
    language: Option<String>,
    created_at: i64,
}

/// The account columns plus the roles as a comma-separated list, followed by a fixed tail.
macro_rules! select_users {
    ($tail:literal) => {
        concat!(
            "SELECT users.id, username, display_name, disabled, must_change_password, language, created_at, ",
            "(SELECT group_concat(role) FROM user_roles WHERE user_id = users.id) AS roles FROM users",
            $tail
        )
    };
}

impl UserRow {
    fn into_user(self) -> StoreResult<User> {
        let roles = self
            .roles
            .as_deref()
            .unwrap_or("")
            .split(',')
            .filter(|r| !r.is_empty())
            .map(|r| Role::parse(r).ok_or(StoreError::Corrupt("user_roles.role")))
            .collect::<StoreResult<RoleSet>>()?;
        Ok(User {
            id: UserId::parse(&self.id).ok_or(StoreError::Corrupt("users.id"))?,
            username: Username::parse(&self.username).map_err(|_| StoreError::Corrupt("users.username"))?,
            display_name: DisplayName::parse(&self.display_name)
                .map_err(|_| StoreError::Corrupt("users.display_name"))?,
            roles,
            disabled: self.disabled,
            must_change_password: self.must_change_password,
            language: self.language,
            created_at: from_micros(self.created_at)?,
        })
    }
}

#[derive(FromRow)]
struct SessionRow {
    #[sqlx(flatten)]
    user: UserRow,
    csrf_token: String,
    session_created: i64,
    last_seen_at: i64,
}

pub(super) async fn session(pool: &SqlitePool, token_hash: &[u8]) -> StoreResult<Option<(Session, User)>> {
    let row: Option<SessionRow> = sqlx::query_as(concat!(
        "SELECT users.id, username, display_name, disabled, must_change_password, language, ",
        "users.created_at AS created_at, ",
        "(SELECT group_concat(role) FROM user_roles WHERE user_id = users.id) AS roles, ",
        "sessions.csrf_token, sessions.created_at AS session_created, sessions.last_seen_at ",
        "FROM sessions JOIN users ON users.id = sessions.user_id WHERE sessions.token_hash = ?"
    ))
    .bind(token_hash)
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let user = row.user.into_user()?;
    let session = Session {
        user_id: user.id,
        csrf_token: row.csrf_token,
        created_at: from_micros(row.session_created)?,
        last_seen_at: from_micros(row.last_seen_at)?,
    };
    Ok(Some((session, user)))
}

pub(super) async fn by_id(pool: &SqlitePool, id: UserId) -> StoreResult<Option<User>> {
    let row: Option<UserRow> = sqlx::query_as(select_users!(" WHERE users.id = ?"))
        .bind(id.to_string())
        .fetch_optional(pool)
        .await?;
    row.map(UserRow::into_user).transpose()
}

pub(super) async fn for_login(pool: &SqlitePool, username: &Username) -> StoreResult<Option<(User, String)>> {
    let row: Option<UserRow> = sqlx::query_as(select_users!(" WHERE username = ?"))
        .bind(username.as_str())
        .fetch_optional(pool)
        .await?;
    let Some(user) = row.map(UserRow::into_user).transpose()? else { return Ok(None) };
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = ?")
        .bind(user.id.to_string())
        .fetch_one(pool)
        .await?;
    Ok(Some((user, hash)))
}

pub(super) async fn all(pool: &SqlitePool) -> StoreResult<Vec<User>> {
    let rows: Vec<UserRow> = sqlx::query_as(select_users!(" ORDER BY username")).fetch_all(pool).await?;
    rows.into_iter().map(UserRow::into_user).collect()
}

pub(super) async fn insert(
    conn: &mut SqliteConnection,
    user: &NewUser,
    at: OffsetDateTime,
) -> StoreResult<UserId> {
    let id = UserId::new();
    let result = sqlx::query(
        "INSERT INTO users (id, username, display_name, password_hash, must_change_password, disabled, \
         created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?)",
    )
    .bind(id.to_string())
    .bind(user.username.as_str())
    .bind(user.display_name.as_str())
    .bind(&user.password_hash)
    .bind(user.must_change_password)
    .bind(micros(at))
    .bind(micros(at))
    .execute(&mut *conn)
    .await;
    match result {
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => return Err(StoreError::Conflict),
        other => {
            other?;
        }
    }
    replace_roles(conn, id, user.roles).await?;
    Ok(id)
}

/// Marks an account as changed, failing with `NotFound` when it does not exist.
pub(super) async fn touch(conn: &mut SqliteConnection, id: UserId, at: OffsetDateTime) -> StoreResult<()> {
    let done = sqlx::query("UPDATE users SET updated_at = ? WHERE id = ?")
        .bind(micros(at))
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub(super) async fn replace_roles(
    conn: &mut SqliteConnection,
    id: UserId,
    roles: RoleSet,
) -> StoreResult<()> {
    sqlx::query("DELETE FROM user_roles WHERE user_id = ?").bind(id.to_string()).execute(&mut *conn).await?;
    for role in roles.iter() {
        sqlx::query("INSERT INTO user_roles (user_id, role) VALUES (?, ?)")
            .bind(id.to_string())
            .bind(role.code())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub(super) async fn delete_sessions(conn: &mut SqliteConnection, id: UserId) -> StoreResult<()> {
    sqlx::query("DELETE FROM sessions WHERE user_id = ?").bind(id.to_string()).execute(&mut *conn).await?;
    Ok(())
}
