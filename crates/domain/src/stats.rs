//! The standard statistics (DOMAIN.md section 6): the indicators, which of the filters each one
//! can honour, and the counting rules the page writes next to every figure.
//!
//! A figure is always computed from the records at the moment it is asked for; nothing is typed
//! in. Where a filter cannot apply to an indicator (a training has no victim's sex), the figure
//! says so instead of silently ignoring it.

use time::Date;

code_enum!(
    /// One indicator of DOMAIN.md section 6 (and the meetings of the advocacy log).
    Indicator {
        /// 1. Contacts received, by line and channel; the share within the mandate.
        Contacts => "contacts",
        /// 2. Contacts on the army hotline.
        Army => "army",
        /// 3. Cases (events) of torture or ill-treatment documented, by violation status.
        Documented => "documented",
        /// 4. Distinct victims of those acts (individuals; groups apart).
        Victims => "victims",
        /// 5. Deaths in custody or in the army, by type of place.
        Deaths => "deaths",
        /// 6. Distinct persons given legal aid (interventions of type legal aid).
        Advice => "advice",
        /// 7. Distinct cases with a proceeding where the coalition represents someone.
        Represented => "represented",
        /// 8. Criminal complaints filed, by where they stand.
        Complaints => "complaints",
        /// 9. Criminal cases opened, art. 143-1 or other articles.
        CriminalCases => "criminal-cases",
        /// 10. Persons prosecuted and convicted.
        Prosecuted => "prosecuted",
        /// 11. Identified perpetrators by their latest status.
        Perpetrators => "perpetrators",
        /// 12. Civil claims, judgments and compensation awarded and paid (TJS).
        Compensation => "compensation",
        /// 13. UN individual communications, by where they stand.
        UnCommunications => "un-communications",
        /// 14. Victims and relatives helped in rehabilitation; sessions; completed episodes.
        Rehabilitation => "rehabilitation",
        /// 15. Medico-legal evaluations signed, by overall conclusion.
        Evaluations => "evaluations",
        /// 16. Health workers trained in the Istanbul Protocol.
        HealthTrained => "health-trained",
        /// 17. Other professionals trained.
        OthersTrained => "others-trained",
        /// 18. Places of detention visited; visits by type, notice, joint with the Ombudsman.
        Visits => "visits",
        /// 19. Persons interviewed in private; allegations received and passed on.
        Interviews => "interviews",
        /// 20. Recommendations of visits, issued and implemented.
        VisitRecommendations => "visit-recommendations",
        /// 21. UN recommendations tracked, by mechanism and our assessment.
        UnTracked => "un-tracked",
        /// 22. Materials published, by kind.
        Published => "published",
        /// 23. Reprisal incidents, by whom they targeted.
        Reprisals => "reprisals",
        /// Meetings and briefings with international organisations and delegations.
        Meetings => "meetings",
    }
);

/// A dimension the statistics can be filtered by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dimension {
    /// A period of dates.
    Period,
    /// A region (`region`).
    Region,
    /// A hotline (`hotline`).
    Hotline,
    /// The agency of the perpetrators (`agency`).
    Agency,
    /// The type of place of detention (`facility_type`).
    FacilityType,
    /// The victim's sex.
    Sex,
    /// The victim's age group at the time of the act.
    Age,
}

impl Dimension {
    /// Every dimension, in the order the filter form shows them.
    pub const ALL: [Dimension; 7] = [
        Dimension::Period,
        Dimension::Region,
        Dimension::Hotline,
        Dimension::Agency,
        Dimension::FacilityType,
        Dimension::Sex,
        Dimension::Age,
    ];

    /// The stable code (form field, translation key).
    pub fn code(self) -> &'static str {
        match self {
            Dimension::Period => "period",
            Dimension::Region => "region",
            Dimension::Hotline => "hotline",
            Dimension::Agency => "agency",
            Dimension::FacilityType => "facility_type",
            Dimension::Sex => "sex",
            Dimension::Age => "age",
        }
    }
}

