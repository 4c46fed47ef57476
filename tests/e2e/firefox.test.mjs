// The cross-browser subset (other-browsers.mjs) in Firefox ESR.
import { subset, firefox } from './other-browsers.mjs';

subset(firefox);
