//! Metric values computed once with scikit-learn 1.9.1 (and scipy's `linear_sum_assignment` for
//! ACC) by `tests/reference/sklearn_metrics.py`; rerun it to regenerate.

use super::*;

struct Case {
    truth: &'static [u32],
    predicted: &'static [u32],
    acc: f64,
    nmi_arithmetic: f64,
    nmi_geometric: f64,
    ari: f64,
}

const CASES: &[Case] = &[
    Case {
        truth: &[
            2, 1, 2, 2, 1, 2, 2, 0, 0, 0, 0, 2, 2, 0, 1, 2, 0, 2, 0, 1, 2, 0, 1, 0, 2, 0, 2, 1, 1,
            1,
        ],
        predicted: &[
            2, 1, 2, 2, 1, 2, 2, 0, 2, 3, 0, 2, 2, 0, 1, 2, 2, 1, 2, 1, 0, 0, 1, 0, 1, 1, 2, 1, 1,
            1,
        ],
        acc: 0.7333333333333333,
        nmi_arithmetic: 0.43607609502068645,
        nmi_geometric: 0.4363823761798193,
        ari: 0.3673075277754012,
    },
    Case {
        truth: &[
            0, 1, 0, 1, 1, 1, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0,
        ],
        predicted: &[
            0, 1, 2, 1, 1, 1, 1, 0, 1, 0, 0, 1, 0, 0, 1, 1, 1, 2, 2, 0, 0, 1, 0, 0,
        ],
        acc: 0.75,
        nmi_arithmetic: 0.3985223055034816,
        nmi_geometric: 0.40532344042925483,
        ari: 0.3817856013492147,
    },
    Case {
        truth: &[
            4, 1, 4, 2, 2, 3, 3, 4, 4, 0, 2, 4, 1, 0, 2, 3, 3, 4, 3, 0, 4, 2, 4, 4, 4, 0, 4, 3, 2,
            3, 4, 2, 0, 3, 1, 1, 0, 0, 4, 1,
        ],
        predicted: &[
            1, 1, 4, 2, 2, 3, 3, 4, 4, 0, 2, 4, 1, 0, 2, 3, 3, 4, 3, 0, 4, 2, 4, 4, 4, 0, 4, 3, 2,
            3, 4, 2, 0, 3, 1, 0, 0, 0, 4, 1,
        ],
        acc: 0.95,
        nmi_arithmetic: 0.9077113960133104,
        nmi_geometric: 0.9077189797949596,
        ari: 0.8915729642901272,
    },
    Case {
        truth: &[1, 1, 2, 0, 3, 0, 3, 2, 0, 0, 1, 2, 0, 0, 0, 2],
        predicted: &[1, 1, 0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0],
        acc: 0.625,
        nmi_arithmetic: 0.6526989972090247,
        nmi_geometric: 0.6960239057498243,
        ari: 0.4552736982643525,
    },
];

#[test]
fn metrics_match_scikit_learn() {
    for (i, c) in CASES.iter().enumerate() {
        let close = |name: &str, got: f64, want: f64| {
            assert!(
                (got - want).abs() < 1e-12,
                "case {i} {name}: {got} vs scikit-learn {want}"
            )
        };
        close("acc", accuracy(c.truth, c.predicted), c.acc);
        close(
            "nmi",
            normalized_mutual_info(c.truth, c.predicted),
            c.nmi_arithmetic,
        );
        close(
            "nmi geometric",
            normalized_mutual_info_with(c.truth, c.predicted, NmiAverage::Geometric),
            c.nmi_geometric,
        );
        close("ari", adjusted_rand_index(c.truth, c.predicted), c.ari);
    }
}
