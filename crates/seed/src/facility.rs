//! The facility register: places of detention and closed institutions (list `facility_type`),
//! each run by an agency (list `agency`), named the way official letters name them.

use std::collections::{BTreeMap, BTreeSet};

use crate::geo::{self, Kind, PLACES, Place};
use crate::model::Facility;
use crate::rng::R;

pub(crate) const POLICE: &str = "TJ.FAC.POLICE";
pub(crate) const IVS: &str = "TJ.FAC.IVS";
pub(crate) const SIZO: &str = "TJ.FAC.SIZO";
pub(crate) const SCNS: &str = "TJ.FAC.SCNS";
pub(crate) const COLONY: &str = "TJ.FAC.COLONY";
pub(crate) const PRISON: &str = "TJ.FAC.PRISON";
pub(crate) const JUV: &str = "TJ.FAC.JUV";
pub(crate) const ADMIN: &str = "TJ.FAC.ADMIN";
pub(crate) const MILUNIT: &str = "TJ.FAC.MILUNIT";
pub(crate) const GUARD: &str = "TJ.FAC.GUARD";
pub(crate) const BORDER: &str = "TJ.FAC.BORDER";
pub(crate) const PSYCH: &str = "TJ.FAC.PSYCH";
pub(crate) const PNI: &str = "TJ.FAC.PNI";
pub(crate) const NARCO: &str = "TJ.FAC.NARCO";
pub(crate) const CHILD: &str = "TJ.FAC.CHILD";
/// Drug Control Agency premises: the type list has no entry of their own.
pub(crate) const DCA_OFFICE: &str = "TJ.FAC.OTHER";

/// Share of each type in the register.
const TYPE_WEIGHTS: &[(&str, u32)] = &[
    (POLICE, 14),
    (IVS, 11),
    (SIZO, 5),
    (SCNS, 4),
    (DCA_OFFICE, 3),
    (COLONY, 6),
    (PRISON, 1),
    (JUV, 1),
    (ADMIN, 2),
    (MILUNIT, 7),
    (GUARD, 2),
    (BORDER, 2),
    (PSYCH, 2),
    (PNI, 1),
    (NARCO, 1),
    (CHILD, 2),
];

/// The agency running a facility of type `t`.
fn authority(rng: &mut R, t: &str) -> &'static str {
    match t {
        POLICE | IVS | ADMIN => "MoIA",
        SIZO | COLONY | PRISON | JUV => "MoJ-PEN",
        SCNS | BORDER => "SCNS",
        DCA_OFFICE => "DCA",
        MILUNIT => rng.weighted(&[("MoD", 80), ("NG", 20)]),
        GUARD => "MoD",
        CHILD => "MoES",
        _ => "MoHSP",
    }
}

/// Types that stand in towns (regional institutions), not in rural districts.
fn in_town(t: &str) -> bool {
    !matches!(t, POLICE | IVS | ADMIN | MILUNIT | BORDER)
}

