//! Splitting an amount between kommuner by population, in whole hundreds of kronor that add up
//! exactly to the amount (largest remainder method).

use crate::MemberKind;
use crate::money::Ore;
use crate::yearfile::Member;

/// The kommun parts are whole hundreds of kronor.
pub const SPLIT_UNIT_ORE: i64 = 10_000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SplitError {
    #[error("Beloppet ({}) går inte att dela i hela {} kronor.", .total.format_kr(), .unit.format_kr())]
    NotWholeUnits { total: Ore, unit: Ore },
    #[error("Beloppet får inte vara negativt.")]
    Negative,
    #[error("Det finns ingen befolkning att fördela efter.")]
    NoPopulation,
    #[error("Befolkningen {year} saknas för {member}.")]
    MissingPopulation { member: String, year: i32 },
}

/// Splits `total` in proportion to `populations` into parts of whole [`SPLIT_UNIT_ORE`] that add
/// up exactly to `total`. The parts are in the order of `populations`.
pub fn split_by_population(total: Ore, populations: &[u32]) -> Result<Vec<Ore>, SplitError> {
    let weights: Vec<u64> = populations.iter().map(|&p| u64::from(p)).collect();
    split_in_units(total, Ore(SPLIT_UNIT_ORE), &weights)
}

/// Splits `total` in proportion to `weights` into multiples of `unit` that add up exactly to `total`.
///
/// Each part first gets the whole units of its exact share; the units left over go one each to the
/// largest remainders, ties going to the larger weight and then to the earlier position. So every
/// part is within one unit of its exact share, and equal weights get parts that differ by at most
/// one unit. `total` must be a non-negative multiple of `unit` (and `unit` positive).
pub fn split_in_units(total: Ore, unit: Ore, weights: &[u64]) -> Result<Vec<Ore>, SplitError> {
    if total.0 < 0 {
        return Err(SplitError::Negative);
    }
    if unit.0 <= 0 || total.0 % unit.0 != 0 {
        return Err(SplitError::NotWholeUnits { total, unit });
    }
    let sum: u128 = weights.iter().map(|&w| u128::from(w)).sum();
    if sum == 0 {
        return Err(SplitError::NoPopulation);
    }
    let units = (total.0 / unit.0) as u128;
    // Exact share of part i, in units: units × w / sum = floor + remainder / sum.
    let mut parts: Vec<(u128, u128)> = weights
        .iter()
        .map(|&w| {
            let n = units * u128::from(w);
            (n / sum, n % sum)
        })
        .collect();
    let given: u128 = parts.iter().map(|(q, _)| q).sum();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| {
        parts[b]
            .1
            .cmp(&parts[a].1)
            .then(weights[b].cmp(&weights[a]))
            .then(a.cmp(&b))
    });
    // Fewer units are left over than there are parts: each remainder is below one unit.
    for &i in order.iter().take((units - given) as usize) {
        parts[i].0 += 1;
    }
    Ok(parts
        .into_iter()
        .map(|(q, _)| Ore(q as i64 * unit.0))
        .collect())
}

