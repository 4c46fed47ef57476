// What just happened, in plain words with the formula, for the step-by-step mode. The texts
// are constants written here (never data), so they may carry markup for the formulas.

const Q = 'q<sub>ij</sub> = (1 + ‖z<sub>i</sub> − μ<sub>j</sub>‖²/α)<sup>−(α+1)/2</sup> / Σ<sub>j′</sub> (1 + ‖z<sub>i</sub> − μ<sub>j′</sub>‖²/α)<sup>−(α+1)/2</sup>';
const P = 'p<sub>ij</sub> = (q<sub>ij</sub>² / f<sub>j</sub>) / Σ<sub>j′</sub> (q<sub>ij′</sub>² / f<sub>j′</sub>), with f<sub>j</sub> = Σ<sub>i</sub> q<sub>ij</sub>';
const KL = 'KL(P‖Q) = Σ<sub>i</sub> Σ<sub>j</sub> p<sub>ij</sub> log(p<sub>ij</sub> / q<sub>ij</sub>)';
const REC = 'L<sub>rec</sub> = mean over rows of ‖x<sub>i</sub> − g(f(x<sub>i</sub>))‖²';

const formula = (html) => `<p class="formula">${html}</p>`;

const UPDATE = {
  dec: (i) => `<p>Every point’s soft membership to each centre was recomputed with a Student-t kernel
    (α = 1), and sharpened into a target that trusts confident points most and keeps big clusters from
    taking over. Until the next update the network and the centres are trained to move Q towards P.</p>
    ${formula(Q)}${formula(P)}${formula(`loss = ${KL}`)}
    <p>${i.changed} of the points changed cluster since the last update. DEC stops when fewer than 0.1%
    change; watch the histogram below move right as the memberships sharpen.</p>`,
  idec: (i) => UPDATE.dec(i).replace(formula(`loss = ${KL}`), formula(`loss = ${REC.replace(' = ', '')} + γ · ${KL}`))
    + '<p>IDEC keeps the reconstruction term, so the embedding cannot be bent out of shape just to make clusters tight.</p>',
  dcec: (i) => UPDATE.idec(i),
  gceals: (i) => `<p>Each cluster is a Gaussian with its own centre μ<sub>j</sub> and spread σ<sub>j</sub>²
    (learned). The target is each point’s posterior under those Gaussians, weighted by the clusters’ learned
    shares ω<sub>j</sub>, and the network is trained on cross-entropy against it, plus reconstruction.</p>
    ${formula('p<sub>ij</sub> ∝ ω<sub>j</sub> · N(z<sub>i</sub>; μ<sub>j</sub>, diag σ<sub>j</sub>²)')}
    ${formula(`loss = ${REC.replace(' = ', '')} − γ · Σ<sub>i</sub> Σ<sub>j</sub> p<sub>ij</sub> log q<sub>ij</sub>`)}
    <p>${i.changed} of the points changed cluster since the last update.</p>`,
  hardreg: (i) => `<p>The labels were refreshed from the nearest centres. Within every batch, points are
    assigned greedily, cheapest point-and-cluster pair first, and each cluster gets a little more expensive
    for every point it already took in this batch, so no cluster can swallow the batch. The network is
    trained to lower the cost of the choices made while it keeps reconstructing its input.</p>
    ${formula('cost(i, j) = ‖z<sub>i</sub> − μ<sub>j</sub>‖² / 2σ² + log(1 + n<sub>j</sub>)')}
    ${formula(`loss = ${REC.replace(' = ', '')} + γ · mean over the batch of ‖z<sub>i</sub> − μ<sub>chosen</sub>‖² / 2σ²`)}
    <p>${i.changed} of the points changed cluster since the last refresh.</p>`,
  deepcluster: (i) => `<p>k-means ran again on the network’s current (unit-length) features and gave every
    point a pseudo-label. A fresh classifier head is now trained for an epoch to predict those labels,
    drawing equally from every cluster, which in turn changes the features for the next k-means.</p>
    ${formula('loss = − Σ<sub>i</sub> log softmax(W f(x<sub>i</sub>))<sub>y<sub>i</sub></sub>, y<sub>i</sub> = k-means label')}
    <p>${i.changed} of the points got a different pseudo-label (compared as partitions).</p>`,
  'mixture-em': (i) => `<p>Every point’s responsibilities were recomputed: how likely each cluster is to have
    produced it. Cluster k is a bump around a direction w<sub>k</sub>, measured by the cosine s<sub>ik</sub> between
    the point’s embedding (about the embedding’s centre) and w<sub>k</sub>. In every batch the forward pass is
    this E-step; the backward pass is the M-step, which moves the network and the directions so that each point
    becomes more likely under the cluster most responsible for it, while the network keeps reconstructing its input.</p>
    ${formula('f<sub>k</sub>(x<sub>i</sub>) ∝ σ((s<sub>ik</sub> − 1) / τ), γ<sub>ik</sub> = f<sub>k</sub>(x<sub>i</sub>) / Σ<sub>j</sub> f<sub>j</sub>(x<sub>i</sub>)')}
    ${formula(`loss = ${REC.replace(' = ', '')} − γ · mean<sub>i</sub> log f<sub>k*</sub>(x<sub>i</sub>), k* = most responsible cluster`)}
    <p>${i.changed} of the points changed cluster since the last update.</p>`,
};

