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

/// Also read from a JSON array in column order (the case file reads several lists in one statement).
#[derive(FromRow, serde::Deserialize)]
pub(super) struct PersonRow {
    id: String,
    case_id: String,
    pseudonym_seq: i64,
    counting_unit: String,
    sex: Option<String>,
    birth_year: Option<i64>,
    version: i64,
}

pub(super) async fn of_case(conn: &mut SqliteConnection, case: CaseId) -> StoreResult<Vec<PersonRecord>> {
    let rows: Vec<PersonRow> = sqlx::query_as(
        "SELECT id, case_id, pseudonym_seq, counting_unit, sex, birth_year, version FROM persons \
         WHERE case_id = ? AND deleted_at IS NULL ORDER BY pseudonym_seq",
    )
    .bind(case.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter().map(PersonRow::into_record).collect()
}

impl PersonRow {
    pub(super) fn into_record(self) -> StoreResult<PersonRecord> {
        Ok(PersonRecord {
            id: PersonId::parse(&self.id).ok_or(StoreError::Corrupt("persons.id"))?,
            case_id: CaseId::parse(&self.case_id).ok_or(StoreError::Corrupt("persons.case_id"))?,
            pseudonym: Pseudonym(
                u32::try_from(self.pseudonym_seq)
                    .map_err(|_| StoreError::Corrupt("persons.pseudonym_seq"))?,
            ),
            fields: PersonFields {
                counting_unit: self.counting_unit,
                sex: self.sex.as_deref().and_then(Sex::parse),
                birth_year: self.birth_year.and_then(|y| i32::try_from(y).ok()),
            },
            version: self.version,
        })
    }
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

pub(super) async fn get(pool: &SqlitePool, person: PersonId) -> StoreResult<Option<PersonRecord>> {
    let row: Option<PersonRow> = sqlx::query_as(
        "SELECT id, case_id, pseudonym_seq, counting_unit, sex, birth_year, version FROM persons \
         WHERE id = ? AND deleted_at IS NULL",
    )
    .bind(person.to_string())
    .fetch_optional(pool)
    .await?;
    row.map(PersonRow::into_record).transpose()
}

/// Possible duplicates of a person (see `Store::duplicate_candidates`).
pub(super) async fn duplicates(
    pool: &SqlitePool,
    person: PersonId,
    user: UserId,
) -> StoreResult<Vec<crate::DuplicateCandidate>> {
    let id = person.to_string();
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT other.person_id, count(*) AS shared FROM name_index mine \
         JOIN name_index other ON other.token = mine.token AND other.person_id <> mine.person_id \
         JOIN persons p ON p.id = other.person_id AND p.deleted_at IS NULL \
         JOIN cases c ON c.id = other.case_id AND c.deleted_at IS NULL \
         WHERE mine.person_id = ?1 AND other.case_id IN (SELECT case_id FROM case_team WHERE user_id = ?2 \
         AND identity_access = 1 AND removed_at IS NULL) \
         GROUP BY other.person_id \
         HAVING shared >= min(2, (SELECT count(*) FROM name_index WHERE person_id = ?1))",
    )
    .bind(&id)
    .bind(user.to_string())
    .fetch_all(pool)
    .await?;
    let mine: Option<(String, Option<i64>, Option<String>)> = sqlx::query_as(
        "SELECT p.case_id, p.birth_year, c.region FROM persons p JOIN cases c ON c.id = p.case_id WHERE p.id = ?",
    )
    .bind(&id)
    .fetch_optional(pool)
    .await?;
    let Some((_, my_year, my_region)) = mine else { return Err(StoreError::NotFound) };
    let mut out = Vec::new();
    for (other, shared) in rows {
        let row: Option<PersonRow> = sqlx::query_as(
            "SELECT id, case_id, pseudonym_seq, counting_unit, sex, birth_year, version FROM persons WHERE id = ?",
        )
        .bind(&other)
        .fetch_optional(pool)
        .await?;
        let Some(row) = row else { continue };
        let record = row.into_record()?;
        let Some(case) = super::cases::get(pool, record.case_id).await? else { continue };
        let (a, b) = if id < other { (id.clone(), other.clone()) } else { (other.clone(), id.clone()) };
        let decision: Option<String> = sqlx::query_scalar(
            "SELECT decision FROM person_links WHERE person_a = ? AND person_b = ? ORDER BY seq DESC LIMIT 1",
        )
        .bind(a)
        .bind(b)
        .fetch_optional(pool)
        .await?;
        out.push(crate::DuplicateCandidate {
            same_birth_year: my_year.is_some() && my_year == record.fields.birth_year.map(i64::from),
            same_region: my_region.is_some() && my_region == case.fields.region,
            case_number: case.number,
            person: record,
            shared_names: u32::try_from(shared).unwrap_or(0),
            decision,
        });
    }
    out.sort_by_key(|c| {
        (std::cmp::Reverse(c.shared_names), !c.same_birth_year, !c.same_region, c.person.pseudonym.0)
    });
    Ok(out)
}

/// Appends a decision on a pair.
pub(super) async fn decide(
    conn: &mut SqliteConnection,
    a: PersonId,
    b: PersonId,
    same: bool,
    actor: UserId,
    at: OffsetDateTime,
) -> StoreResult<()> {
    let (a, b) = (a.to_string(), b.to_string());
    if a == b {
        return Err(StoreError::Invalid("person"));
    }
    let (a, b) = if a < b { (a, b) } else { (b, a) };
    sqlx::query(
        "INSERT INTO person_links (person_a, person_b, decision, decided_by, decided_at) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(a)
    .bind(b)
    .bind(if same { "same" } else { "different" })
    .bind(actor.to_string())
    .bind(micros(at))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Saves new shown fields and, when given, a new identity (sealed, its previous version kept),
/// if the person is still at `expected_version`.
#[expect(clippy::too_many_arguments, reason = "the store's write signature: what, which version, who, when")]
pub(super) async fn update(
    conn: &mut SqliteConnection,
    cipher: &FieldCipher,
    person: PersonId,
    expected_version: i64,
    fields: &PersonFields,
    identity: Option<&Identity>,
    actor: UserId,
    at: OffsetDateTime,
) -> StoreResult<PersonRecord> {
    let id = person.to_string();
    let row: Option<PersonRow> = sqlx::query_as(
        "SELECT id, case_id, pseudonym_seq, counting_unit, sex, birth_year, version FROM persons \
         WHERE id = ? AND deleted_at IS NULL",
    )
    .bind(&id)
    .fetch_optional(&mut *conn)
    .await?;
    let current = row.ok_or(StoreError::NotFound)?.into_record()?;
    if current.version != expected_version {
        return Err(StoreError::Conflict);
    }
    let record = PersonRecord { fields: fields.clone(), version: current.version + 1, ..current };
    sqlx::query("UPDATE persons SET counting_unit = ?, sex = ?, birth_year = ?, version = ? WHERE id = ? AND version = ?")
        .bind(&fields.counting_unit)
        .bind(fields.sex.map(Sex::code))
        .bind(fields.birth_year)
        .bind(record.version)
        .bind(&id)
        .bind(expected_version)
        .execute(&mut *conn)
        .await?;
    if let Some(identity) = identity {
        let sealed = seal(cipher, person, identity)?;
        let version: i64 = sqlx::query_scalar("SELECT version + 1 FROM identities WHERE person_id = ?")
            .bind(&id)
            .fetch_one(&mut *conn)
            .await?;
        sqlx::query("UPDATE identities SET sealed = ?, version = ? WHERE person_id = ?")
            .bind(&sealed)
            .bind(version)
            .bind(&id)
            .execute(&mut *conn)
            .await?;
        sqlx::query(
            "INSERT INTO identity_versions (person_id, version, at, actor, sealed) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(&id)
        .bind(version)
        .bind(micros(at))
        .bind(actor.to_string())
        .bind(&sealed)
        .execute(&mut *conn)
        .await?;
    }
    let snapshot = serde_json::json!({
        "pseudonym": record.pseudonym.to_string(),
        "case": record.case_id.to_string(),
        "counting_unit": fields.counting_unit,
        "sex": fields.sex.map(Sex::code),
        "birth_year": fields.birth_year,
        "identity_changed": identity.is_some(),
    });
    sqlx::query(
        "INSERT INTO record_versions (entity, record_id, version, at, actor, change, data) VALUES (?, ?, ?, ?, ?, 'updated', ?)",
    )
    .bind(ENTITY)
    .bind(&id)
    .bind(record.version)
    .bind(micros(at))
    .bind(actor.to_string())
    .bind(snapshot.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(record)
}