/// The acts of documentation: every filter applies through the act, its event, its case, its
/// victim, its perpetrators and its place.
const ACTS: &[Dimension] = &Dimension::ALL;
/// Work on a case (proceedings, interventions, evaluations, rehabilitation): the case's region and
/// hotline, and a period.
const CASE_WORK: &[Dimension] = &[Dimension::Period, Dimension::Region, Dimension::Hotline];
/// Contacts: their date, region and line.
const CONTACTS: &[Dimension] = &[Dimension::Period, Dimension::Region, Dimension::Hotline];
/// Trainings: their date and region.
const TRAININGS: &[Dimension] = &[Dimension::Period, Dimension::Region];
/// Visits: their date, and the region, type and authority of the place.
const VISITS: &[Dimension] =
    &[Dimension::Period, Dimension::Region, Dimension::FacilityType, Dimension::Agency];
/// What has only a date.
const DATED: &[Dimension] = &[Dimension::Period];

impl Indicator {
    /// The dimensions whose filter this indicator honours.
    pub fn dimensions(self) -> &'static [Dimension] {
        match self {
            Indicator::Contacts | Indicator::Army => CONTACTS,
            Indicator::Documented | Indicator::Victims | Indicator::Deaths | Indicator::Perpetrators => ACTS,
            Indicator::Advice
            | Indicator::Represented
            | Indicator::Complaints
            | Indicator::CriminalCases
            | Indicator::Prosecuted
            | Indicator::Compensation
            | Indicator::UnCommunications
            | Indicator::Rehabilitation
            | Indicator::Evaluations
            | Indicator::Reprisals => CASE_WORK,
            Indicator::HealthTrained | Indicator::OthersTrained => TRAININGS,
            Indicator::Visits | Indicator::Interviews | Indicator::VisitRecommendations => VISITS,
            Indicator::UnTracked | Indicator::Published | Indicator::Meetings => DATED,
        }
    }

    /// The translation key of its name; `…-rule` is its counting rule.
    pub fn key(self) -> String {
        format!("indicator-{}", self.code())
    }

    /// Whether its figures are about cases, so that they can lead to the cases behind them.
    pub fn about_cases(self) -> bool {
        matches!(
            self,
            Indicator::Documented
                | Indicator::Victims
                | Indicator::Deaths
                | Indicator::Advice
                | Indicator::Represented
                | Indicator::Complaints
                | Indicator::CriminalCases
                | Indicator::Prosecuted
                | Indicator::Perpetrators
                | Indicator::Compensation
                | Indicator::UnCommunications
                | Indicator::Reprisals
        )
    }
}

/// The figures the coalition publishes, in the order of its annual report.
pub const HEADLINE: [Indicator; 9] = [
    Indicator::Documented,
    Indicator::Represented,
    Indicator::Prosecuted,
    Indicator::CriminalCases,
    Indicator::Compensation,
    Indicator::HealthTrained,
    Indicator::Visits,
    Indicator::Published,
    Indicator::Meetings,
];

code_enum!(
    /// A victim's age group at the time of the act.
    AgeGroup {
        /// Under 18.
        Minor => "minor",
        /// 18 or older.
        Adult => "adult",
    }
);

/// What the statistics are filtered by: nothing, by default.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// From this day (inclusive).
    pub from: Option<Date>,
    /// Until this day (inclusive).
    pub to: Option<Date>,
    /// A term of `region`.
    pub region: Option<String>,
    /// A term of `hotline`.
    pub hotline: Option<String>,
    /// A term of `agency`.
    pub agency: Option<String>,
    /// A term of `facility_type`.
    pub facility_type: Option<String>,
    /// A sex code (`01`, `02`, `99`).
    pub sex: Option<String>,
    /// An age group.
    pub age: Option<AgeGroup>,
}

