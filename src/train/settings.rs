//! What a user asks for, by name: the page's form, the JS library's options and the command
//! line's flags all become [`Settings`], and [`Settings::config`] turns them into a
//! [`TrainConfig`] with the defaults for the data. The rules on values (k ≤ rows, γ > 0, …)
//! are [`TrainConfig::check`]'s; here a value only has to be of the right kind.

use serde_json::{Map, Value};
use thiserror::Error;

use super::config::{SeriesNetwork, TrainConfig};
use crate::cluster::gmm::Covariance;
use crate::cluster::{FeatureSpace, Method, UnknownMethod};
use crate::data::Table;

/// A run's settings; `None` takes the default for the data and the method.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub method: Method,
    pub k: usize,
    pub seed: Option<u64>,
    pub pretrain_epochs: Option<usize>,
    pub gamma: Option<f32>,
    pub corruption: Option<f32>,
    pub pixel_divisor: Option<f32>,
    pub temperature: Option<f32>,
    pub neighbours: Option<usize>,
    pub soft_em: bool,
    pub consistency: Option<bool>,
    pub space: Option<FeatureSpace>,
    pub covariance: Option<Covariance>,
    pub series_network: Option<SeriesNetwork>,
}

/// The names settings go by in JSON (the page and the JS library), with what each is, for
/// messages.
const FIELDS: [(&str, &str); 14] = [
    ("method", "The method"),
    ("k", "Clusters (k)"),
    ("seed", "The seed"),
    ("pretrainEpochs", "Pretraining epochs"),
    ("gamma", "The clustering weight γ"),
    ("corruption", "The corruption"),
    ("pixelDivisor", "Divide pixels by"),
    ("temperature", "The temperature τ"),
    ("neighbours", "Neighbours per point"),
    ("softEm", "Soft EM"),
    ("consistency", "The consistency term"),
    ("space", "What to cluster"),
    ("covariance", "The covariance"),
    ("seriesNetwork", "The network for series"),
];

