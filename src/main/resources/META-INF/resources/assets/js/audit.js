import { listing, when } from './listing.js';

listing('/audit?limit=100', [
  ['At', a => when(a.at)], ['Principal', a => a.principal], ['Action', a => a.action], ['Target', a => a.target],
  ['Outcome', a => a.outcome], ['Detail', a => a.detail], ['From', a => a.remoteAddress], ['Count', a => a.count],
]);