impl Filter {
    /// The dimensions this filter restricts.
    pub fn active(&self) -> Vec<Dimension> {
        let set = [
            (Dimension::Period, self.from.is_some() || self.to.is_some()),
            (Dimension::Region, self.region.is_some()),
            (Dimension::Hotline, self.hotline.is_some()),
            (Dimension::Agency, self.agency.is_some()),
            (Dimension::FacilityType, self.facility_type.is_some()),
            (Dimension::Sex, self.sex.is_some()),
            (Dimension::Age, self.age.is_some()),
        ];
        set.into_iter().filter(|(_, on)| *on).map(|(d, _)| d).collect()
    }

    /// The active filters an indicator cannot honour (its figure is then not shown as filtered).
    pub fn not_applicable(&self, indicator: Indicator) -> Vec<Dimension> {
        self.active().into_iter().filter(|d| !indicator.dimensions().contains(d)).collect()
    }

    /// Whether a day falls in the period (an unknown day falls in no restricted period).
    pub fn in_period(&self, day: Option<Date>) -> bool {
        match day {
            Some(d) => self.from.is_none_or(|f| d >= f) && self.to.is_none_or(|t| d <= t),
            None => self.from.is_none() && self.to.is_none(),
        }
    }
}

/// The act types counted as torture (MT04 `02011111`).
pub const TORTURE: &str = "02011111";

/// Whether an act type is ill-treatment short of torture: the local term, or any other act of the
/// MT04 branch `0201` (cruel, inhuman or degrading treatment).
pub fn ill_treatment(act_type: &str) -> bool {
    act_type == "TJ.ACT.ILLT" || (act_type.starts_with("0201") && act_type != TORTURE)
}

/// Whether an act is a death (a killing in custody or in the army: MT04 `01010601`, `01019001`,
/// or a victim whose status at the end of the act is killed, MT25 `0101`).
pub fn death(act_type: &str, victim_status: Option<&str>) -> bool {
    matches!(act_type, "01010601" | "01019001") || victim_status == Some("0101")
}

/// Whether an event's violation status counts it as documented: confirmed (`01…`), likely (`04`)
/// or possible (`03`).
pub fn documented_status(status: Option<&str>) -> bool {
    status.is_some_and(|s| s.starts_with("01") || s == "03" || s == "04")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_that_do_not_apply_are_named_not_ignored() {
        let filter = Filter { sex: Some("02".into()), region: Some("SUG".into()), ..Filter::default() };
        assert_eq!(filter.not_applicable(Indicator::Victims), Vec::<Dimension>::new());
        assert_eq!(filter.not_applicable(Indicator::HealthTrained), vec![Dimension::Sex]);
        assert_eq!(filter.not_applicable(Indicator::Meetings), vec![Dimension::Region, Dimension::Sex]);
        for i in Indicator::ALL {
            assert!(i.dimensions().contains(&Dimension::Period), "{i:?} has a period");
        }
    }

    #[test]
    fn the_counting_rules_classify_acts_and_periods() {
        assert!(ill_treatment("TJ.ACT.ILLT") && ill_treatment("020103") && !ill_treatment(TORTURE));
        assert!(!ill_treatment("010106"));
        assert!(
            death("01019001", None) && death("02011111", Some("0101")) && !death("02011111", Some("0201"))
        );
        assert!(
            documented_status(Some("0101")) && documented_status(Some("04")) && documented_status(Some("03"))
        );
        assert!(!documented_status(Some("02")) && !documented_status(None));
        let year = Filter {
            from: Some(time::macros::date!(2025 - 01 - 01)),
            to: Some(time::macros::date!(2025 - 12 - 31)),
            ..Filter::default()
        };
        assert!(year.in_period(Some(time::macros::date!(2025 - 12 - 31))));
        assert!(!year.in_period(Some(time::macros::date!(2026 - 01 - 01))));
        assert!(!year.in_period(None) && Filter::default().in_period(None));
    }
}
