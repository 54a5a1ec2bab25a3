//! Persons and the identity compartment. Identities are sealed with the identity key before they
//! reach SQL and opened only in [`reveal`], after its audit entry is written.

use ozodi_domain::UserId;
use ozodi_domain::case::CaseId;
use ozodi_domain::person::{Identity, PersonId, Pseudonym, Sex};
use ozodi_vault::field::FieldCipher;
use sqlx::{FromRow, SqliteConnection, SqlitePool};
use time::OffsetDateTime;

use super::micros;
use crate::{PersonFields, PersonRecord, StoreError, StoreResult};

/// The entity name of persons in `record_versions`.
const ENTITY: &str = "person";

fn seal(cipher: &FieldCipher, id: PersonId, identity: &Identity) -> StoreResult<Vec<u8>> {
    let json = zeroize::Zeroizing::new(
        serde_json::to_string(identity).map_err(|_| StoreError::Corrupt("identity"))?,
    );
    cipher.seal(&id.to_string(), "identity", &json).map_err(|_| StoreError::Corrupt("identity seal"))
}

pub(super) async fn create(
    conn: &mut SqliteConnection,
    cipher: &FieldCipher,
    case: CaseId,
    fields: &PersonFields,
    identity: &Identity,
    actor: UserId,
    at: OffsetDateTime,
) -> StoreResult<PersonRecord> {
    let exists: Option<i64> = sqlx::query_scalar("SELECT 1 FROM cases WHERE id = ? AND deleted_at IS NULL")
        .bind(case.to_string())
        .fetch_optional(&mut *conn)
        .await?;
    if exists.is_none() {
        return Err(StoreError::NotFound);
    }
    let seq: i64 = sqlx::query_scalar("SELECT coalesce(max(pseudonym_seq), 0) + 1 FROM persons")
        .fetch_one(&mut *conn)
        .await?;
    let pseudonym = Pseudonym(u32::try_from(seq).map_err(|_| StoreError::Corrupt("persons.pseudonym_seq"))?);
    let record =
        PersonRecord { id: PersonId::new(), case_id: case, pseudonym, fields: fields.clone(), version: 1 };
    sqlx::query(
        "INSERT INTO persons (id, case_id, pseudonym_seq, counting_unit, sex, birth_year, version, created_at) \
         VALUES (?, ?, ?, ?, ?, ?, 1, ?)",
    )
    .bind(record.id.to_string())
    .bind(case.to_string())
    .bind(seq)
    .bind(&fields.counting_unit)
    .bind(fields.sex.map(Sex::code))
    .bind(fields.birth_year)
    .bind(micros(at))
    .execute(&mut *conn)
    .await?;
    let sealed = seal(cipher, record.id, identity)?;
    sqlx::query("INSERT INTO identities (person_id, sealed, version) VALUES (?, ?, 1)")
        .bind(record.id.to_string())
        .bind(&sealed)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO identity_versions (person_id, version, at, actor, sealed) VALUES (?, 1, ?, ?, ?)",
    )
    .bind(record.id.to_string())
    .bind(micros(at))
    .bind(actor.to_string())
    .bind(&sealed)
    .execute(&mut *conn)
    .await?;
    let snapshot = serde_json::json!({
        "pseudonym": record.pseudonym.to_string(),
        "case": case.to_string(),
        "counting_unit": fields.counting_unit,
        "sex": fields.sex.map(Sex::code),
        "birth_year": fields.birth_year,
    });
    sqlx::query(
        "INSERT INTO record_versions (entity, record_id, version, at, actor, change, data) VALUES (?, ?, 1, ?, ?, 'created', ?)",
    )
    .bind(ENTITY)
    .bind(record.id.to_string())
    .bind(micros(at))
    .bind(actor.to_string())
    .bind(snapshot.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(record)
}

#[derive(FromRow)]
struct PersonRow {
    id: String,
    case_id: String,
    pseudonym_seq: i64,
    counting_unit: String,
    sex: Option<String>,
    birth_year: Option<i64>,
    version: i64,
}

pub(super) async fn of_case(pool: &SqlitePool, case: CaseId) -> StoreResult<Vec<PersonRecord>> {
    let rows: Vec<PersonRow> = sqlx::query_as(
        "SELECT id, case_id, pseudonym_seq, counting_unit, sex, birth_year, version FROM persons \
         WHERE case_id = ? AND deleted_at IS NULL ORDER BY pseudonym_seq",
    )
    .bind(case.to_string())
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(PersonRecord {
                id: PersonId::parse(&r.id).ok_or(StoreError::Corrupt("persons.id"))?,
                case_id: CaseId::parse(&r.case_id).ok_or(StoreError::Corrupt("persons.case_id"))?,
                pseudonym: Pseudonym(
                    u32::try_from(r.pseudonym_seq)
                        .map_err(|_| StoreError::Corrupt("persons.pseudonym_seq"))?,
                ),
                fields: PersonFields {
                    counting_unit: r.counting_unit,
                    sex: r.sex.as_deref().and_then(Sex::parse),
                    birth_year: r.birth_year.and_then(|y| i32::try_from(y).ok()),
                },
                version: r.version,
            })
        })
        .collect()
}

/// Reads and opens the sealed identity (the caller has already written the audit entry in this
/// transaction).
pub(super) async fn open(
    conn: &mut SqliteConnection,
    cipher: &FieldCipher,
    person: PersonId,
) -> StoreResult<Identity> {
    let sealed: Option<Vec<u8>> = sqlx::query_scalar("SELECT sealed FROM identities WHERE person_id = ?")
        .bind(person.to_string())
        .fetch_optional(&mut *conn)
        .await?;
    let sealed = sealed.ok_or(StoreError::NotFound)?;
    let json = cipher
        .open(&person.to_string(), "identity", &sealed)
        .map_err(|_| StoreError::Corrupt("identities.sealed"))?;
    serde_json::from_str(&json).map_err(|_| StoreError::Corrupt("identities.sealed"))
}
