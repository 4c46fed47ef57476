//! What the step-by-step view says at each pause, in plain words with the formulas. Each
//! method's folder holds its own texts; the formulas several methods share are here. The
//! texts are constants (never data), so they may carry markup for the formulas; `{changed}`,
//! `{k}`, `{dim}` and `{neighbours}` are filled in by the page.

/// A pause's text: a paragraph, formulas each on its own line, and a closing paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Explanation {
    pub title: &'static str,
    pub text: &'static str,
    pub formulas: &'static [&'static str],
    pub after: &'static str,
}

/// A method's texts; `None` takes the shared one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Explanations {
    /// Once the first clusters exist (default: k-means in the embedding).
    pub initialised: Option<Explanation>,
    /// After each target update (or pseudo-label round).
    pub update: Option<Explanation>,
}

impl Explanations {
    pub const SHARED: Explanations = Explanations {
        initialised: None,
        update: None,
    };
}

/// The Student-t soft assignment.
pub const Q: &str = "q<sub>ij</sub> = (1 + ‖z<sub>i</sub> − μ<sub>j</sub>‖²/α)<sup>−(α+1)/2</sup> / Σ<sub>j′</sub> (1 + ‖z<sub>i</sub> − μ<sub>j′</sub>‖²/α)<sup>−(α+1)/2</sup>";
/// DEC's sharpened target.
pub const P: &str = "p<sub>ij</sub> = (q<sub>ij</sub>² / f<sub>j</sub>) / Σ<sub>j′</sub> (q<sub>ij′</sub>² / f<sub>j′</sub>), with f<sub>j</sub> = Σ<sub>i</sub> q<sub>ij</sub>";
/// The reconstruction loss.
pub const REC: &str = "L<sub>rec</sub> = mean over rows of ‖x<sub>i</sub> − g(f(x<sub>i</sub>))‖²";

/// The first clusters from k-means in the embedding.
pub const KMEANS_INIT: Explanation = Explanation {
    title: "First clusters from k-means",
    text: "k-means ran in the embedding and placed {k} centres μ<sub>j</sub> (the crosses): every point goes to its nearest centre, each centre moves to the mean of its points, repeat until nothing moves. These are the starting clusters; refinement now trains the network and the clusters together.",
    formulas: &["label<sub>i</sub> = argmin<sub>j</sub> ‖z<sub>i</sub> − μ<sub>j</sub>‖²"],
    after: "",
};

/// The end of pretraining, the same for every method that pretrains.
pub const PRETRAINED: Explanation = Explanation {
    title: "Pretraining finished",
    text: "The autoencoder squeezes each row x<sub>i</sub> through a narrow layer, its embedding z<sub>i</sub> = f(x<sub>i</sub>) with {dim} numbers, and has learned to rebuild the row from it.",
    formulas: &[REC],
    after: "The plot shows the embeddings (their first two principal components). There are no clusters yet, so every point is grey; rows that look alike should already sit near each other.",
};

/// The end of pretraining on time series: the network is the convolutional one along time.
pub const PRETRAINED_SERIES: Explanation = Explanation {
    title: "Pretraining finished",
    text: "The autoencoder reads each series x<sub>i</sub> with small filters that slide along time (convolutions), keeps each filter's strongest and average response over the whole series, and squeezes those into an embedding z<sub>i</sub> = f(x<sub>i</sub>) with {dim} numbers, from which it has learned to rebuild the series. Because the responses are pooled over time, the embedding says which patterns a series holds rather than when they happen.",
    formulas: &[REC],
    after: PRETRAINED.after,
};

/// The end of pretraining on time series that line up, with the convolutions kept in time
/// order.
pub const PRETRAINED_SERIES_ALIGNED: Explanation = Explanation {
    title: "Pretraining finished",
    text: "The autoencoder reads each series x<sub>i</sub> with small filters that slide along time (convolutions), keeps every filter's responses in time order, and squeezes them into an embedding z<sub>i</sub> = f(x<sub>i</sub>) with {dim} numbers, from which it has learned to rebuild the series. Because time order is kept, the embedding says which patterns a series holds and where: right for series that line up, such as outlines, spectra or heartbeats cut at the beat.",
    formulas: &[REC],
    after: PRETRAINED.after,
};

/// The end of pretraining on time series with the recurrent network.
pub const PRETRAINED_GRU: Explanation = Explanation {
    title: "Pretraining finished",
    text: "The autoencoder reads each series x<sub>i</sub> one time step after another with a recurrent layer (a GRU), which carries a memory of what came before; its memory at the last step becomes the embedding z<sub>i</sub> = f(x<sub>i</sub>) with {dim} numbers. A second recurrent layer, started from the embedding, has learned to rebuild the series step by step.",
    formulas: &[REC],
    after: PRETRAINED.after,
};

/// The end of a run; `{reason}` says why it stopped.
pub const FINISHED: Explanation = Explanation {
    title: "Finished",
    text: "Training has stopped: {reason}.",
    formulas: &[],
    after: "",
};

impl Explanation {
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "title": self.title,
            "text": self.text,
            "formulas": self.formulas,
            "after": self.after,
        })
    }
}