#[derive(Debug, Error, PartialEq)]
pub enum SettingsError {
    #[error("the settings are not valid JSON: {0}")]
    Json(String),
    #[error("the settings must be an object such as {{\"method\": \"dec\", \"k\": 3}}")]
    NotAnObject,
    #[error("unknown setting “{name}”; the settings are {}", FIELDS.map(|f| f.0).join(", "))]
    Unknown { name: String },
    #[error("{what} is missing")]
    Missing { what: &'static str },
    #[error("{what} must be a whole number, got “{value}”")]
    NotAWholeNumber { what: &'static str, value: String },
    #[error("{what} must be a number, got “{value}”")]
    NotANumber { what: &'static str, value: String },
    #[error("{what} must be true or false, got “{value}”")]
    NotAFlag { what: &'static str, value: String },
    #[error("{what} must be one of {choices}, got “{value}”")]
    NotAChoice {
        what: &'static str,
        choices: &'static str,
        value: String,
    },
    #[error(transparent)]
    Method(#[from] UnknownMethod),
}

impl Settings {
    /// `method` with `k` clusters and every other setting at its default.
    pub fn new(method: Method, k: usize) -> Self {
        Self {
            method,
            k,
            seed: None,
            pretrain_epochs: None,
            gamma: None,
            corruption: None,
            pixel_divisor: None,
            temperature: None,
            neighbours: None,
            soft_em: false,
            consistency: None,
            space: None,
            covariance: None,
            series_network: None,
        }
    }

    /// Settings from a JSON object such as `{"method": "dec", "k": 3, "seed": 7}`. Numbers may
    /// be given as numbers or as text (a form field's value); an empty text or `null` takes
    /// the default.
    pub fn from_json(text: &str) -> Result<Self, SettingsError> {
        let value: Value =
            serde_json::from_str(text).map_err(|e| SettingsError::Json(e.to_string()))?;
        let Value::Object(fields) = value else {
            return Err(SettingsError::NotAnObject);
        };
        if let Some(name) = fields
            .keys()
            .find(|name| !FIELDS.iter().any(|f| f.0 == name.as_str()))
        {
            return Err(SettingsError::Unknown { name: name.clone() });
        }
        let f = Fields(&fields);
        let method = match f.text("method") {
            Some(name) => Method::from_name(&name)?,
            None => {
                return Err(SettingsError::Missing {
                    what: what("method"),
                });
            }
        };
        let k = f
            .whole("k")?
            .ok_or(SettingsError::Missing { what: what("k") })?;
        Ok(Self {
            method,
            k: saturating(k),
            seed: f.whole("seed")?,
            pretrain_epochs: f.whole("pretrainEpochs")?.map(saturating),
            gamma: f.number("gamma")?,
            corruption: f.number("corruption")?,
            pixel_divisor: f.number("pixelDivisor")?,
            temperature: f.number("temperature")?,
            neighbours: f.whole("neighbours")?.map(saturating),
            soft_em: f.flag("softEm")?.unwrap_or(false),
            consistency: f.flag("consistency")?,
            space: f.choice(
                "space",
                "raw or embedding",
                &[
                    ("raw", FeatureSpace::Raw),
                    ("embedding", FeatureSpace::Embedding),
                ],
            )?,
            covariance: f.choice(
                "covariance",
                "diagonal or full",
                &[
                    ("diagonal", Covariance::Diagonal),
                    ("full", Covariance::Full),
                ],
            )?,
            series_network: f.choice(
                "seriesNetwork",
                "conv, conv-aligned or gru (leave it out to let the data decide)",
                &[
                    ("conv", SeriesNetwork::Conv),
                    ("conv-aligned", SeriesNetwork::ConvAligned),
                    ("gru", SeriesNetwork::Gru),
                ],
            )?,
        })
    }

    /// The defaults for this data and method, with these settings over them.
    pub fn config(&self, table: &Table) -> TrainConfig {
        let mut config = TrainConfig::for_table(self.method, self.k, table);
        if let Some(v) = self.seed {
            config.seed = v;
        }
        if let Some(v) = self.pretrain_epochs {
            config.pretrain_epochs = v;
        }
        if let Some(v) = self.gamma {
            config.gamma = v;
        }
        if let Some(v) = self.corruption {
            config.corruption = v;
        }
        if let Some(v) = self.pixel_divisor {
            config.pixel_divisor = v;
        }
        if let Some(v) = self.temperature {
            config.temperature = v;
        }
        if let Some(v) = self.neighbours {
            config.neighbours = v;
        }
        config.soft_em = self.soft_em;
        if let Some(v) = self.consistency {
            config.consistency = v;
        }
        if let Some(v) = self.space {
            config.space = v;
        }
        if let Some(v) = self.covariance {
            config.covariance = v;
        }
        if let Some(v) = self.series_network {
            config.series_network = v;
        }
        config
    }
}

/// A count that does not fit in memory's address width stays too large (and fails the
/// training settings' rules) instead of wrapping to a small one.
fn saturating(v: u64) -> usize {
    usize::try_from(v).unwrap_or(usize::MAX)
}

fn what(name: &str) -> &'static str {
    FIELDS
        .iter()
        .find(|f| f.0 == name)
        .map(|f| f.1)
        .expect("a known setting")
}

/// A settings object's fields, read with messages that name the setting.
struct Fields<'a>(&'a Map<String, Value>);

impl Fields<'_> {
    /// The value, unless absent, null or empty text.
    fn get(&self, name: &str) -> Option<&Value> {
        match self.0.get(name) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.trim().is_empty() => None,
            Some(v) => Some(v),
        }
    }

    fn text(&self, name: &str) -> Option<String> {
        self.get(name).map(|v| match v {
            Value::String(s) => s.trim().to_string(),
            other => other.to_string(),
        })
    }

    fn number(&self, name: &str) -> Result<Option<f32>, SettingsError> {
        let Some(v) = self.get(name) else {
            return Ok(None);
        };
        let parsed = match v {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse::<f64>().ok(),
            _ => None,
        };
        match parsed {
            Some(x) if x.is_finite() => Ok(Some(x as f32)),
            _ => Err(SettingsError::NotANumber {
                what: what(name),
                value: self.text(name).unwrap_or_default(),
            }),
        }
    }

    fn whole(&self, name: &str) -> Result<Option<u64>, SettingsError> {
        let Some(v) = self.get(name) else {
            return Ok(None);
        };
        // A whole number written as a decimal ("10.0", 3.0) is still that number.
        let whole =
            |x: f64| (x >= 0.0 && x.fract() == 0.0 && x < 2f64.powi(53)).then_some(x as u64);
        let parsed = match v {
            Value::Number(n) => n.as_u64().or_else(|| n.as_f64().and_then(whole)),
            Value::String(s) => {
                let s = s.trim();
                s.parse::<u64>()
                    .ok()
                    .or_else(|| s.parse::<f64>().ok().and_then(whole))
            }
            _ => None,
        };
        parsed
            .map(Some)
            .ok_or_else(|| SettingsError::NotAWholeNumber {
                what: what(name),
                value: self.text(name).unwrap_or_default(),
            })
    }

    fn flag(&self, name: &str) -> Result<Option<bool>, SettingsError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(Value::String(s))
                if ["true", "false"].contains(&s.trim().to_lowercase().as_str()) =>
            {
                Ok(Some(s.trim().eq_ignore_ascii_case("true")))
            }
            Some(_) => Err(SettingsError::NotAFlag {
                what: what(name),
                value: self.text(name).unwrap_or_default(),
            }),
        }
    }

    fn choice<T: Copy>(
        &self,
        name: &str,
        choices: &'static str,
        options: &[(&str, T)],
    ) -> Result<Option<T>, SettingsError> {
        let Some(value) = self.text(name) else {
            return Ok(None);
        };
        options
            .iter()
            .find(|o| o.0.eq_ignore_ascii_case(&value))
            .map(|o| Some(o.1))
            .ok_or(SettingsError::NotAChoice {
                what: what(name),
                choices,
                value,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::CsvOptions;

    fn iris_like() -> Table {
        let mut csv = String::from("a,b,c\n");
        for i in 0..30 {
            csv.push_str(&format!("{},{},{}\n", i % 3, i * 2 % 7, i % 5));
        }
        Table::from_csv(csv.into_bytes(), CsvOptions::default()).unwrap()
    }

    #[test]
    fn a_form_with_text_values_and_empty_fields_parses() {
        let s = Settings::from_json(
            r#"{"method":"idec","k":"4","seed":"7","pretrainEpochs":"","gamma":"0.5","neighbours":null,"space":"embedding","covariance":"full","softEm":true}"#,
        )
        .unwrap();
        assert_eq!(s.method, Method::Idec);
        assert_eq!((s.k, s.seed, s.pretrain_epochs), (4, Some(7), None));
        assert_eq!((s.gamma, s.neighbours), (Some(0.5), None));
        assert_eq!(s.space, Some(FeatureSpace::Embedding));
        assert_eq!(s.covariance, Some(Covariance::Full));
        assert!(s.soft_em);
        let same = Settings::from_json(r#"{"method":"idec","k":4,"seed":7,"gamma":0.5,"space":"embedding","covariance":"full","softEm":"true"}"#).unwrap();
        assert_eq!(same, s);
        // Whole numbers written as decimals, flags and choices in any case.
        let also = Settings::from_json(r#"{"method":"idec","k":"4.0","seed":7.0,"gamma":"0.5","space":"Embedding","covariance":"FULL","softEm":" True "}"#).unwrap();
        assert_eq!(also, s);
    }

    #[test]
    fn each_mistake_has_its_message() {
        let err = |json: &str| Settings::from_json(json).unwrap_err().to_string();
        assert_eq!(
            err(r#"{"method":"dec","k":"three"}"#),
            "Clusters (k) must be a whole number, got “three”"
        );
        assert_eq!(err(r#"{"method":"dec"}"#), "Clusters (k) is missing");
        assert_eq!(err(r#"{"k":3}"#), "The method is missing");
        assert!(
            err(r#"{"method":"dcc","k":3}"#)
                .starts_with("unknown method “dcc”; choose one of dec,")
        );
        assert!(
            err(r#"{"method":"dec","k":3,"kk":1}"#)
                .starts_with("unknown setting “kk”; the settings are method, k,")
        );
        assert_eq!(
            err(r#"{"method":"dec","k":3,"gamma":"a lot"}"#),
            "The clustering weight γ must be a number, got “a lot”"
        );
        assert_eq!(
            err(r#"{"method":"dec","k":3,"seed":-1}"#),
            "The seed must be a whole number, got “-1”"
        );
        assert_eq!(
            err(r#"{"method":"dec","k":"2.5"}"#),
            "Clusters (k) must be a whole number, got “2.5”"
        );
        assert_eq!(
            err(r#"{"method":"gmm","k":3,"covariance":"spherical"}"#),
            "The covariance must be one of diagonal or full, got “spherical”"
        );
        assert_eq!(
            err(r#"{"method":"dec","k":3,"softEm":"yes"}"#),
            "Soft EM must be true or false, got “yes”"
        );
        assert_eq!(err("[1]"), SettingsError::NotAnObject.to_string());
        assert!(err("{").starts_with("the settings are not valid JSON"));
    }

    #[test]
    fn settings_override_the_defaults_for_the_data_and_nothing_else() {
        let table = iris_like();
        let defaults = TrainConfig::for_table(Method::Gmm, 3, &table);
        assert_eq!(Settings::new(Method::Gmm, 3).config(&table), defaults);
        let s = Settings::from_json(
            r#"{"method":"gmm","k":3,"seed":9,"pretrainEpochs":5,"covariance":"full","space":"embedding"}"#,
        )
        .unwrap();
        let c = s.config(&table);
        assert_eq!((c.seed, c.pretrain_epochs), (9, 5));
        assert_eq!(c.covariance, Covariance::Full);
        assert_eq!(c.space, FeatureSpace::Embedding);
        assert_eq!(c.dims, defaults.dims);
        // Values are checked by the training settings' rules, with their messages.
        let c = Settings::from_json(r#"{"method":"dec","k":1}"#)
            .unwrap()
            .config(&table);
        assert_eq!(
            c.check(30, 3).unwrap_err().to_string(),
            "k = 1: choose at least 2 clusters"
        );
    }
}