/** `{ title, html }` for a pause. `event` is 'pretrained', 'initialised', 'update' or 'done'. */
export function explain(event, method, info) {
  if (event === 'pretrained') {
    return {
      title: 'Pretraining finished',
      html: `<p>The autoencoder squeezes each row x<sub>i</sub> through a narrow layer, its embedding
        z<sub>i</sub> = f(x<sub>i</sub>) with ${info.dim} numbers, and has learned to rebuild the row from it.</p>${formula(`${REC}`)}
        <p>The plot shows the embeddings (their first two principal components). There are no clusters yet,
        so every point is grey; rows that look alike should already sit near each other.</p>`,
    };
  }
  if (event === 'initialised' && method === 'n2d') {
    return {
      title: 'Neighbour graph built',
      html: `<p>Every point’s ${info.neighbours} nearest neighbours in the embedding were found, and each neighbour got a
        membership: 1 for the nearest, falling off exponentially for the others, scaled per point so the
        memberships sum to log₂ ${info.neighbours}; the two directions are joined (a fuzzy union). Now every point gets
        ${info.k} coordinates (a manifold with one dimension per cluster), starting from the principal
        components, and UMAP moves them epoch by epoch: strong edges are visited often and pull their two ends
        together, and each visit pushes the point away from a few random others. At the end a Gaussian mixture
        finds the clusters there.</p>
        ${formula('w<sub>ij</sub> = exp(−(d<sub>ij</sub> − ρ<sub>i</sub>)/σ<sub>i</sub>), w = w<sub>ij</sub> + w<sub>ji</sub> − w<sub>ij</sub>w<sub>ji</sub>')}
        ${formula('loss = −log q(y<sub>i</sub>, y<sub>j</sub>) − Σ<sub>n</sub> log(1 − q(y<sub>i</sub>, y<sub>n</sub>)), q = 1/(1 + a‖y<sub>i</sub> − y<sub>j</sub>‖<sup>2b</sup>)')}`,
    };
  }
  if (event === 'initialised' && method === 'mixture-em') {
    return {
      title: 'Cluster directions seeded (no k-means)',
      html: `<p>${info.k} points were drawn far apart from each other, judged by the angle between their
        embeddings about the embedding’s centre, and each gave one cluster its direction w<sub>k</sub>. No k-means
        ran: from here on the clusters are the mixture’s components, and EM moves them batch by batch.</p>
        ${formula('first: any point; next: a point drawn with probability ∝ (1 − cos to its nearest direction)²')}`,
    };
  }
  if (event === 'initialised') {
    return {
      title: 'First clusters from k-means',
      html: `<p>k-means ran in the embedding and placed ${info.k} centres μ<sub>j</sub> (the crosses): every
        point goes to its nearest centre, each centre moves to the mean of its points, repeat until nothing
        moves. These are the starting clusters; refinement now trains the network and the clusters together.</p>
        ${formula('label<sub>i</sub> = argmin<sub>j</sub> ‖z<sub>i</sub> − μ<sub>j</sub>‖²')}`,
    };
  }
  if (event === 'update') {
    return {
      title: `Target update ${info.updates}`,
      html: (UPDATE[method] ?? UPDATE.dec)(info),
    };
  }
  return {
    title: 'Finished',
    html: `<p>Training has stopped: ${info.reason}. Use the timeline slider above to replay how the embedding
      and the centres moved.</p>`,
  };
}
