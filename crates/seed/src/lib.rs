//! ozodi's synthetic dataset: invented torture-documentation cases, generated from a fixed seed,
//! for the demo (about 300 cases) and for the benchmark (100,000 cases, about 250,000 persons and
//! 400,000 acts).
//!
//! Everything here is invented: names are combinations of common given names and surname roots,
//! phone numbers use the non-existent operator code 00, documents start with `A00`. The
//! narratives are real Russian, Tajik and English composed from fragments with slots (place,
//! facility, methods, duration, date, agency), so search can be tested on them.
//!
//! [`truth`] gives the true value of every statistic of DOMAIN.md section 6 for the generated
//! cases, from the generated data and the counting rules of `ozodi_domain::stats`.
//!
//! Pure: no IO, no database. [`Generator::case`] yields one [`Case`] at a time so a benchmark run
//! never holds every case in memory; another part of the program maps them into the store. Every
//! code comes from the vocabulary files in `crates/domain/data/vocabularies` (the test suite
//! checks each one), and the same seed gives the same dataset on every platform (ChaCha8).
//!
//! ```
//! let mut generator = ozodi_seed::Generator::new(ozodi_seed::DEMO_SEED);
//! let facilities = generator.facilities(60);
//! let case = generator.case(&facilities);
//! assert!(!case.events.is_empty());
//! ```

mod care;
mod case;
mod facility;
mod geo;
mod legal;
mod model;
mod names;
mod registry;
mod rng;
mod text;
mod truth;

pub use model::{
    Accused, Act, Arrest, CASE_STATUSES, Case, Episode, Evaluation, Event, Facility, Identity, Information,
    Intervention, Involvement, Lang, LegalStep, PDate, Person, Proceeding, TortureDetail, Tri,
};
pub use registry::{
    Contact, Meeting, Publication, Registry, Training, UnRecommendation, Visit, VisitRecommendation,
};
pub use truth::{Truth, truth};

/// The seed of the demo dataset.
pub const DEMO_SEED: u64 = 0x6f7a_6f64_6920_3230; // "ozodi 20"

/// Number of cases in the demo dataset.
pub const DEMO_CASES: usize = 300;

/// Number of facilities in the demo register.
pub const DEMO_FACILITIES: usize = 60;

/// A seeded generator of facilities and cases. The same seed and the same sequence of calls give
/// the same records.
#[derive(Clone, Debug)]
pub struct Generator {
    cases: rng::R,
    facilities: rng::R,
    legal: rng::R,
    work: rng::R,
    care: rng::R,
    registry: facility::Registry,
}

impl Generator {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Self {
        Generator {
            cases: rng::R::new(seed, 0),
            facilities: rng::R::new(seed, 1),
            legal: rng::R::new(seed, 2),
            work: rng::R::new(seed, 3),
            care: rng::R::new(seed, 4),
            registry: Default::default(),
        }
    }

    /// `count` new places of detention for the register (about 60 for the demo; see
    /// [`facility_count`] for larger datasets). Names stay unique across calls. Facilities come
    /// from their own random stream, so the cases do not depend on how many were asked for
    /// beyond which ones they can point at.
    pub fn facilities(&mut self, count: usize) -> Vec<Facility> {
        self.registry.generate(&mut self.facilities, count)
    }

    /// The next case. Its acts point at `facilities` by index where a matching facility exists
    /// (the narrative still names a plausible place when none does).
    pub fn case(&mut self, facilities: &[Facility]) -> Case {
        let mut case = case::generate(&mut self.cases, facilities);
        // The legal side draws from its own stream, so the cases themselves stay as they were.
        case.legal = legal::generate(&mut self.legal, &case);
        case.rehab = care::generate(&mut self.care, &case);
        case.evaluations = care::evaluations(&mut self.care, &case);
        case
    }

    /// The coalition's work beyond the cases for a dataset of `cases` cases: visits to
    /// `facilities`, trainings, publications and meetings, from their own random stream.
    pub fn registry(&mut self, cases: usize, facilities: &[Facility]) -> Registry {
        registry::generate(&mut self.work, cases, facilities)
    }

    /// The next `n` cases, lazily.
    pub fn cases<'a>(&'a mut self, facilities: &'a [Facility], n: usize) -> impl Iterator<Item = Case> + 'a {
        (0..n).map(move |_| self.case(facilities))
    }
}

/// A register size for `cases` cases: 60 for the demo's 300, one more per 200 cases beyond
/// (558 for 100,000 cases).
pub fn facility_count(cases: usize) -> usize {
    DEMO_FACILITIES + cases.saturating_sub(DEMO_CASES) / 200
}

/// The demo dataset: [`DEMO_FACILITIES`] facilities and [`DEMO_CASES`] cases from `seed`
/// (normally [`DEMO_SEED`]).
pub fn demo(seed: u64) -> (Vec<Facility>, Vec<Case>) {
    let mut generator = Generator::new(seed);
    let facilities = generator.facilities(DEMO_FACILITIES);
    let cases = generator.cases(&facilities, DEMO_CASES).collect();
    (facilities, cases)
}
