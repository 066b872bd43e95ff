//! Socioekonomisk effekt (the model of Samordningsförbundet Göteborg Centrum): each participant who
//! ended to work or studies is worth twelve months of the three monthly amounts in the settings.

use crate::money::Ore;
use crate::yearfile::{InsatsKind, ReportPeriod, ReportStatus, Section, Settings, YearFile};
use serde::Serialize;

/// One row of the socioekonomisk effekt table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SocioekonomiskEffekt {
    /// The insats's key (not serialized: the API shows the name).
    #[serde(skip)]
    pub insats_key: String,
    /// The insats's name.
    pub insats: String,
    /// Ended to work or studies, from the year's approved helår reports.
    pub till_arbete_eller_studier: u32,
    /// Participants × 12 × the monthly amounts.
    pub effekt_ore: i64,
    /// The insats's utfall for the year if set, else the year's cost lines for it.
    pub medel_ore: i64,
    /// Effekt − medel.
    pub differens_ore: i64,
}

/// The value of one participant for a year: 12 × (offentlig försörjning + administration + skatt).
pub fn annual_value_per_participant(settings: &Settings) -> Ore {
    Ore(12
        * (settings.socioekonomi_offentlig_forsorjning_ore
            + settings.socioekonomi_administration_ore
            + settings.socioekonomi_skatt_ore))
}

/// The socioekonomisk effekt of each individinriktad insats that has a helår report for `year`
/// (of any status: a report still under review shows as a row, counting only what is approved),
/// in the file's insats order.
///
/// Medel is the insats's `years[year].utfall_ore` when set (an insats shared with other förbund
/// may state its whole funding there), else the sum of the year's cost lines with its key.
/// The cost lines are the year file's accounts, so they are used only when `year` is the file's year.
pub fn socioekonomisk_effekt(file: &YearFile, year: i32) -> Vec<SocioekonomiskEffekt> {
    let per_participant = annual_value_per_participant(&file.settings);
    file.insatser
        .iter()
        .filter(|i| i.kind == InsatsKind::Individinriktad)
        .filter_map(|insats| {
            let helar = || {
                file.coach_reports.iter().filter(|r| {
                    r.insats == insats.key && r.year == year && r.period == ReportPeriod::Helar
                })
            };
            helar().next()?;
            let participants: u32 = helar()
                .filter(|r| r.status == ReportStatus::Approved)
                .map(|r| r.ended.arbete_eller_studier())
                .sum();
            let effekt = i64::from(participants) * per_participant.0;
            let medel = insats
                .years
                .iter()
                .find(|y| y.year == year)
                .and_then(|y| y.utfall_ore)
                .unwrap_or_else(|| {
                    file.accounts
                        .as_ref()
                        .filter(|_| year == file.year)
                        .map_or(0, |a| {
                            a.resultat
                                .iter()
                                .filter(|l| {
                                    l.section == Section::Kostnad
                                        && l.insats.as_deref() == Some(insats.key.as_str())
                                })
                                .map(|l| l.utfall_ore)
                                .sum()
                        })
                });
            Some(SocioekonomiskEffekt {
                insats_key: insats.key.clone(),
                insats: insats.name.clone(),
                till_arbete_eller_studier: participants,
                effekt_ore: effekt,
                medel_ore: medel,
                differens_ore: effekt - medel,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finance::fixtures::{hoglandet_2024, kr, report};

    #[test]
    fn hoglandet_2024_socioekonomisk_effekt() {
        let f = hoglandet_2024();
        assert_eq!(
            annual_value_per_participant(&f.settings),
            Ore(kr(194_400, 0))
        );
        let rows = socioekonomisk_effekt(&f, 2024);
        let got: Vec<_> = rows
            .iter()
            .map(|r| {
                (
                    r.insats.as_str(),
                    r.till_arbete_eller_studier,
                    Ore(r.effekt_ore).round_kronor(),
                    Ore(r.medel_ore).round_kronor(),
                    Ore(r.differens_ore).round_kronor(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                // IT-spåret's medel is the insats's whole funding, set on the insats.
                ("IT-spåret", 2, 388_800, 2_400_000, -2_011_200),
                // SE-Höglandet's comes from the cost line SE-Projekt.
                ("SE-Höglandet", 42, 8_164_800, 3_975_750, 4_189_050),
            ]
        );
    }

    #[test]
    fn only_approved_helar_reports_of_the_year_count() {
        let mut f = hoglandet_2024();
        f.coach_reports[2].status = ReportStatus::Submitted; // Eksjö, 8 of the 42
        let rows = socioekonomisk_effekt(&f, 2024);
        assert_eq!(rows[1].till_arbete_eller_studier, 34);

        // 2023: only SE-Höglandet has a helår report; no accounts for that year, so no medel.
        let rows = socioekonomisk_effekt(&f, 2023);
        assert_eq!(rows.len(), 1);
        assert_eq!(
            (rows[0].till_arbete_eller_studier, rows[0].medel_ore),
            (5, 0)
        );

        // An insats with only a half-year report has no row.
        f.coach_reports = vec![report(
            "se-hoglandet",
            None,
            2024,
            ReportPeriod::Delar,
            ReportStatus::Approved,
            3,
            0,
        )];
        assert!(socioekonomisk_effekt(&f, 2024).is_empty());
    }

    #[test]
    fn the_amounts_are_settings() {
        let mut f = hoglandet_2024();
        f.settings.socioekonomi_skatt_ore = 0;
        let rows = socioekonomisk_effekt(&f, 2024);
        assert_eq!(rows[1].effekt_ore, 42 * 12 * kr(10_500, 0));
    }
}