/// Splits `total` between the file's kommuner by their population in `year`, in member order:
/// the kommun quarter of the contributions. Every kommun needs a population for that year.
pub fn split_between_kommuner(
    total: Ore,
    members: &[Member],
    year: i32,
) -> Result<Vec<(String, Ore)>, SplitError> {
    let kommuner: Vec<&Member> = members
        .iter()
        .filter(|m| m.kind == MemberKind::Kommun)
        .collect();
    let populations = kommuner
        .iter()
        .map(|m| {
            m.population
                .get(&year)
                .copied()
                .ok_or_else(|| SplitError::MissingPopulation {
                    member: m.name.clone(),
                    year,
                })
        })
        .collect::<Result<Vec<u32>, _>>()?;
    let parts = split_by_population(total, &populations)?;
    Ok(kommuner
        .into_iter()
        .zip(parts)
        .map(|(m, p)| (m.key.clone(), p))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finance::fixtures::{
        SODRA_VATTERBYGDEN_POPULATION, kr, sodra_vatterbygden_budget_2024,
    };
    use proptest::prelude::*;

    #[test]
    fn sodra_vatterbygden_2024_kommun_quarter() {
        let populations = SODRA_VATTERBYGDEN_POPULATION.map(|(_, _, _, p)| p);
        let parts = split_by_population(Ore(kr(2_787_000, 0)), &populations).unwrap();
        assert_eq!(
            parts.iter().map(|p| p.round_kronor()).collect::<Vec<_>>(),
            [204_100, 2_238_400, 116_000, 228_500]
        );
        // Another set that does, scaled to Jönköping's 143 000.
        let parts =
            split_by_population(Ore(kr(2_787_000, 0)), &[13_039, 143_000, 7_411, 14_598]).unwrap();
        assert_eq!(
            parts.iter().map(|p| p.round_kronor()).collect::<Vec<_>>(),
            [204_100, 2_238_400, 116_000, 228_500]
        );
        // The real populations give another split: Habo's share in the seed is 7,3 %, its population's 7,0 %.
        let parts =
            split_by_population(Ore(kr(2_787_000, 0)), &[12_300, 143_000, 7_300, 14_000]).unwrap();
        assert_eq!(
            parts.iter().map(|p| p.round_kronor()).collect::<Vec<_>>(),
            [194_100, 2_256_800, 115_200, 220_900]
        );

        let f = sodra_vatterbygden_budget_2024();
        let by_member = split_between_kommuner(Ore(kr(2_787_000, 0)), &f.members, 2024).unwrap();
        assert_eq!(
            by_member,
            [
                ("habo".to_string(), Ore(kr(204_100, 0))),
                ("jonkoping".to_string(), Ore(kr(2_238_400, 0))),
                ("mullsjo".to_string(), Ore(kr(116_000, 0))),
                ("vaggeryd".to_string(), Ore(kr(228_500, 0))),
            ]
        );
        assert_eq!(
            split_between_kommuner(Ore(kr(2_787_000, 0)), &f.members, 2023),
            Err(SplitError::MissingPopulation {
                member: "Habo kommun".into(),
                year: 2023
            })
        );
    }

    #[test]
    fn refusals() {
        let e = split_by_population(Ore(kr(2_787_050, 0)), &[1, 2]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Beloppet (2 787 050) går inte att dela i hela 100 kronor."
        );
        assert_eq!(
            split_by_population(Ore(1), &[1]),
            Err(SplitError::NotWholeUnits {
                total: Ore(1),
                unit: Ore(10_000)
            })
        );
        assert_eq!(
            split_by_population(Ore(-10_000), &[1]),
            Err(SplitError::Negative)
        );
        assert_eq!(
            split_by_population(Ore(10_000), &[]),
            Err(SplitError::NoPopulation)
        );
        assert_eq!(
            split_by_population(Ore(10_000), &[0, 0]),
            Err(SplitError::NoPopulation)
        );
        assert_eq!(
            split_in_units(Ore(10), Ore(0), &[1]),
            Err(SplitError::NotWholeUnits {
                total: Ore(10),
                unit: Ore(0)
            })
        );
        assert_eq!(
            split_by_population(Ore(0), &[3, 4]),
            Ok(vec![Ore(0), Ore(0)])
        );
    }

    #[test]
    fn ties_go_to_the_larger_population_then_to_the_earlier() {
        // 1 unit between 1 and 1: equal remainders and populations, the first gets it.
        assert_eq!(
            split_in_units(Ore(1), Ore(1), &[1, 1]),
            Ok(vec![Ore(1), Ore(0)])
        );
        // 2 units between 1, 2, 3 (sum 6): shares 1/3, 2/3, 1 → remainders 2, 4, 0 (of 6).
        assert_eq!(
            split_in_units(Ore(2), Ore(1), &[1, 2, 3]),
            Ok(vec![Ore(0), Ore(1), Ore(1)])
        );
        // 1 unit between 1, 3 and 1, 3 (sum 8): remainders 1, 3, 1, 3 → the first 3 wins.
        assert_eq!(
            split_in_units(Ore(1), Ore(1), &[1, 3, 1, 3]),
            Ok(vec![Ore(0), Ore(1), Ore(0), Ore(0)])
        );
        // Equal remainders, different populations: 3 units between 2 and 4 and 6 … of 12:
        // shares 0,5 / 1 / 1,5 → remainders 6, 0, 6 → the larger population (6) gets it.
        assert_eq!(
            split_in_units(Ore(3), Ore(1), &[2, 4, 6]),
            Ok(vec![Ore(0), Ore(1), Ore(2)])
        );
    }

    fn inputs() -> impl Strategy<Value = (i64, Vec<u32>)> {
        (
            0i64..2_000_000,
            prop::collection::vec(prop_oneof![0u32..20, 0u32..200_000, Just(1_000u32)], 1..12),
        )
            .prop_filter("some population", |(_, p)| p.iter().any(|&x| x > 0))
    }

    proptest! {
        #[test]
        fn parts_are_whole_units_that_sum_to_the_total((units, pops) in inputs()) {
            let total = Ore(units * SPLIT_UNIT_ORE);
            let parts = split_by_population(total, &pops).unwrap();
            prop_assert_eq!(parts.len(), pops.len());
            prop_assert_eq!(parts.iter().copied().sum::<Ore>(), total);
            let sum: i128 = pops.iter().map(|&p| i128::from(p)).sum();
            for (part, &p) in parts.iter().zip(&pops) {
                prop_assert_eq!(part.0 % SPLIT_UNIT_ORE, 0);
                prop_assert!(part.0 >= 0);
                // |part − total × p / sum| < one unit, in integers: |part × sum − total × p| < unit × sum.
                let dev = i128::from(part.0) * sum - i128::from(total.0) * i128::from(p);
                prop_assert!(dev.abs() < i128::from(SPLIT_UNIT_ORE) * sum, "part {:?} of {}", part, p);
            }
        }

        #[test]
        fn the_result_does_not_depend_on_the_input_order(
            (units, pops) in inputs(),
            seed in any::<u64>(),
        ) {
            let total = Ore(units * SPLIT_UNIT_ORE);
            let parts = split_by_population(total, &pops).unwrap();
            // A permutation of the input (a deterministic shuffle from the seed).
            let mut idx: Vec<usize> = (0..pops.len()).collect();
            let mut s = seed;
            for i in (1..idx.len()).rev() {
                s = s.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                idx.swap(i, (s >> 33) as usize % (i + 1));
            }
            let shuffled: Vec<u32> = idx.iter().map(|&i| pops[i]).collect();
            let shuffled_parts = split_by_population(total, &shuffled).unwrap();
            // Each kommun gets the same part wherever it stands; kommuner with the same population
            // are interchangeable, so compare (population, part) pairs as a multiset.
            let mut a: Vec<(u32, Ore)> = pops.iter().copied().zip(parts).collect();
            let mut b: Vec<(u32, Ore)> = shuffled.iter().copied().zip(shuffled_parts).collect();
            a.sort();
            b.sort();
            prop_assert_eq!(a, b);
        }

        #[test]
        fn totals_that_are_not_whole_units_are_refused(units in 0i64..1_000_000, odd in 1i64..SPLIT_UNIT_ORE) {
            let total = Ore(units * SPLIT_UNIT_ORE + odd);
            prop_assert_eq!(
                split_by_population(total, &[10, 20]),
                Err(SplitError::NotWholeUnits { total, unit: Ore(SPLIT_UNIT_ORE) })
            );
        }
    }

    #[test]
    fn distinct_populations_keep_their_part_under_any_order() {
        let pops = SODRA_VATTERBYGDEN_POPULATION.map(|(_, _, _, p)| p);
        let total = Ore(kr(2_787_000, 0));
        let expected = split_by_population(total, &pops).unwrap();
        let mut orders = 0;
        for code in 0..256usize {
            let perm = [code & 3, (code >> 2) & 3, (code >> 4) & 3, (code >> 6) & 3];
            let mut sorted = perm;
            sorted.sort();
            if sorted != [0, 1, 2, 3] {
                continue;
            }
            orders += 1;
            let p: Vec<u32> = perm.iter().map(|&i| pops[i]).collect();
            let parts = split_by_population(total, &p).unwrap();
            for (k, &i) in perm.iter().enumerate() {
                assert_eq!(parts[k], expected[i]);
            }
        }
        assert_eq!(orders, 24);
    }
}
