//! Prints the query plan and timing of SQL statements against an instance (a development aid):
//! `cargo run --release -p ozodi-store --example plan -- <data dir> <passphrase file> < statements`
//! (one statement per line; `?` parameters are not supported).

use std::io::BufRead;

use sqlx::{ConnectOptions, Row};

#[tokio::main]
#[expect(clippy::print_stdout, reason = "a development aid prints its findings")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (dir, pass) = (args.get(1).ok_or("data dir")?, args.get(2).ok_or("passphrase file")?);
    let passphrase = std::fs::read_to_string(pass)?.trim().to_owned();
    let file = ozodi_vault::KeyFile::read(&std::path::Path::new(dir).join("key.json"))?;
    let key = file.unwrap_key(&passphrase)?;
    let hex = key.derive(ozodi_vault::SubKeyPurpose::Database).to_hex();
    let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(std::path::Path::new(dir).join("ozodi.db"))
        .pragma("key", format!("\"x'{}'\"", hex.as_str()))
        .read_only(true)
        .connect()
        .await?;
    for line in std::io::stdin().lock().lines() {
        let sql = line?;
        if sql.trim().is_empty() {
            continue;
        }
        println!("== {sql}");
        let plan = sqlx::query(sqlx::AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}")))
            .fetch_all(&mut conn)
            .await?;
        for row in plan {
            let detail: String = row.try_get(3)?;
            println!("   {detail}");
        }
        let started = std::time::Instant::now();
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql.clone())).fetch_all(&mut conn).await?;
        println!("   -> {} rows in {:.2} ms", rows.len(), started.elapsed().as_secs_f64() * 1000.0);
        for row in rows.iter().take(3) {
            let values: Vec<String> = (0..row.len())
                .map(|i| {
                    row.try_get::<String, _>(i)
                        .or_else(|_| row.try_get::<i64, _>(i).map(|v| v.to_string()))
                        .or_else(|_| row.try_get::<f64, _>(i).map(|v| v.to_string()))
                        .unwrap_or_else(|_| "?".into())
                })
                .collect();
            println!("      {}", values.join(" | "));
        }
    }
    Ok(())
}
