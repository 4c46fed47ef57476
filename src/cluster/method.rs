//! The methods a user can pick, by the names the UI, the CLI and the results table share.

use thiserror::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// Deep Embedded Clustering (Xie, Girshick & Farhadi 2016).
    Dec,
    /// Improved DEC: DEC's loss plus the autoencoder's reconstruction (Guo et al. 2017).
    Idec,
    /// Deep Convolutional Embedded Clustering: IDEC with a convolutional autoencoder, for
    /// images (Guo, Liu, Zhu & Yin 2017).
    Dcec,
    /// Gaussian Cluster Embedding in Autoencoder Latent Space (Rabbani, Medri & Samad 2023).
    Gceals,
    /// Hard-assignment regularised online clustering (Mahon & Lukasiewicz 2024).
    HardReg,
    /// k-means pseudo-labels and a classifier, alternating (Caron et al. 2018).
    DeepCluster,
    /// Autoencoder, then a UMAP-style manifold with as many dimensions as clusters, then a
    /// Gaussian mixture (McConville, Santos-Rodriguez, Piechocki & Craddock 2020).
    N2d,
    /// Neural mixture model trained by batch-wise EM, no k-means anywhere (Tissera et al.
    /// 2022).
    MixtureEm,
    /// k-means (k-means++, `n_init` restarts).
    KMeans,
    /// Gaussian mixture fitted by EM.
    Gmm,
}

impl Method {
    pub const ALL: [Method; 10] = [
        Method::Dec,
        Method::Idec,
        Method::Dcec,
        Method::Gceals,
        Method::HardReg,
        Method::DeepCluster,
        Method::N2d,
        Method::MixtureEm,
        Method::KMeans,
        Method::Gmm,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Method::Dec => "dec",
            Method::Idec => "idec",
            Method::Dcec => "dcec",
            Method::Gceals => "gceals",
            Method::HardReg => "hardreg",
            Method::DeepCluster => "deepcluster",
            Method::N2d => "n2d",
            Method::MixtureEm => "mixture-em",
            Method::KMeans => "kmeans",
            Method::Gmm => "gmm",
        }
    }

    /// For tables and legends.
    pub fn title(self) -> &'static str {
        match self {
            Method::Dec => "DEC",
            Method::Idec => "IDEC",
            Method::Dcec => "DCEC",
            Method::Gceals => "G-CEALS",
            Method::HardReg => "Hard-regularised online",
            Method::DeepCluster => "DeepCluster",
            Method::N2d => "N2D",
            Method::MixtureEm => "Neural mixture (EM)",
            Method::KMeans => "k-means",
            Method::Gmm => "Gaussian mixture",
        }
    }

    pub fn from_name(name: &str) -> Result<Method, UnknownMethod> {
        Method::ALL
            .into_iter()
            .find(|m| m.name() == name)
            .ok_or_else(|| UnknownMethod(name.to_string()))
    }

    /// Whether the method trains a network; the baselines only cluster fixed features.
    pub fn is_deep(self) -> bool {
        !matches!(self, Method::KMeans | Method::Gmm)
    }
}

#[derive(Debug, Error, PartialEq)]
#[error(
    "unknown method “{0}”; choose one of dec, idec, dcec, gceals, hardreg, deepcluster, n2d, mixture-em, kmeans, gmm"
)]
pub struct UnknownMethod(pub String);

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
        for m in Method::ALL {
            assert_eq!(Method::from_name(m.name()), Ok(m));
        }
        assert_eq!(Method::from_name("dcc"), Err(UnknownMethod("dcc".into())));
    }
}
