// The method registry: each method's name, title, menu label, plain-language help, the loss
// it refines, the settings it uses beyond k, seed and pretraining epochs, and the data it
// takes. The worker answers the METHODS request from here (later it will come from Rust); the
// page and other clients get it through deepclust.js's methods().
const REGISTRY = {
  dec: {
    title: 'DEC',
    label: 'DEC',
    loss: 'KL(P‖Q)',
    baseline: false,
    settings: [],
    data: 'any',
    help: 'Deep Embedded Clustering (Xie et al. 2016). An autoencoder first learns to compress each row into a few numbers. k-means places cluster centres in that compressed space. Then the network and the centres are trained together: each point gets a soft membership to every centre, the memberships are sharpened into a target that trusts confident points most, and the network is nudged towards the target until almost no point changes cluster.',
  },
  idec: {
    title: 'IDEC',
    label: 'IDEC',
    loss: 'reconstruction + γ·KL',
    baseline: false,
    settings: ['gamma'],
    data: 'any',
    help: 'Improved DEC (Guo et al. 2017). Like DEC, except that the network must keep reconstructing its input while it clusters (weight γ on the clustering loss, 0.1 by default). This stops the clustering from bending the compressed space out of shape, and often gives steadier results. On large data (at least 5,000 rows of 64 or more columns, where it uses the paper\'s network) its autoencoder trains as in the authors\' code: without hidden inputs and for longer than DEC\'s (50 passes over 70,000 images instead of 14), and on images it sees larger pixel values, as in the authors\' code (which divides MNIST by 50 rather than 255): here each set is divided by its root mean square pixel value, 85 for MNIST, so the reconstruction weighs more next to the clustering. That is what brings it to the paper\'s accuracy, but it is slower to start: lower the pretraining epochs under Advanced settings for a quick look.',
  },
  dcec: {
    title: 'DCEC',
    label: 'DCEC (images)',
    loss: 'reconstruction + γ·KL',
    baseline: false,
    settings: ['gamma'],
    data: 'images',
    help: 'Deep Convolutional Embedded Clustering (Guo et al. 2017), for images. Like IDEC, but the autoencoder is convolutional: it looks at small patches of neighbouring pixels, so strokes and edges are learned once wherever they appear in the picture. Slower than the plain network per step, especially without a GPU.',
  },
  gceals: {
    title: 'G-CEALS',
    label: 'G-CEALS (tabular)',
    loss: 'reconstruction + γ·cross-entropy',
    baseline: false,
    settings: ['gamma'],
    data: 'any',
    help: 'Gaussian Cluster Embedding in Autoencoder Latent Space (Rabbani et al. 2023), designed for tables. Each cluster is a Gaussian bell with its own centre and spread, learned during training, and cluster sizes are learned too instead of being assumed equal. Training stops early if one cluster is about to be swallowed by the others.',
  },
  hardreg: {
    title: 'Hard-regularised online',
    label: 'Hard-regularised online',
    loss: 'reconstruction + γ·mean assignment cost',
    baseline: false,
    settings: ['gamma'],
    data: 'any',
    help: 'Online clustering with hard regularisation (Mahon & Lukasiewicz 2024). Each batch of points is assigned one point at a time to the cheapest cluster, where a cluster gets a little more expensive with every point it already took in this batch. That simple rule keeps everything from collapsing into one cluster, without the data augmentation other online methods need. It only ever looks at one batch, so it suits data that arrives in a stream. Unlike the paper, the network must keep reconstructing its input too (weight γ on the clustering loss): without that, on large image sets it learned to squeeze every point together.',
  },
  deepcluster: {
    title: 'DeepCluster',
    label: 'DeepCluster',
    loss: 'cross-entropy on pseudo-labels',
    baseline: false,
    settings: [],
    data: 'any',
    help: 'DeepCluster (Caron et al. 2018). Alternates two steps: run k-means on what the network currently outputs to get “pseudo-labels”, then train the network for an epoch to predict those labels, drawing equally from every cluster. Repeating this lets features and clusters improve each other.',
  },
  n2d: {
    title: 'N2D',
    label: 'N2D (manifold + mixture)',
    loss: 'UMAP cross-entropy of the manifold',
    baseline: false,
    settings: ['neighbours'],
    data: 'any',
    help: 'N2D, “not too deep” clustering (McConville et al. 2020). The autoencoder is pretrained as for DEC. Then, instead of clustering its compressed space directly, UMAP lays the points out again in as many dimensions as there are clusters: each point’s nearest neighbours are found, and the points are moved so that neighbours end up close and other points far apart. A Gaussian mixture then finds the clusters in that manifold, where groups tend to be compact and well separated. No clustering loss bends the autoencoder. Neighbours per point (Advanced settings) is automatic: the paper’s 20, or for images in small clusters fewer (5 for COIL-20’s 72 views per object).',
  },
  'mixture-em': {
    title: 'Neural mixture (EM)',
    label: 'Neural mixture (EM)',
    loss: 'reconstruction − γ·expected log-likelihood',
    baseline: false,
    settings: ['gamma'],
    data: 'any',
    help: 'Neural mixture model trained by EM (Tissera et al. 2022), with no k-means anywhere. Each cluster is a bump of probability around a direction in the compressed space, and the network itself is part of the model. Every batch does the two halves of the classic EM algorithm: the forward pass works out how likely each point is to come from each cluster, the backward pass moves the network and the clusters so those points become more likely under the clusters they belong to. If a cluster is about to die out (almost no points), it is restarted inside the biggest cluster, and you are told.',
  },
  kmeans: {
    title: 'k-means',
    label: 'k-means (baseline)',
    baseline: true,
    settings: ['embeddingSpace'],
    data: 'any',
    help: 'The classic baseline: k centres, each point goes to its nearest centre, centres move to the mean of their points, repeat. Runs on the standardised columns, or on an autoencoder’s compressed space if you choose so below. No neural network is trained for the plain version, so it finishes in a moment.',
  },
  gmm: {
    title: 'Gaussian mixture',
    label: 'Gaussian mixture (baseline)',
    baseline: true,
    settings: ['embeddingSpace', 'fullCovariance'],
    data: 'any',
    help: 'A mixture of Gaussian bells fitted by expectation–maximisation: like k-means, but clusters may be stretched and of different sizes, and every point gets a probability per cluster. Diagonal covariance suits many columns; full covariance models correlated columns (up to 100).',
  },
};

/**
 * One method. `settings` names the options beyond k, seed, epochs and pixelDivisor that it
 * reads (as cluster() and Session.train() call them); `data` is 'images' for a method that
 * only takes pictures.
 * @typedef {object} MethodInfo
 * @property {string} name what `method` takes: 'dec', 'idec', …
 * @property {string} title short name, e.g. 'N2D'
 * @property {string} label name for a menu, e.g. 'N2D (manifold + mixture)'
 * @property {string} loss the loss it refines, in words and symbols
 * @property {boolean} baseline a classic method without a trained network of its own
 * @property {Array<'gamma' | 'neighbours' | 'embeddingSpace' | 'fullCovariance'>} settings
 * @property {'any' | 'images'} data
 * @property {string} help what it does, in plain words
 */

/** @type {MethodInfo[]} every method, in the order a menu shows them */
export const METHODS = Object.entries(REGISTRY).map(([name, m]) => ({ name, ...m }));