/// Numbering and de-duplication state, kept across calls so names stay unique.
#[derive(Clone, Debug, Default)]
pub(crate) struct Registry {
    numbers: BTreeMap<&'static str, u32>,
    units: BTreeSet<u32>,
    seen: BTreeMap<(&'static str, usize), u32>,
}

/// The names of a facility in every form the texts need.
#[derive(Clone, Debug)]
pub(crate) struct Forms {
    pub(crate) ru: String,
    pub(crate) ru_in: String,
    pub(crate) ru_to: String,
    pub(crate) tg: String,
    pub(crate) en: String,
}

/// The forms of a facility of type `t` in `place`, with institution number `n` (numbered types)
/// and `dup` > 1 for a second facility of the same type in the same place.
pub(crate) fn forms(t: &str, place: &Place, n: u32, dup: u32) -> Forms {
    let of = place.ru_of();
    let short = place.ru_short();
    let tg = place.tg();
    let en = place.en();
    // (nominative, "in" phrase, "to" phrase): most names start with an abbreviation, which does
    // not decline.
    let abbrev = |nom: String| (nom.clone(), format!("в {nom}"), format!("в {nom}"));
    let declined = |nom: String, in_: String, to: String| (nom, in_, to);
    let ((ru, ru_in, ru_to), tg, en) = match t {
        POLICE => (
            abbrev(format!("ОВД {of}")),
            format!("Шуъбаи корҳои дохилии {tg}"),
            format!("{en} Police Department"),
        ),
        IVS => (
            abbrev(format!("ИВС ОВД {of}")),
            format!("Изолятори муваққатии ШКД-и {tg}"),
            format!("{en} Police Temporary Detention Facility (IVS)"),
        ),
        ADMIN => (
            declined(
                format!("Спецприёмник ОВД {of}"),
                format!("в спецприёмнике ОВД {of}"),
                format!("в спецприёмник ОВД {of}"),
            ),
            format!("Қабулгоҳи махсуси ШКД-и {tg}"),
            format!("{en} Police Administrative Detention Centre"),
        ),
        SIZO => (
            abbrev(format!("СИЗО № {n} ({short})")),
            format!("Тавқифгоҳи тафтишотии № {n} ({tg})"),
            format!("Pre-trial Detention Centre No. {n} ({en})"),
        ),
        SCNS if place.region == "DUS" && place.kind == Kind::City && dup == 1 => (
            declined(
                format!("Следственный изолятор ГКНБ ({short})"),
                format!("в следственном изоляторе ГКНБ ({short})"),
                format!("в следственный изолятор ГКНБ ({short})"),
            ),
            format!("Тавқифгоҳи тафтишотии КДАМ ({tg})"),
            format!("SCNS Pre-trial Detention Centre ({en})"),
        ),
        SCNS => (
            declined(
                format!("Управление ГКНБ ({short})"),
                format!("в управлении ГКНБ ({short})"),
                format!("в управление ГКНБ ({short})"),
            ),
            format!("Раёсати КДАМ ({tg})"),
            format!("SCNS Directorate ({en})"),
        ),
        DCA_OFFICE => (
            declined(
                format!("Управление АКН ({short})"),
                format!("в управлении АКН ({short})"),
                format!("в управление АКН ({short})"),
            ),
            format!("Раёсати Агентии назорати маводи мухаддир ({tg})"),
            format!("Drug Control Agency Directorate ({en})"),
        ),
        COLONY => (
            declined(
                format!("Исправительная колония № {n} ({short})"),
                format!("в исправительной колонии № {n} ({short})"),
                format!("в исправительную колонию № {n} ({short})"),
            ),
            format!("Колонияи ислоҳии № {n} ({tg})"),
            format!("Correctional Colony No. {n} ({en})"),
        ),
        PRISON => (
            declined(
                format!("Тюрьма ({short})"),
                format!("в тюрьме ({short})"),
                format!("в тюрьму ({short})"),
            ),
            format!("Зиндони {tg}"),
            format!("{en} Prison"),
        ),
        JUV => (
            declined(
                format!("Воспитательная колония для несовершеннолетних ({short})"),
                format!("в воспитательной колонии для несовершеннолетних ({short})"),
                format!("в воспитательную колонию для несовершеннолетних ({short})"),
            ),
            format!("Колонияи тарбиявии ноболиғон ({tg})"),
            format!("Juvenile Colony ({en})"),
        ),
        MILUNIT => (
            declined(
                format!("Воинская часть № {n} ({short})"),
                format!("в воинской части № {n} ({short})"),
                format!("в воинскую часть № {n} ({short})"),
            ),
            format!("Қисми ҳарбии № {n} ({tg})"),
            format!("Military Unit No. {n} ({en})"),
        ),
        GUARD => (
            declined(
                format!("Гауптвахта гарнизона ({short})"),
                format!("на гауптвахте гарнизона ({short})"),
                format!("на гауптвахту гарнизона ({short})"),
            ),
            format!("Гауптвахтаи гарнизон ({tg})"),
            format!("Garrison Guardhouse ({en})"),
        ),
        BORDER => (
            declined(
                format!("Пограничная застава ({short})"),
                format!("на пограничной заставе ({short})"),
                format!("на пограничную заставу ({short})"),
            ),
            format!("Заставаи сарҳадӣ ({tg})"),
            format!("Border Post ({en})"),
        ),
        PSYCH => (
            declined(
                format!("Психиатрическая больница ({short})"),
                format!("в психиатрической больнице ({short})"),
                format!("в психиатрическую больницу ({short})"),
            ),
            format!("Беморхонаи равонӣ ({tg})"),
            format!("Psychiatric Hospital ({en})"),
        ),
        PNI => (
            declined(
                format!("Психоневрологический интернат ({short})"),
                format!("в психоневрологическом интернате ({short})"),
                format!("в психоневрологический интернат ({short})"),
            ),
            format!("Интернати психоневрологӣ ({tg})"),
            format!("Psycho-neurological Residential Home ({en})"),
        ),
        NARCO => (
            declined(
                format!("Наркологический стационар ({short})"),
                format!("в наркологическом стационаре ({short})"),
                format!("в наркологический стационар ({short})"),
            ),
            format!("Беморхонаи наркологӣ ({tg})"),
            format!("Drug Treatment Hospital ({en})"),
        ),
        _ => (
            declined(
                format!("Школа-интернат ({short})"),
                format!("в школе-интернате ({short})"),
                format!("в школу-интернат ({short})"),
            ),
            format!("Мактаб-интернат ({tg})"),
            format!("Boarding School ({en})"),
        ),
    };
    // Dushanbe's second security-service facility is the directorate, not a second SIZO.
    let dup = if t == SCNS && place.region == "DUS" && place.kind == Kind::City {
        dup.saturating_sub(1)
    } else {
        dup
    };
    if dup > 1 {
        Forms {
            ru: format!("{ru}, № {dup}"),
            ru_in: format!("{ru_in}, № {dup}"),
            ru_to: format!("{ru_to}, № {dup}"),
            tg: format!("{tg}, № {dup}"),
            en: format!("{en}, No. {dup}"),
        }
    } else {
        Forms { ru, ru_in, ru_to, tg, en }
    }
}

impl Forms {
    /// The forms of a registered facility.
    pub(crate) fn of(f: &Facility) -> Forms {
        Forms {
            ru: f.name.clone(),
            ru_in: f.ru_in.clone(),
            ru_to: f.ru_to.clone(),
            tg: f.name_tg.clone(),
            en: f.name_en.clone(),
        }
    }
}

/// How many of each type a register of `count` facilities holds: proportional to the weights
/// (largest remainder), at least one of each when there is room.
fn quotas(count: usize) -> Vec<(&'static str, usize)> {
    let total: usize = TYPE_WEIGHTS.iter().map(|(_, w)| *w as usize).sum();
    let floor = usize::from(count >= TYPE_WEIGHTS.len());
    let mut q: Vec<(&'static str, usize, usize)> = TYPE_WEIGHTS
        .iter()
        .map(|(t, w)| {
            let exact = count * (*w as usize);
            (*t, (exact / total).max(floor), exact % total)
        })
        .collect();
    let mut assigned: usize = q.iter().map(|x| x.1).sum();
    // Hand out what is left by largest remainder (stable: ties keep table order), or take back
    // from the largest quotas if the floor overshot.
    let mut order: Vec<usize> = (0..q.len()).collect();
    order.sort_by(|&a, &b| q[b].2.cmp(&q[a].2));
    let mut i = 0;
    while assigned < count {
        q[order[i % order.len()]].1 += 1;
        assigned += 1;
        i += 1;
    }
    while assigned > count {
        let Some(biggest) = (0..q.len()).max_by_key(|&j| q[j].1) else { break };
        q[biggest].1 -= 1;
        assigned -= 1;
    }
    q.into_iter().map(|(t, n, _)| (t, n)).collect()
}

impl Registry {
    /// `count` new facilities.
    pub(crate) fn generate(&mut self, rng: &mut R, count: usize) -> Vec<Facility> {
        let mut types: Vec<&'static str> =
            quotas(count).into_iter().flat_map(|(t, n)| std::iter::repeat_n(t, n)).collect();
        // Fisher-Yates, so the register is not sorted by type.
        for i in (1..types.len()).rev() {
            let j = rng.below(i + 1);
            types.swap(i, j);
        }
        types.into_iter().map(|t| self.one(rng, t)).collect()
    }

    fn one(&mut self, rng: &mut R, t: &'static str) -> Facility {
        let place = if t == BORDER {
            let border: Vec<usize> = (0..PLACES.len()).filter(|&i| PLACES[i].border).collect();
            rng.pick(&border)
        } else {
            let region = rng.weighted(geo::REGION_WEIGHTS);
            let town = in_town(t);
            geo::place_in(rng, region, |p| !town || p.kind == Kind::City)
        };
        let n = match t {
            MILUNIT => loop {
                let n = rng.range(10_000, 99_999);
                if self.units.insert(n) {
                    break n;
                }
            },
            SIZO | COLONY => {
                let next = self.numbers.entry(t).or_insert(0);
                *next += 1;
                *next
            }
            _ => 0,
        };
        let dup = if n == 0 {
            let seen = self.seen.entry((t, place)).or_insert(0);
            *seen += 1;
            *seen
        } else {
            1
        };
        let p = &PLACES[place];
        let f = forms(t, p, n, dup);
        Facility {
            name: f.ru,
            name_tg: f.tg,
            name_en: f.en,
            facility_type: t,
            authority: authority(rng, t),
            region: p.region,
            locality: p.ru_short(),
            place,
            ru_in: f.ru_in,
            ru_to: f.ru_to,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotas_add_up_and_cover_every_type_when_there_is_room() {
        for count in [0, 1, 5, 16, 60, 61, 600, 1234] {
            let q = quotas(count);
            assert_eq!(q.iter().map(|x| x.1).sum::<usize>(), count, "count {count}");
            if count >= TYPE_WEIGHTS.len() {
                assert!(q.iter().all(|x| x.1 >= 1), "count {count}: {q:?}");
            }
        }
    }

    #[test]
    fn names_are_unique_even_for_large_registers() {
        let mut rng = R::new(7, 1);
        let mut reg = Registry::default();
        let mut all = reg.generate(&mut rng, 60);
        all.extend(reg.generate(&mut rng, 1500));
        let mut names: Vec<&str> = all.iter().map(|f| f.name.as_str()).collect();
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(names.len(), before);
    }
}
