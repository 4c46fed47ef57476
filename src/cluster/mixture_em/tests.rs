use super::*;
use burn::tensor::{Device, TensorData};

fn t2(v: Vec<f32>, shape: [usize; 2]) -> Tensor<2> {
    Tensor::from_data(TensorData::new(v, shape), &Device::flex())
}

fn host(t: Tensor<2>) -> Vec<f32> {
    t.into_data().try_to_vec::<f32>().unwrap()
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// Two components along the axes, three points about the centre (1, 1), by hand: the
/// cosines are (1, 0), (0, 1) and (1/√2, 1/√2); with τ = 0.5 the densities σ((s − 1)/τ) are
/// σ(0), σ(−2) and σ((1/√2 − 1)/0.5).
#[test]
fn e_step_and_loss_match_a_hand_computed_case() {
    let tau = 0.5;
    let w = t2(vec![2.0, 0.0, 0.0, 3.0], [2, 2]); // lengths must not matter
    let h = t2(vec![2.0, 1.0, 1.0, 6.0, 2.0, 2.0], [3, 2]);
    let centre = Tensor::<1>::from_data(TensorData::new(vec![1.0f32, 1.0], [2]), &Device::flex());
    let log_f = log_densities(h, centre, w, tau);
    let s2 = (std::f64::consts::FRAC_1_SQRT_2 - 1.0) / 0.5;
    let f = [
        [sigmoid(0.0), sigmoid(-2.0)],
        [sigmoid(-2.0), sigmoid(0.0)],
        [sigmoid(s2), sigmoid(s2)],
    ];
    let got = host(log_f.clone());
    for (g, want) in got.iter().zip(f.iter().flatten()) {
        assert!((*g as f64 - want.ln()).abs() < 1e-5, "{got:?}");
    }
    // π = (0.75, 0.25).
    let pi = [0.75f64, 0.25];
    let log_pi = Tensor::<1>::from_data(
        TensorData::new(vec![pi[0].ln() as f32, pi[1].ln() as f32], [2]),
        &Device::flex(),
    );
    let resp = host(responsibilities(log_f.clone(), log_pi.clone()));
    let mut q = 0.0;
    for n in 0..3 {
        let joint = [pi[0] * f[n][0], pi[1] * f[n][1]];
        let total = joint[0] + joint[1];
        for k in 0..2 {
            let g = joint[k] / total;
            assert!((resp[n * 2 + k] as f64 - g).abs() < 1e-5, "{resp:?}");
            q += g * joint[k].ln();
        }
    }
    // The third point is equally close to both: only π separates them, 3 : 1.
    assert!((resp[4] - 0.75).abs() < 1e-5);
    let resp = t2(resp, [3, 2]);
    let loss: f32 =
        negative_expected_log_likelihood(log_f.clone(), log_pi.clone(), resp.clone()).into_scalar();
    assert!(
        (loss as f64 - (-q / 3.0)).abs() < 1e-5,
        "{loss} vs {}",
        -q / 3.0
    );

    // Classification EM: every row counts for its most responsible component only.
    let hard = hardened(resp);
    assert_eq!(host(hard.clone()), [1.0, 0.0, 0.0, 1.0, 1.0, 0.0]);
    let q_hard = (pi[0] * f[0][0]).ln() + (pi[1] * f[1][1]).ln() + (pi[0] * f[2][0]).ln();
    let loss: f32 = negative_expected_log_likelihood(log_f, log_pi, hard).into_scalar();
    assert!((loss as f64 - (-q_hard / 3.0)).abs() < 1e-5);
}

#[test]
fn host_posterior_matches_the_tensor_e_step() {
    let z = vec![0.3f32, -1.0, 2.0, 0.5, -0.2, -0.1];
    let w = vec![1.0f32, 0.2, -0.5, 1.0, 0.0, -1.0];
    let log_pi = vec![-1.0f32, -1.5, -0.9];
    let centre = vec![0.1f32, -0.3];
    let tensor = host(responsibilities(
        log_densities(
            t2(z.clone(), [3, 2]),
            Tensor::<1>::from_data(TensorData::new(centre.clone(), [2]), &Device::flex()),
            t2(w.clone(), [3, 2]),
            0.1,
        ),
        Tensor::<1>::from_data(TensorData::new(log_pi.clone(), [3]), &Device::flex()),
    ));
    let hosted = HostMixture {
        centre,
        directions: w,
        log_prior: log_pi,
        temperature: 0.1,
    }
    .posterior(&z);
    for (a, b) in tensor.iter().zip(&hosted) {
        assert!((a - b).abs() < 1e-5, "{tensor:?} vs {hosted:?}");
    }
    assert_eq!(log_sigmoid_scalar(-200.0), -200.0);
    assert!(log_sigmoid_scalar(200.0) == 0.0);
}

#[test]
fn seeding_spreads_the_directions() {
    // Four tight bundles of directions about (5, 5): the four seeds land in four different
    // bundles.
    let mut rng = crate::rng::Rng::new(5);
    let centres = [[1.0f32, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0]];
    let mut z = Vec::new();
    for i in 0..200 {
        let c = centres[i % 4];
        z.push(5.0 + c[0] * 3.0 + 0.05 * rng.normal() as f32);
        z.push(5.0 + c[1] * 3.0 + 0.05 * rng.normal() as f32);
    }
    let centre = mean_row(&z, 2);
    assert!((centre[0] - 5.0).abs() < 0.05 && (centre[1] - 5.0).abs() < 0.05);
    let w = spread_directions(&z, &centre, 200, 2, 4, &mut crate::rng::Rng::new(9));
    let mut bundles: Vec<usize> = w
        .chunks_exact(2)
        .map(|d| {
            (0..4)
                .max_by(|&a, &b| {
                    let s = |j: usize| d[0] * centres[j][0] + d[1] * centres[j][1];
                    s(a).total_cmp(&s(b))
                })
                .unwrap()
        })
        .collect();
    bundles.sort();
    assert_eq!(bundles, [0, 1, 2, 3]);
}

/// The consistency term is the EM term again on the augmented rows, with the originals'
/// responsibilities: an "augmentation" that changes nothing doubles the EM term exactly, and
/// one that moves rows away from their components costs more.
#[test]
fn consistency_term_uses_the_originals_responsibilities() {
    use crate::model::Architecture;
    let device = Device::flex();
    let mut rng = crate::rng::Rng::new(8);
    let ae = Architecture::Dense(vec![3, 5, 2]).init(&device, &mut rng);
    let model = NeuralMixtureModel::new(ae, vec![1.0, 0.0, 0.0, 1.0], 2, &device);
    let x = t2(vec![0.2, -0.4, 1.0, 0.9, 0.3, -0.7, -0.5, 0.8, 0.1], [3, 3]);
    let centre = || Tensor::<1>::from_data(TensorData::new(vec![0.05f32, -0.02], [2]), &device);
    let log_pi = || Tensor::<1>::from_data(TensorData::new(vec![0.5f32.ln(); 2], [2]), &device);
    let loss = |aug: Option<Tensor<2>>, gamma: f32| -> f32 {
        model
            .batch_em(x.clone(), None, aug, centre(), log_pi(), gamma, 0.1, false)
            .into_scalar()
    };
    let rec = loss(None, 1e-30);
    let em = loss(None, 1.0) - rec;
    let same = loss(Some(x.clone()), 1.0) - rec;
    assert!((same - 2.0 * em).abs() < 1e-4, "{same} vs 2 × {em}");
    let moved = x.clone().neg();
    let worse = loss(Some(moved), 1.0) - rec - em;
    assert!(
        worse > em,
        "rows pushed away from their components: {worse} vs {em}"
    );
}
