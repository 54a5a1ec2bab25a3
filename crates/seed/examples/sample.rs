//! Prints the first demo case in each language, and the dataset's sizes.
//!
//! `cargo run -p ozodi-seed --example sample [SEED]`
#![expect(clippy::print_stdout, reason = "an example that prints its output")]

use ozodi_seed::{DEMO_SEED, Lang, demo};

fn main() {
    let seed = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(DEMO_SEED);
    let (facilities, cases) = demo(seed);
    let persons: usize = cases.iter().map(|c| c.persons.len()).sum();
    let acts: usize = cases.iter().flat_map(|c| &c.events).map(|e| e.acts.len()).sum();
    println!("{} facilities, {} cases, {persons} persons, {acts} acts", facilities.len(), cases.len());
    for lang in Lang::ALL {
        if let Some(case) = cases.iter().find(|c| c.lang == lang) {
            println!("\n===== {} =====\n{case:#?}", lang.code());
            for act in case.events.iter().flat_map(|e| &e.acts) {
                if let Some(i) = act.facility {
                    println!("act facility {i}: {:#?}", facilities.get(i));
                }
            }
        }
    }
}
