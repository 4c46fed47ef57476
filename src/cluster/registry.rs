//! The methods a user can pick, listed once. The page's method list and which settings it
//! shows, the command line's `--method` values, saved models and the results script all read
//! this list; each entry's behaviour lives in its own folder beside this file.

use thiserror::Error;

use super::explain::{self, Explanations};
use super::{dcec, dec, deepcluster, dkm, gceals, gmm, hardreg, idec, kmeans, mixture_em, n2d};
use crate::data::DataKind;
use crate::train::{Algorithm, RuleReader};

/// Every method, in the order the page and the command line list them. Adding a method is a
/// folder with its [`MethodDef`] and one line here.
pub static METHODS: [&MethodDef; 11] = [
    &dec::METHOD,
    &idec::METHOD,
    &dcec::METHOD,
    &gceals::METHOD,
    &hardreg::METHOD,
    &deepcluster::METHOD,
    &n2d::METHOD,
    &mixture_em::METHOD,
    &dkm::METHOD,
    &kmeans::METHOD,
    &gmm::METHOD,
];

/// What kind of data a method takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Takes {
    /// Tables and images alike (images as rows of pixels).
    Any,
    /// Images only (it needs their shape).
    Images,
}

/// A setting the page shows only for the methods that use it; every method uses the shared
/// ones (k, seed, pretraining epochs, device).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    /// γ, the clustering loss's weight next to reconstruction.
    Gamma,
    /// Neighbours per row in a UMAP graph.
    Neighbours,
    /// Diagonal or full covariance.
    Covariance,
    /// Cluster the input columns or an autoencoder's embedding.
    FeatureSpace,
    /// The sharpness τ of a mixture's components.
    Temperature,
    /// Soft rather than hard responsibilities in an M-step.
    SoftEm,
    /// A consistency term over shifted, noisy copies of images.
    Consistency,
}

impl Setting {
    pub fn name(self) -> &'static str {
        match self {
            Setting::Gamma => "gamma",
            Setting::Neighbours => "neighbours",
            Setting::Covariance => "covariance",
            Setting::FeatureSpace => "space",
            Setting::Temperature => "temperature",
            Setting::SoftEm => "softEm",
            Setting::Consistency => "consistency",
        }
    }
}

/// One method: who it is, what it takes, and its behaviour.
pub struct MethodDef {
    /// The name the page, the command line and model files use.
    pub name: &'static str,
    pub title: &'static str,
    /// The paper, as "Author et al. year"; `None` for the classic baselines.
    pub paper: Option<&'static str>,
    /// One line for tables.
    pub summary: &'static str,
    /// A paragraph in plain words, shown under the method picker.
    pub help: &'static str,
    /// The refinement's loss, in words and symbols.
    pub loss: &'static str,
    /// Whether it trains a network; the baselines only cluster fixed features.
    pub deep: bool,
    pub takes: Takes,
    pub settings: &'static [Setting],
    /// What the step-by-step view says at each pause.
    pub explain: Explanations,
    /// The cluster rules its runs can end with, as model files name them (methods that end
    /// with another method's rule list none).
    pub rules: &'static [&'static RuleReader],
    pub algorithm: &'static dyn Algorithm,
}

impl std::fmt::Debug for MethodDef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

/// A method from [`METHODS`]; compares by name.
#[derive(Clone, Copy)]
pub struct Method(&'static MethodDef);

impl PartialEq for Method {
    fn eq(&self, other: &Self) -> bool {
        self.0.name == other.0.name
    }
}
impl Eq for Method {}
impl std::hash::Hash for Method {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.name.hash(state)
    }
}
impl std::fmt::Debug for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.name)
    }
}

// Named handles, for tests and examples; the product finds methods by name.
#[allow(non_upper_case_globals)]
impl Method {
    pub const Dec: Method = Method(&dec::METHOD);
    pub const Idec: Method = Method(&idec::METHOD);
    pub const Dcec: Method = Method(&dcec::METHOD);
    pub const Gceals: Method = Method(&gceals::METHOD);
    pub const HardReg: Method = Method(&hardreg::METHOD);
    pub const DeepCluster: Method = Method(&deepcluster::METHOD);
    pub const N2d: Method = Method(&n2d::METHOD);
    pub const MixtureEm: Method = Method(&mixture_em::METHOD);
    pub const KMeans: Method = Method(&kmeans::METHOD);
    pub const Gmm: Method = Method(&gmm::METHOD);
}

impl Method {
    /// Every method, in the registry's order.
    pub fn all() -> impl Iterator<Item = Method> {
        METHODS.iter().map(|&def| Method(def))
    }

