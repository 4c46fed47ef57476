// The cross-browser subset (other-browsers.mjs) in WebKitGTK, Safari's engine.
import { subset, webkit } from './other-browsers.mjs';

subset(webkit);
