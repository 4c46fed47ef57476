// The plots take the room the layout gives them: the scatter's canvas and the loss curve are
// sized to their boxes (style.css: beside the controls on a wide screen, under them on a
// narrow one) and redrawn when those change.
import { el, state } from './state.js';
import { fitScatter } from './scatter.js';

const WIDE = matchMedia('(min-width: 1200px)');
const LOSS_HEIGHT = 260;
const NARROW_LOSS_WIDTH = 480;

function fitLoss() {
  const width = WIDE.matches ? Math.floor(el.lossPlot.parentElement.clientWidth) : NARROW_LOSS_WIDTH;
  if (state.lossChart && width > 0 && state.lossChart.width !== width) state.lossChart.setSize({ width, height: WIDE.matches ? 220 : LOSS_HEIGHT });
}

export function fitPlots() {
  const observer = new ResizeObserver(() => {
    fitScatter(el.scatter);
    fitLoss();
  });
  observer.observe(el.scatter);
  observer.observe(el.lossPlot.parentElement);
  fitScatter(el.scatter);
  fitLoss();
}