    pub fn def(self) -> &'static MethodDef {
        self.0
    }

    pub fn name(self) -> &'static str {
        self.0.name
    }

    /// For tables and legends.
    pub fn title(self) -> &'static str {
        self.0.title
    }

    pub fn from_name(name: &str) -> Result<Method, UnknownMethod> {
        Method::all()
            .find(|m| m.name() == name)
            .ok_or_else(|| UnknownMethod(name.to_string()))
    }

    /// The method a user who changes nothing gets: N2D for images and series, the
    /// hard-regularised method for tables. The rule: per kind of data, the method with the
    /// best mean ACC over every set of that kind we have measured (docs/DECISIONS.md, "The
    /// default method").
    pub fn default_for(kind: DataKind) -> Method {
        match kind {
            DataKind::Images | DataKind::Series => Method::N2d,
            DataKind::Table => Method::HardReg,
        }
    }

    /// Whether the method trains a network; the baselines only cluster fixed features.
    pub fn is_deep(self) -> bool {
        self.0.deep
    }

    pub fn algorithm(self) -> &'static dyn Algorithm {
        self.0.algorithm
    }
}

/// Every method as a JSON array, for the page and the JS library: name, title, summary,
/// help, loss, whether it is deep, whether it takes images only, and the settings it uses.
pub fn methods_json() -> String {
    let list: Vec<serde_json::Value> = METHODS
        .iter()
        .map(|m| {
            serde_json::json!({
                "name": m.name,
                "title": m.title,
                "paper": m.paper,
                "summary": m.summary,
                "help": m.help,
                "loss": m.loss,
                "deep": m.deep,
                "images": m.takes == Takes::Images,
                "settings": m.settings.iter().map(|s| s.name()).collect::<Vec<_>>(),
                "explain": {
                    "pretrained": explain::PRETRAINED.to_json(),
                    "pretrained_series": explain::PRETRAINED_SERIES.to_json(),
                    "pretrained_series_aligned": explain::PRETRAINED_SERIES_ALIGNED.to_json(),
                    "pretrained_gru": explain::PRETRAINED_GRU.to_json(),
                    "initialised": m.explain.initialised.unwrap_or(explain::KMEANS_INIT).to_json(),
                    "update": m.explain.update.map(|e| e.to_json()),
                    "finished": explain::FINISHED.to_json(),
                },
            })
        })
        .collect();
    serde_json::Value::Array(list).to_string()
}

/// The methods as a Markdown table (the README's), one row per method in registry order.
pub fn methods_table() -> String {
    let mut out = String::from("| name | method | data | in one line |\n|---|---|---|---|\n");
    for m in METHODS {
        let title = match m.paper {
            Some(paper) => format!("{} ({paper})", m.title),
            None => m.title.to_string(),
        };
        let data = match m.takes {
            Takes::Images => "images only",
            Takes::Any => "tables, images, series",
        };
        out.push_str(&format!(
            "| `{}` | {title} | {data} | {} |\n",
            m.name, m.summary
        ));
    }
    out
}

#[derive(Debug, Error, PartialEq)]
#[error("unknown method “{0}”; choose one of {names}", names = method_names())]
pub struct UnknownMethod(pub String);

fn method_names() -> String {
    Method::all()
        .map(|m| m.name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// What the baselines cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FeatureSpace {
    /// The standardised input columns.
    #[default]
    Raw,
    /// The embedding of an autoencoder pretrained exactly as for the deep methods.
    Embedding,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_names_are_errors() {
        for m in Method::all() {
            assert_eq!(Method::from_name(m.name()), Ok(m));
        }
        assert_eq!(Method::from_name("dcc"), Err(UnknownMethod("dcc".into())));
        assert!(
            UnknownMethod("dcc".into())
                .to_string()
                .ends_with("choose one of dec, idec, dcec, gceals, hardreg, deepcluster, n2d, mixture-em, dkm, kmeans, gmm")
        );
    }

    #[test]
    fn the_json_list_has_every_method_in_order() {
        let list: serde_json::Value = serde_json::from_str(&methods_json()).unwrap();
        let names: Vec<&str> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, Method::all().map(|m| m.name()).collect::<Vec<_>>());
        let named = |name: &str| {
            list.as_array()
                .unwrap()
                .iter()
                .find(|m| m["name"] == name)
                .unwrap()
        };
        let dcec = named("dcec");
        assert_eq!(
            (dcec["title"].as_str(), dcec["images"].as_bool()),
            (Some("DCEC"), Some(true))
        );
        assert_eq!(
            named("gmm")["settings"],
            serde_json::json!(["covariance", "space"])
        );
        assert_eq!(named("kmeans")["deep"], serde_json::json!(false));
        assert_eq!(
            named("n2d")["explain"]["initialised"]["title"],
            "Neighbour graph built"
        );
        assert_eq!(
            named("dec")["explain"]["initialised"]["title"],
            "First clusters from k-means"
        );
    }

    #[test]
    fn names_are_unique() {
        let mut names: Vec<&str> = Method::all().map(|m| m.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), METHODS.len());
    }
}
