//! Times every statistic of an instance (a development aid): reading the facts once, then each
//! indicator's figure unfiltered and filtered, and the public tables:
//! `cargo run --release -p ozodi-store --example figures -- <data dir> <passphrase file>`.

use std::time::Instant;

use ozodi_domain::stats::{Filter, Indicator};
use ozodi_store::Store;

#[tokio::main]
#[expect(clippy::print_stdout, reason = "a development aid prints its findings")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (dir, pass) = (args.get(1).ok_or("data dir")?, args.get(2).ok_or("passphrase file")?);
    let passphrase = std::fs::read_to_string(pass)?.trim().to_owned();
    let store = ozodi_store::Instance::at(dir).open(&passphrase).await?;
    let t = Instant::now();
    store.prepare_statistics().await?;
    println!("facts read in {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
    let filtered = Filter {
        region: Some("SUG".into()),
        sex: Some("02".into()),
        from: time::Date::from_calendar_date(2020, time::Month::January, 1).ok(),
        ..Filter::default()
    };
    for (name, filter) in [("all", Filter::default()), ("filtered", filtered)] {
        let mut total = 0.0;
        for indicator in Indicator::ALL {
            let t = Instant::now();
            let rounds = 5;
            let mut value = 0;
            for _ in 0..rounds {
                value = store.statistic(*indicator, &filter).await?.value;
            }
            let ms = t.elapsed().as_secs_f64() * 1e3 / f64::from(rounds);
            total += ms;
            println!("{name:9} {:24} {value:>8} {ms:8.2} ms", indicator.code());
        }
        println!("{name:9} {:24} {:>8} {total:8.2} ms", "every figure", "");
    }
    let t = Instant::now();
    let tables = store.public_tables().await?;
    println!("public tables ({}) {:.1} ms", tables.len(), t.elapsed().as_secs_f64() * 1e3);
    store.close().await;
    Ok(())
}
